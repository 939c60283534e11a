"""Who may see and change individual study plans and the organiser's plan för utbildning.

The plan is a part of the record. Teachers read a summary (goals, courses,
review status) of the students in their groups; the roles that work on the
plan with the student see all of it.
"""

from django.utils.translation import gettext_lazy as _

from studievag.access.declarations import (
    FAMILY_ROLES,
    INDIVIDUAL_STAFF_ROLES,
    Abilities,
    Action,
    AreaRules,
    RecordPart,
    roles,
)
from studievag.access.models import Role

PLAN = "plan"
PLAN_SUMMARY = "plan_summary"
# The student's own proposals before a plan talk (kind of object, see ``abilities`` below).
PROPOSAL = "plan_proposal"

_PLAN_READERS = roles(FAMILY_ROLES, Role.MENTOR, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL)

RULES = AreaRules(
    parts=(
        RecordPart(PLAN, _("Study plan"), _PLAN_READERS),
        RecordPart(PLAN_SUMMARY, _("Study plan summary"), roles(_PLAN_READERS, Role.TEACHER)),
    ),
    actions=(
        Action("plan.view", INDIVIDUAL_STAFF_ROLES),
        Action("plan.list", roles(Role.MENTOR, Role.PRINCIPAL)),
        Action("plan.education_plan.view", roles(INDIVIDUAL_STAFF_ROLES, Role.ORGANISER_ANALYST)),
        Action("plan.education_plan.edit", roles(Role.PRINCIPAL, Role.ORGANISER_ANALYST)),
    ),
    abilities=(
        # ``edit_content``: every section; ``edit_path``: study path, planned length and
        # goals (counsellors); ``review``: record plan talks; ``approve``; ``export`` and
        # ``import`` the portable plan; ``guide``: record study and careers guidance.
        Abilities(
            kind="plan",
            part=PLAN_SUMMARY,
            by_role={
                Role.MENTOR: frozenset({"edit_content", "edit_path", "review", "export", "import"}),
                Role.COUNSELLOR: frozenset({"edit_path", "export", "import", "guide"}),
                Role.PRINCIPAL: frozenset(
                    {"edit_content", "edit_path", "review", "approve", "export", "import", "guide"}
                ),
            },
        ),
        # The student's proposal before a plan talk: the student writes it (a guardian
        # reads the plan but never writes in the student's name); the roles that hold the
        # plan talk take it into the plan or answer it.
        Abilities(
            kind=PROPOSAL,
            part=PLAN,
            by_role={
                Role.STUDENT: frozenset({"propose"}),
                Role.MENTOR: frozenset({"take", "answer"}),
                Role.PRINCIPAL: frozenset({"take", "answer"}),
            },
        ),
    ),
)
