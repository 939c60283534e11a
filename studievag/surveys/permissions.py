"""The student survey: students answer; the organiser sets up waves; figures only above a minimum.

Free-text answers are read only by staff of the school unit they come from:
what a student writes in their own words can tell who wrote it, so it stays
with the people who already work with the students there.
"""

from studievag.access.declarations import INDIVIDUAL_STAFF_ROLES, Action, AreaRules, roles
from studievag.access.models import Role

RULES = AreaRules(
    actions=(
        Action("surveys.answer", roles(Role.STUDENT)),
        Action("surveys.manage", roles(Role.ORGANISER_ANALYST)),
        Action("surveys.results", roles(Role.PRINCIPAL, Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR)),
        Action("surveys.free_text", roles(INDIVIDUAL_STAFF_ROLES)),
    ),
)
