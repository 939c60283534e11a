"""Integrations: the organisation's other systems that read and write through the REST API.

Each integration acts through its own service account (a ``User`` that cannot
log in to the pages), whose roles are granted through the access services like
anyone's (``access/services.py``: an administrator's grant of a role that
reaches records waits for the principal). The access engine decides what the
account sees; a token's scopes narrow which endpoints it may call.

A token is shown once, when it is issued; only its SHA-256 digest is kept,
with a short public prefix to find it by.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser


class Scope(models.TextChoices):
    STUDENTS_READ = "students:read", _("Read students and their enrolments")
    PLANS_READ = "plans:read", _("Read study plans")
    PROGRESS_READ = "progress:read", _("Read progression, grades and attendance")
    PROGRESS_WRITE = "progress:write", _("Record progression (e.g. from a learning platform)")
    ATTENDANCE_WRITE = "attendance:write", _("Record attendance (e.g. from a learning platform)")
    HANDOVERS_READ = "handovers:read", _("Read handovers received")
    REPORTS_READ = "reports:read", _("Read group-level reports (suppressed)")


class Integration(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="integrations"
    )
    description = models.TextField(_("what it is for"), blank=True)
    # The service account the integration acts as; its roles decide what it sees.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service account"),
        on_delete=models.PROTECT,
        related_name="integration",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return self.name


class IntegrationToken(models.Model):
    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.CASCADE, related_name="tokens"
    )
    prefix = models.CharField(_("token prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_on = models.DateField(_("valid until"))
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")

    def __str__(self) -> str:
        return f"{self.integration} {self.prefix}…"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.revoked_at is None and day <= self.expires_on

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(s, s)) for s in self.scopes]


class IntegrationEvent(models.Model):
    """One change to an integration or its tokens: who, when, what, why. Never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Integration created")
        TOKEN_ISSUED = "token_issued", _("Token issued")
        TOKEN_REVOKED = "token_revoked", _("Token revoked")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acting_username = models.CharField(_("by (username)"), max_length=150)
    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.CASCADE, related_name="events"
    )
    token = models.ForeignKey(
        IntegrationToken,
        verbose_name=_("token"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    what = models.CharField(_("what"), max_length=500)
    reason = models.CharField(_("why"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("integration change")
        verbose_name_plural = _("integration changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.acting_username} {self.kind} {self.integration_id}"
