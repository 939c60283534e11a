import datetime

from studievag.handover.models import Handover, Status
from studievag.testing import Route

from .factories import make_handover, pedagogical

SENDER = frozenset({"sending_school"})
RECEIVERS = frozenset({"counsellor", "principal", "student_health"})
FOLLOW_UP = frozenset({"counsellor", "principal"})


def _draft(c):
    return {"pk": make_handover(c, Status.DRAFT).pk}


def _sent(c):
    return {"pk": make_handover(c, Status.SENT).pk}


def _received(c):
    return {"pk": make_handover(c, Status.RECEIVED).pk}


def _meeting(c):
    return {"pk": make_handover(c, Status.MEETING_HELD).pk}


def _linked_to_alice(c):
    handover = make_handover(c, Status.RECEIVED)
    Handover.objects.filter(pk=handover.pk).update(student=c.alice)
    return handover


def _form(c):
    data = {k: v for k, v in pedagogical().items() if v is not None}
    data.update(sending_unit=c.sending_unit.pk, identity_number="", date_of_birth="2010-03-01")
    return data


def _ims() -> int:
    from studievag.organisations.models import Programme

    return Programme.objects.get(code="IMS").pk


ROUTES = [
    Route("handover:outgoing", SENDER),
    Route("handover:create", SENDER),
    Route("handover:create", SENDER, method="post", data=_form),
    Route("handover:edit", SENDER, kwargs=_draft),
    Route("handover:edit", SENDER, kwargs=_draft, method="post", data=_form),
    Route("handover:send", SENDER, kwargs=_draft),
    Route(
        "handover:send",
        SENDER,
        kwargs=_draft,
        method="post",
        data=lambda c: {"destination": "unit", "receiving_unit": c.unit_a.pk},
    ),
    Route("handover:detail", frozenset(SENDER | RECEIVERS), kwargs=_sent, label="sent to A"),
    # A draft is the sending school's alone.
    Route("handover:detail", SENDER, kwargs=_draft, label="draft"),
    # Sent to school B: only B's receivers (none in the fixed cast has that role there).
    Route("handover:detail", SENDER, kwargs=lambda c: {"pk": make_handover(c, unit=c.unit_b).pk}, label="sent to B"),
    # Protected identity: on the receiving side only the named contact person.
    Route(
        "handover:detail",
        frozenset({"sending_school", "counsellor"}),
        kwargs=lambda c: {"pk": make_handover(c, protected=True).pk},
        label="protected",
    ),
    Route("handover:incoming", RECEIVERS),
    Route(
        "handover:receive",
        RECEIVERS,
        kwargs=_sent,
        method="post",
        data=lambda c: {"contact_person": c.counsellor_a.pk, "contact_phone": "0500-12 34 56"},
    ),
    Route(
        "handover:book",
        FOLLOW_UP,
        kwargs=_received,
        method="post",
        data=lambda c: {"meeting_on": (datetime.date.today() + datetime.timedelta(days=7)).isoformat()},
    ),
    Route(
        "handover:meeting",
        FOLLOW_UP,
        kwargs=_received,
        method="post",
        data=lambda c: {
            "held_on": datetime.date.today().isoformat(),
            "participants": "Eleven, SYV",
            "student_voice": "Vill läsa svenska först.",
        },
    ),
    Route("handover:close", FOLLOW_UP, kwargs=_meeting, method="post"),
    Route(
        "handover:start_record",
        FOLLOW_UP,
        kwargs=_received,
        method="post",
        data=lambda c: {"programme": _ims(), "start_date": "2026-08-17"},
    ),
    Route("handover:settings", frozenset({"principal", "organiser_analyst"})),
    Route(
        "handover:settings",
        frozenset({"principal", "organiser_analyst"}),
        method="post",
        data=lambda c: {"organiser": c.organiser_a.pk, "deadline_weeks": 4, "term_starts_on": ""},
    ),
    Route("handover:queue", frozenset({"regional_coordinator"})),
    Route(
        "handover:place",
        frozenset({"regional_coordinator"}),
        kwargs=lambda c: {"pk": make_handover(c, destination=Handover.Destination.QUEUE).pk},
        method="post",
        data=lambda c: {"receiving_unit": c.unit_a.pk},
    ),
    Route("handover:family", frozenset({"student", "guardian"})),
    Route("quality:handovers", frozenset({"regional_coordinator"})),
]
