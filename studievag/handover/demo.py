"""Demo handovers in Skaraborg: every status, overdue ones, the region's queue, a student
with protected identity, handovers behind the students who started this year (so the
indicators have data), and students registered without a personnummer (reserve and
interim numbers) and with a legal representative (god man).

Called once from ``demo.services._Builder.build``. The demo's own handovers are written
through the services, so their status history is real; then their dates are moved back.
"""

import datetime
import random

from django.db.models import Q
from django.utils import translation

from studievag.access.models import Role, RoleAssignment
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Programme, SchoolUnit
from studievag.people import services as people_services
from studievag.people.identity import luhn_digit
from studievag.people.models import Guardian, Student, add_years

from . import services
from .models import Handover, HandoverEvent, HandoverSettings, Status

SENDING_SCHOOLS = [
    ("Lidköping", "Rudenschöldsskolan 7–9"),
    ("Falköping", "Centralskolan 7–9"),
    ("Mariestad", "Högelidsskolan 7–9"),
    ("Vara", "Västra skolan 7–9"),
]
# (first, last, mother tongue, grades, merit, voice)
PEOPLE = [
    ("Amina", "Yusuf", "so", "SvA E, Ma F, En E", 95, "Jag vill läsa till undersköterska."),
    ("Dawit", "Tesfaye", "ti", "SvA F, Ma E, En D", 80, "Jag gillar att jobba med händerna."),
    ("Hamid", "Rahimi", "fa", "SvA E, Ma E, En C, Bi E", 150, "Jag vill bli elektriker."),
    ("Lina", "Haddad", "ar", "SvA D, Ma E, En B", 185, "Jag vill gå naturvetenskapsprogrammet sen."),
    ("Oliver", "Nilsson", "sv", "Sv E, Ma F, En E", 110, "Skolan har varit jobbig, jag vill ha praktik."),
    ("Sara", "Ahmadi", "fa", "SvA E, Ma D, En C", 170, "Jag vill bli sjuksköterska."),
    ("Yonas", "Gebre", "ti", "SvA F, Ma F, En E", 40, "Jag vill lära mig svenska snabbt."),
    ("Fatima", "Ali", "ar", "SvA E, Ma E, En E", 130, "Barn och fritid, det vill jag."),
    ("Mohamed", "Abdi", "so", "SvA F, Ma E, En D", 90, "Jag vill köra lastbil."),
    ("Elsa", "Karlsson", "sv", "Sv E, Ma E, En D, SO F", 120, "Jag behöver lugn och ro."),
    ("Ahmad", "Nazari", "fa", "SvA E, Ma C, En D", 195, "Jag vill plugga vidare."),
    ("Noor", "Hassan", "ar", "SvA F, Ma F, En F", 0, "Jag kom hit för ett år sedan."),
]
FEMALE = {"Amina", "Lina", "Sara", "Fatima", "Elsa", "Noor"}
STREETS = ["Storgatan", "Kyrkogatan", "Skolgatan"]
WORKED = [
    "Studiehandledning på modersmålet två gånger i veckan.",
    "Korta genomgångar och bildstöd.",
    "Mindre grupp i matematik.",
    "Tydlig struktur och schema i förväg.",
]
SUPPORT = [
    ("Extra anpassningar i matematik.", "Klarade E på nationella provet."),
    ("Särskilt stöd i svenska som andraspråk, åtgärdsprogram.", "Tydlig progression i läsförståelse."),
    ("Anpassad studiegång i åk 9.", "Närvaron ökade från 60 % till 85 %."),
    ("", ""),
]


def seed(*, builder) -> dict:
    """The demo's handovers and registrations; returns the numbers for the summary.

    Written in Swedish, as the staff of Skaraborg would: the status history keeps the
    words of whoever took each step."""
    with translation.override("sv"):
        return _seed(builder=builder)


def _seed(*, builder) -> dict:
    _settings(builder)
    senders = _senders(builder)
    made = _handovers(builder, senders)
    linked = _behind_this_years_students(builder, senders[:-1])
    registered = _without_personnummer(builder)
    return {"handovers": made + linked, "registered_without_personnummer": registered}


