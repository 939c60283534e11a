from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "studievag.handover"
    verbose_name = _("Handovers")
