"""The link between an account and a person's identity at their organisation's identity provider."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SignOnIdentity(models.Model):
    """An eduPersonPrincipalName (e.g. ``maria.lindqvist@skovde.se``) that signs in as an account.

    SAML sign-on (``core/saml.py``) finds the account through this link and nothing else:
    an administrator creates the account, gives it roles and links the identity; the
    identity provider's attributes never create an account or a role.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="sign_on_identities",
    )
    principal_name = models.CharField(
        _("eduPersonPrincipalName"),
        max_length=255,
        unique=True,
        help_text=_("The person's identity at their organisation, e.g. maria.lindqvist@skovde.se."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sign-on identity")
        verbose_name_plural = _("sign-on identities")
        ordering = ["principal_name"]

    def __str__(self) -> str:
        return self.principal_name

    def save(self, *args, **kwargs):
        self.principal_name = normalise_principal_name(self.principal_name)
        super().save(*args, **kwargs)


def normalise_principal_name(value: str) -> str:
    """Principal names compare without case and surrounding spaces."""
    return (value or "").strip().lower()
