"""Who may record exits and follow-ups, and who receives the hand-overs to the activity responsibility.

The counsellor and the principal of the student's (last) school unit record the
exit and do the follow-up interviews; the mentor reads the outcome on the
record. The municipality's contact for the activity responsibility sees only
the hand-overs to their own municipality, with only what the responsibility
needs (who, born when, how to reach them, where they left from and when), and
never the student's record.
"""

from django.utils.translation import gettext_lazy as _

from studievag.access.declarations import Abilities, Action, AreaRules, RecordPart, roles
from studievag.access.models import Role

OUTCOMES = "outcomes"  # the exit, the follow-ups and the outcome against the plan
KAA_REFERRAL = "kaa_referral"  # what a hand-over shows the municipality (logged per read)

FOLLOW_UP_STAFF = roles(Role.COUNSELLOR, Role.PRINCIPAL)

RULES = AreaRules(
    parts=(
        RecordPart(OUTCOMES, _("Exit and follow-up"), roles(FOLLOW_UP_STAFF, Role.MENTOR)),
        RecordPart(KAA_REFERRAL, _("Hand-over to the activity responsibility"), roles(Role.KAA_CONTACT)),
    ),
    actions=(
        Action("outcomes.follow_up", FOLLOW_UP_STAFF),
        Action("outcomes.view", roles(FOLLOW_UP_STAFF, Role.MENTOR)),
        Action("outcomes.kaa_inbox", roles(Role.KAA_CONTACT)),
    ),
    abilities=(
        # ``record_exit``: end the enrolment with an exit; ``follow_up``: record attempts
        # and outcomes; both only where the role reaches the student.
        Abilities(
            kind="exit",
            part=OUTCOMES,
            by_role={
                Role.COUNSELLOR: frozenset({"record_exit", "follow_up"}),
                Role.PRINCIPAL: frozenset({"record_exit", "follow_up"}),
            },
        ),
    ),
)
