"""Who may see and record progression, grades, attendance and team decisions."""

from django.utils.translation import gettext_lazy as _

from studievag.access.declarations import (
    EVERY_ROLE,
    FAMILY_ROLES,
    INDIVIDUAL_STAFF_ROLES,
    Action,
    AreaRules,
    RecordPart,
    roles,
)
from studievag.access.models import Role

PROGRESS = "progress"  # progression, grades, attendance, team decisions

RULES = AreaRules(
    parts=(RecordPart(PROGRESS, _("Progression and attendance"), roles(INDIVIDUAL_STAFF_ROLES, FAMILY_ROLES)),),
    actions=(
        # Record progression, grades and attendance for a course group: its teachers,
        # and the principal at the group's school unit.
        Action("progress.record", roles(Role.TEACHER, Role.PRINCIPAL)),
        # The weekly team overview and the decisions taken there.
        Action("progress.team", INDIVIDUAL_STAFF_ROLES),
        # A student's progression page for staff.
        Action("progress.view", INDIVIDUAL_STAFF_ROLES),
        # The organiser's scales and thresholds.
        Action("progress.settings", roles(Role.PRINCIPAL, Role.ORGANISER_ANALYST)),
        # Definitions (the in-line rule, the signals): for every signed-in user.
        Action("progress.help", EVERY_ROLE),
    ),
)
