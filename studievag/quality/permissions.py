"""Group-level quality reports: figures only, always suppressed for those outside the unit.

A principal may see the unsuppressed figures of own school units.
"""

from studievag.access.declarations import INDIVIDUAL_STAFF_ROLES, Action, AreaRules, roles
from studievag.access.models import Role

RULES = AreaRules(
    actions=(
        Action("quality.report", roles(Role.PRINCIPAL, Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR)),
        Action("quality.unsuppressed", roles(Role.PRINCIPAL)),
        Action("quality.reflect", roles(INDIVIDUAL_STAFF_ROLES, Role.ORGANISER_ANALYST)),
        Action(
            "quality.reflections",
            roles(INDIVIDUAL_STAFF_ROLES, Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR),
        ),
    ),
)
