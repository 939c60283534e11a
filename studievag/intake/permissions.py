"""Who may record the mapping at intake (it is read as part of the background)."""

from studievag.access.declarations import Action, AreaRules, roles
from studievag.access.models import Role

RULES = AreaRules(
    actions=(
        # Record the mapping at intake for students in scope through one of these roles.
        Action("intake.edit", roles(Role.MENTOR, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL)),
    ),
)
