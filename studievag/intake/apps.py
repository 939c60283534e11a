from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "studievag.intake"
    verbose_name = _("Mapping at intake")
