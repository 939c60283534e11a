"""Handovers for tests, walked through the real services to the wanted status."""

import datetime

from studievag.demo.services import make_identity_number
from studievag.handover import services
from studievag.handover.models import Handover, Status
from studievag.people.models import add_years

_serial = iter(range(1, 10_000))


def pedagogical(**extra) -> dict:
    values = {
        "first_name": "Nour",
        "last_name": "Haddad",
        "grades": "Ma E, En C, SvA E",
        "merit_value": 145,
        "subjects_levels": "Svenska som andraspråk: steg 3",
        "mother_tongue": "ar",
        "languages": "arabiska, engelska",
        "schooling_in_sweden": "Sedan åk 7",
        "schooling_abroad_years": 6,
        "what_worked": "Studiehandledning på arabiska",
        "support_measures": "Extra anpassningar i matematik",
        "support_effect": "Klarade E i matematik",
        "attendance": "91 % vårterminen",
        "student_voice": "Jag vill bli elektriker.",
    }
    values.update(extra)
    return values


def make_handover(
    cast,
    status: str = Status.SENT,
    *,
    unit=None,
    protected: bool = False,
    contact=None,
    destination: str = Handover.Destination.UNIT,
    **extra,
) -> Handover:
    n = next(_serial)
    born = add_years(datetime.date.today(), -16) - datetime.timedelta(days=40 + n)
    values = pedagogical(
        identity_number=make_identity_number(born, 980 + n % 20),
        protected_identity=protected,
        address="" if protected else "Storgatan 1, Skövde",
        **extra,
    )
    handover = services.handover_create(acting_user=cast.sending, sending_unit=cast.sending_unit, values=values)
    if status == Status.DRAFT:
        return handover
    unit = unit or cast.unit_a
    handover = services.handover_send(
        acting_user=cast.sending,
        handover=handover,
        destination=destination,
        receiving_unit=unit if destination == Handover.Destination.UNIT else None,
        receiving_organiser=unit.organiser if destination == Handover.Destination.ORGANISER else None,
        contact_person=contact or (cast.counsellor_a if protected else None),
    )
    if status == Status.SENT:
        return handover
    handover = services.handover_receive(
        acting_user=cast.counsellor_a, handover=handover, contact_person=cast.counsellor_a
    )
    if status == Status.RECEIVED:
        return handover
    handover = services.handover_record_meeting(
        acting_user=cast.counsellor_a,
        handover=handover,
        held_on=datetime.date.today(),
        participants="Eleven, vårdnadshavare, mentor åk 9, SYV",
        student_voice="Vill börja med svenska och praktik.",
    )
    if status == Status.MEETING_HELD:
        return handover
    return services.handover_close(acting_user=cast.counsellor_a, handover=handover)
