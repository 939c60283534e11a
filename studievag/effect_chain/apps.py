from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EffectChainConfig(AppConfig):
    name = "studievag.effect_chain"
    label = "effect_chain"
    verbose_name = _("Effect chain")