def _settings(builder) -> None:
    """Skövde's deadline and term start; Lidköping's deadline."""
    users = builder.users
    start = services.start_for(None, builder.today)
    HandoverSettings.objects.create(
        organiser=builder.units[0].organiser, deadline_weeks=3, term_starts_on=start, updated_by=users["principal"]
    )
    HandoverSettings.objects.create(
        organiser=builder.organisers["Lidköping"], deadline_weeks=4, updated_by=users["principal"]
    )


def _senders(builder) -> list[tuple[SchoolUnit, object]]:
    """The sending schools and who writes there: the demo login's school first, an IM unit last."""
    rng: random.Random = builder.rng
    senders = [(builder.sending_unit, builder.users["sending_school"])]
    for municipality, name in SENDING_SCHOOLS:
        unit = SchoolUnit.objects.create(
            code=f"{rng.randint(10_000_000, 99_999_999)}",
            name=name,
            organiser=builder.organisers[municipality],
            school_type=SchoolUnit.SchoolType.COMPULSORY,
            municipality=municipality,
        )
        person = builder.staff_user("grundskola")
        builder.assign(person, Role.SENDING_SCHOOL, school_unit=unit)
        senders.append((unit, person))
    # A student changing school within the region: an IM unit sends too.
    changer = builder.staff_user("syv")
    builder.assign(changer, Role.SENDING_SCHOOL, school_unit=builder.units[2])
    senders.append((builder.units[2], changer))
    return senders


class _Writer:
    """Writes demo handovers through the services, each taken as far as the status asked for."""

    def __init__(self, builder):
        self.builder = builder
        self.rng: random.Random = builder.rng
        self.today = builder.today
        self.main = builder.units[0]
        self.counsellor = builder.users["counsellor"]
        self.people = iter(PEOPLE * 6)
        self.made: list[Handover] = []

    def values(self, unit: SchoolUnit, protected: bool, extra: dict) -> tuple[dict, str]:
        rng, today = self.rng, self.today
        first, last, tongue, grades, merit, voice = next(self.people)
        support, effect = rng.choice(SUPPORT)
        born = add_years(today, -15) - datetime.timedelta(days=rng.randint(30, 330))
        values = {
            "identity_number": self.builder.identity(born, female=first in FEMALE),
            "first_name": first,
            "last_name": last,
            "protected_identity": protected,
            "address": "" if protected else f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {unit.municipality}",
            "programme": Programme.objects.get(code=rng.choice(["IMS", "IMY", "IMV", "IMA"])),
            "grades": grades,
            "merit_value": merit,
            "subjects_levels": "Svenska som andraspråk: steg 3 av 5; matematik: steg 2 av 5",
            "mother_tongue": tongue,
            "languages": "engelska" if tongue == "sv" else "svenska, engelska",
            "schooling_in_sweden": f"Sedan åk {rng.choice([6, 7, 8, 9])} i {unit.municipality}",
            "schooling_abroad_years": 0 if tongue == "sv" else rng.randint(2, 7),
            "what_worked": rng.choice(WORKED),
            "support_measures": support,
            "support_effect": effect,
            "attendance": f"{rng.randint(70, 98)} % under vårterminen",
            "student_voice": voice,
            **extra,
        }
        return values, voice

    def write(self, sender, status, *, to=None, protected=False, destination=Handover.Destination.UNIT, **extra):
        unit, person = sender
        to = to or self.main
        values, voice = self.values(unit, protected, extra)
        handover = services.handover_create(acting_user=person, sending_unit=unit, values=values)
        if status != Status.DRAFT:
            handover = services.handover_send(
                acting_user=person,
                handover=handover,
                destination=destination,
                receiving_unit=to if destination == Handover.Destination.UNIT else None,
                receiving_organiser=to.organiser if destination == Handover.Destination.ORGANISER else None,
                contact_person=self.counsellor if protected else None,
            )
        handover = self.take_further(handover, status, to=to, voice=voice)
        self.made.append(handover)
        return handover

    def take_further(self, handover: Handover, status, *, to: SchoolUnit, voice: str) -> Handover:
        receiver = self.counsellor if to == self.main else _receiver_at(to)
        if status in (Status.RECEIVED, Status.MEETING_HELD, Status.CLOSED):
            handover = services.handover_receive(
                acting_user=receiver, handover=handover, contact_person=receiver, contact_phone="0500-49 80 00"
            )
        if status in (Status.MEETING_HELD, Status.CLOSED):
            handover = services.handover_record_meeting(
                acting_user=receiver,
                handover=handover,
                held_on=self.today - datetime.timedelta(days=self.rng.randint(1, 20)),
                participants="Eleven, vårdnadshavare, mentor åk 9, SYV på introduktionsprogrammet",
                student_voice=voice,
            )
        if status == Status.CLOSED:
            handover = services.handover_close(acting_user=receiver, handover=handover)
        return handover


