"""Who may write, send, receive and follow handovers.

A handover is not yet part of a student's record here when it is written: the
sending school sees only the handovers sent from its own school units (nobody
else at its organiser does), and the receiving side only those sent to its own
school units or organiser. The scoping lives in :mod:`.selectors`. Once the
receiving school links a handover to a student record it becomes the
``handover`` part of that record, read by the people who work with the student.
"""

from django.utils.translation import gettext_lazy as _

from studievag.access.declarations import FAMILY_ROLES, Action, AreaRules, RecordPart, roles
from studievag.access.models import Role

HANDOVER = "handover"
RECEIVERS = roles(Role.COUNSELLOR, Role.PRINCIPAL, Role.STUDENT_HEALTH)

RULES = AreaRules(
    parts=(RecordPart(HANDOVER, _("Handover"), roles(RECEIVERS, Role.MENTOR)),),
    actions=(
        Action("handover.send", roles(Role.SENDING_SCHOOL)),
        # One handover's page, from whichever side the user has it (see selectors).
        Action("handover.view", roles(Role.SENDING_SCHOOL, RECEIVERS)),
        Action("handover.receive", RECEIVERS),
        # Book and record the meeting, link to a student record, start the plan.
        Action("handover.follow_up", roles(Role.COUNSELLOR, Role.PRINCIPAL)),
        # The organiser's deadline.
        Action("handover.settings", roles(Role.PRINCIPAL, Role.ORGANISER_ANALYST)),
        # Counts per organiser and status (never content) and the placement queue.
        Action("handover.region", roles(Role.REGIONAL_COORDINATOR)),
        Action("handover.family", FAMILY_ROLES),
    ),
)
