"""Support needs: special category data (GDPR art. 9), one store keyed by the student.

Intake finds them first and the plan carries them on, so both use this area.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.people.models import Student


class SupportNeedsEntry(models.Model):
    """The student's support needs, one entry per change (append-only): what, who, when, why.

    The one store of support needs, keyed by the student because intake comes before any
    plan; the intake pages and the plan's page read and write it through the same
    services and selectors. Sensitive (GDPR art. 9): need-to-know
    (the ``support_needs`` part), every read logged. The newest entry is the current text;
    an empty text means the needs were removed.
    """

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="support_needs_entries",
    )
    text = models.TextField(_("support needs"), blank=True)
    reason = models.CharField(_("why"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        db_table = "intake_supportneedsentry"  # kept from when intake held the store
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support needs")
        verbose_name_plural = _("support needs")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="support_needs_entry_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.student} – {_('support needs')} {self.created_at:%Y-%m-%d}"