def _handovers(builder, senders) -> int:
    """Handovers in every status: the demo login's to the counsellor's school, the others all over."""
    today = builder.today
    writer = _Writer(builder)
    write = writer.write
    own = senders[0]
    # The sending_school login's handovers to the counsellor's school: every status.
    write(own, Status.DRAFT)
    write(
        own,
        Status.DRAFT,
        other_information="Astma; har medicin i skolan.",
        consent_by="guardian",
        consent_name="Vårdnadshavare",
        consent_given_on=today - datetime.timedelta(days=3),
    )
    for _ in range(3):
        write(own, Status.SENT)
    write(own, Status.RECEIVED)
    write(own, Status.RECEIVED)
    write(own, Status.MEETING_HELD)
    write(own, Status.CLOSED)
    write(own, Status.SENT, protected=True)
    write(own, Status.SENT, destination=Handover.Destination.QUEUE)
    write(own, Status.SENT, to=builder.units[1], destination=Handover.Destination.ORGANISER)
    # One is overdue: the start is near and nobody has received it.
    late = write(own, Status.SENT, starts_on=today + datetime.timedelta(days=10))
    # From the other sending schools to units all over the region.
    for sender in senders[1:]:
        for status in (Status.SENT, Status.SENT, Status.RECEIVED, Status.MEETING_HELD, Status.CLOSED):
            write(sender, status, to=builder.rng.choice(builder.units))
        write(sender, Status.SENT, destination=Handover.Destination.QUEUE)
    # Spread the dates over the spring, oldest first.
    made = writer.made
    for i, handover in enumerate(made):
        _move_back(handover, days=len(made) - i + 5)
    Handover.objects.filter(pk=late.pk).update(deadline=today - datetime.timedelta(days=2))
    return len(made)


def _receiver_at(unit: SchoolUnit):
    assignment = RoleAssignment.objects.filter(school_unit=unit, role=Role.COUNSELLOR).select_related("user").first()
    return assignment.user


def _move_back(handover: Handover, *, days: int) -> None:
    """Move a demo handover's timestamps ``days`` back, keeping their order."""
    shift = datetime.timedelta(days=days)
    fields = {}
    for name in ("created_at", "updated_at", "sent_at", "received_at", "closed_at"):
        value = getattr(handover, name)
        if value is not None:
            fields[name] = value - shift
    Handover.objects.filter(pk=handover.pk).update(**fields)
    for event in handover.events.all():
        HandoverEvent.objects.filter(pk=event.pk).update(at=event.at - shift)


