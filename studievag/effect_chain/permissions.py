"""Effect chains: organiser analysts plan their organiser's chain, regional
coordinators their region's; each reads the other's (figures only within their
own report scope). Staff development is recorded by principals for their units
and by analysts for their organiser."""

from studievag.access.declarations import Action, AreaRules, roles
from studievag.access.models import Role

RULES = AreaRules(
    actions=(
        Action("effect_chain.view", roles(Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR)),
        Action("effect_chain.edit", roles(Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR)),
        Action("effect_chain.staff_development", roles(Role.PRINCIPAL, Role.ORGANISER_ANALYST)),
    ),
)
