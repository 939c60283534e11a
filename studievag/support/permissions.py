"""Who may see and record support needs.

Support needs are special category data (GDPR art. 9): shown only to student
health, the principal and the student's mentor, each read logged; the same
need-to-know roles record them (append-only, with a reason).
"""

from django.utils.translation import gettext_lazy as _

from studievag.access.declarations import Abilities, AreaRules, RecordPart, roles
from studievag.access.models import Role

SUPPORT_NEEDS = "support_needs"
SUPPORT_NEEDS_WRITERS = roles(Role.STUDENT_HEALTH, Role.PRINCIPAL, Role.MENTOR)

RULES = AreaRules(
    parts=(RecordPart(SUPPORT_NEEDS, _("Support needs"), SUPPORT_NEEDS_WRITERS, sensitive=True),),
    abilities=(
        Abilities(
            kind="support_needs",
            part=SUPPORT_NEEDS,
            by_role={role: frozenset({"record"}) for role in SUPPORT_NEEDS_WRITERS},
        ),
    ),
)