def _behind_this_years_students(builder, senders) -> int:
    """Closed handovers behind most students who started this school year, linked to their record:
    most received before the first day, some late, some placed slowly through the queue."""
    rng = builder.rng
    today = builder.today
    year_start = datetime.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    enrolments = (
        Enrolment.objects.filter(Q(start_date__gte=year_start, start_date__lte=today) | Q(student=builder.demo_student))
        .select_related("student", "school_unit__organiser")
        .order_by("pk")
    )
    rows, events = [], []
    for e in enrolments:
        if rng.random() < 0.3 and e.student != builder.demo_student:
            continue  # came without a handover (from abroad, or the school never sent one)
        s = e.student
        sending_unit, author = rng.choice(senders)
        start = datetime.datetime.combine(e.start_date, datetime.time(9), tzinfo=datetime.UTC)
        sent = start - datetime.timedelta(days=rng.choice([70, 50, 35, 25, 10]))
        received = sent + datetime.timedelta(days=rng.choice([1, 3, 6, 10, 21, 40]))
        rows.append(
            Handover(
                sending_unit=sending_unit,
                receiving_unit=e.school_unit,
                receiving_organiser=e.school_unit.organiser,
                region=e.school_unit.organiser.region,
                programme=e.programme,
                starts_on=e.start_date,
                deadline=e.start_date - datetime.timedelta(weeks=3),
                status=Status.CLOSED,
                identity_number=s.personal_identity_number,
                first_name=s.first_name,
                last_name=s.last_name,
                date_of_birth=s.date_of_birth,
                protected_identity=s.has_protected_identity,
                student=s,
                grades="",
                student_voice="",
                created_by=author,
                created_at=sent - datetime.timedelta(days=5),
                updated_at=received + datetime.timedelta(days=20),
                sent_at=sent,
                received_at=received,
                closed_at=received + datetime.timedelta(days=20),
                meeting_held_on=(received + datetime.timedelta(days=7)).date(),
                meeting_participants="Eleven, vårdnadshavare, SYV",
                meeting_student_voice="Vill komma igång snabbt.",
            )
        )
    Handover.objects.bulk_create(rows)
    receiver = builder.users["counsellor"]
    for h in Handover.objects.filter(status=Status.CLOSED, student__isnull=False).exclude(events__isnull=False):
        events += [
            HandoverEvent(handover=h, status=Status.DRAFT, what="Utkast påbörjat", by=h.created_by, at=h.created_at),
            HandoverEvent(handover=h, status=Status.SENT, what="Skickad", by=h.created_by, at=h.sent_at),
            HandoverEvent(handover=h, status=Status.RECEIVED, what="Mottagen", by=receiver, at=h.received_at),
            HandoverEvent(handover=h, status=Status.CLOSED, what="Avslutad", by=receiver, at=h.closed_at),
        ]
    HandoverEvent.objects.bulk_create(events)
    # The demo student came with a handover too: the student and guardian see the contact.
    demo = Handover.objects.filter(student=builder.demo_student).first()
    if demo is not None:
        Handover.objects.filter(pk=demo.pk).update(contact_person=receiver, contact_phone="0500-49 80 00")
    return len(rows)


def _without_personnummer(builder) -> int:
    """At the counsellor's school: two newly arrived students on språkintroduktion registered with
    reserve numbers, one with an interim number, and an unaccompanied minor with a god man.

    Existing demo students are given these numbers (as if registered so), so the demo keeps the
    number of students asked for."""
    today = builder.today
    main = builder.units[0]
    candidates = list(
        Student.objects.filter(
            enrolments__school_unit=main,
            enrolments__programme__code="IMS",
            enrolments__end_date__isnull=True,
            date_of_birth__gt=add_years(today, -18) + datetime.timedelta(days=60),
            security_marking=Student.SecurityMarking.NONE,
        )
        .exclude(country_of_birth="SE")
        .exclude(pk=builder.demo_student.pk)
        .exclude(user__isnull=False)
        .order_by("pk")[:3]
    )
    for student in candidates[:2]:
        number = people_services.reserve_number_assign(date_of_birth=student.date_of_birth)
        Student.objects.filter(pk=student.pk).update(personal_identity_number=number)
    if len(candidates) == 3:
        born = candidates[2].date_of_birth
        serial = 98
        interim = f"{born:%Y%m%d}T{serial:02d}{luhn_digit(f'{born:%y%m%d}1{serial:02d}')}"
        Student.objects.filter(pk=candidates[2].pk).update(personal_identity_number=interim)
    if candidates:
        minor = candidates[0]
        minor.guardian_links.all().delete()
        god_man = Guardian.objects.create(first_name="Göran", last_name="Berg", phone="070-498 00 11")
        people_services.legal_representative_appoint(
            acting_user=builder.users["principal"],
            student=minor,
            guardian=god_man,
            appointed_on=today - datetime.timedelta(days=200),
            decision_reference="ÖF Skövde 2026/118",
        )
    return len(candidates)
