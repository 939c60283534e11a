"""The read log: every view of a part of a student's individual record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from studievag.people.models import Student


class RecordRead(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept as text as well, so the log still says who it was if the account goes.
    username = models.CharField(_("username"), max_length=150)
    user_display = models.CharField(_("name"), max_length=300)
    roles = models.CharField(_("in the role of"), max_length=200)
    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="reads")
    part = models.CharField(_("part of the record"), max_length=40)
    path = models.CharField(_("page"), max_length=500)
    client_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    # Read by another system through the REST API: the integration's name (the user is
    # its service account). Empty for a page.
    via = models.CharField(_("through the integration"), max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("record read")
        verbose_name_plural = _("record reads")
        indexes = [models.Index(fields=["student", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.part} {self.student_id}"
