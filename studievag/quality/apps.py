from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "studievag.quality"
    verbose_name = _("Systematic quality work")
