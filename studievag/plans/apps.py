from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "studievag.plans"
    verbose_name = _("Individual study plans")
