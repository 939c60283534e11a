from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "studievag.core"
    verbose_name = _("Core")


class StudievagAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "studievag.core.admin_site.StudievagAdminSite"


class AxesConfig(axes_apps.AppConfig):
    """django-axes (log-in throttling) under a name the admin's index shows in the user's language."""

    default = False
    verbose_name = _("Log-in attempts")
