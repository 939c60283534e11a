"""A simulated municipal student register, for the demo and the tests.

``register_from_studievag`` builds an SS 12000 register holding what
Studieväg already knows of one organiser — its upper-secondary school units,
the introduction-programme students with their enrolments and guardians,
mentor and course groups with their members, and the staff's duties — as a
municipality's student administration system would have it. Ids are stable
(derived from Studieväg's keys), so building it twice gives the same register.
``municipal_changes`` then does what a term brings: students arrive, one
changes name, one gets a protected identity, one moves away (deleted), one
moves on to a national programme.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Q

from studievag.access.models import Role, RoleAssignment
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.people.models import GuardianLink, Student

from .ss12000 import builders
from .ss12000.testserver import Register

NAMESPACE = uuid.UUID("5b0a6f0e-9a53-4c55-9f6c-1f4a6b7e2d10")
# Skatteverket's test series: birth numbers 980–999 belong to no real person.
TEST_BIRTH_NUMBERS = range(980, 1000)
NATIONAL_PROGRAMME = ("NA", "Naturvetenskapsprogrammet")
MARKING = {
    Student.SecurityMarking.NONE: "Ingen",
    Student.SecurityMarking.CONFIDENTIALITY: "Sekretessmarkering",
    Student.SecurityMarking.PROTECTED_REGISTRATION: "Skyddad folkbokföring",
}
SEX = {Student.Gender.MALE: "Man", Student.Gender.FEMALE: "Kvinna"}
ROLE_DUTY = {Role.PRINCIPAL: "Rektor", Role.COUNSELLOR: "Studie- och yrkesvägledare", Role.STUDENT_HEALTH: "Kurator"}
RELATION = {GuardianLink.Relation.PARENT: "Vårdnadshavare", GuardianLink.Relation.APPOINTED: "Vårdnadshavare"}


def stable_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def luhn_digit(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def civic_no(born: datetime.date, birth_number: int) -> str:
    """A 12-digit personal identity number in the test series, with a valid check digit."""
    if birth_number not in TEST_BIRTH_NUMBERS:
        raise ValueError("only Skatteverket's test series (980–999)")
    short = f"{born:%y%m%d}{birth_number:03d}"
    return f"{born.year:04d}{short[2:]}{luhn_digit(short)}"


@dataclass
class SimulatedRegister:
    register: Register
    organiser_id: str
    units: dict[int, str] = field(default_factory=dict)  # Studieväg unit pk -> register id
    programmes: dict[str, str] = field(default_factory=dict)  # code -> register id
    students: dict[int, str] = field(default_factory=dict)  # Studieväg student pk -> register person id
    groups: dict[int, str] = field(default_factory=dict)


def register_from_studievag(organiser: Organiser, *, register: Register | None = None) -> SimulatedRegister:
    register = register or Register()
    sim = SimulatedRegister(register=register, organiser_id=stable_id("organiser", organiser.pk))
    register.put(
        "/organisations",
        builders.organisation(
            id=sim.organiser_id,
            display_name=organiser.name,
            organisation_type="Huvudman",
            organisation_number=organiser.organisation_number,
        ),
    )
    units = list(SchoolUnit.objects.filter(organiser=organiser, school_type=SchoolUnit.SchoolType.UPPER_SECONDARY))
    for unit in units:
        sim.units[unit.pk] = stable_id("unit", unit.pk)
        register.put(
            "/organisations",
            builders.organisation(
                id=sim.units[unit.pk],
                display_name=unit.name,
                organisation_type="Skolenhet",
                school_unit_code=unit.code,
                school_types=["GY"],
                parent=sim.organiser_id,
            ),
        )
    for code, name in [("IMA", "Individuellt alternativ"), ("IMS", "Språkintroduktion")] + [
        ("IMV", "Programinriktat val"),
        ("IMY", "Yrkesintroduktion"),
    ]:
        sim.programmes[code] = stable_id("programme", code)
        register.put("/programmes", builders.programme(id=sim.programmes[code], code=code, name=name))
    code, name = NATIONAL_PROGRAMME
    sim.programmes[code] = stable_id("programme", code)
    register.put(
        "/programmes",
        {**builders.programme(id=sim.programmes[code], code=code, name=name), "type": "Högskoleförberedande program"},
    )
    _persons(sim, units)
    _groups(sim, units)
    _duties(sim, units)
    return sim


def _persons(sim: SimulatedRegister, units: list[SchoolUnit]) -> None:
    enrolments = (
        Enrolment.objects.filter(school_unit__in=units).select_related("student", "programme").order_by("start_date")
    )
    by_student: dict[int, list[Enrolment]] = {}
    students: dict[int, Student] = {}
    for e in enrolments:
        by_student.setdefault(e.student_id, []).append(e)
        students[e.student_id] = e.student
    links = GuardianLink.objects.filter(student_id__in=students, valid_to__isnull=True).select_related("guardian")
    guardians_of: dict[int, list[GuardianLink]] = {}
    for link in links:
        guardians_of.setdefault(link.student_id, []).append(link)
        guardian = link.guardian
        sim.register.put(
            "/persons",
            builders.person(
                id=stable_id("guardian", guardian.pk),
                given_name=guardian.first_name,
                family_name=guardian.last_name,
                civic_no=guardian.personal_identity_number or None,
                emails=[(guardian.email, "Privat")] if guardian.email else None,
                phone=guardian.phone or None,
            ),
        )
    for pk, student in students.items():
        sim.students[pk] = stable_id("student", pk)
        sim.register.put(
            "/persons",
            builders.person(
                id=sim.students[pk],
                given_name=student.first_name,
                family_name=student.last_name,
                civic_no=student.personal_identity_number,
                birth_date=student.date_of_birth,
                sex=SEX.get(student.gender, "Okänt"),
                security_marking=MARKING[student.security_marking],
                enrolments=[
                    builders.enrolment(
                        school_unit=sim.units[e.school_unit_id],
                        programme_id=sim.programmes.get(
                            e.programme.code if e.programme.is_active else e.programme.successor.code
                        ),
                        start=e.start_date,
                        end=e.end_date,
                    )
                    for e in by_student[pk]
                ],
                responsibles=[
                    (stable_id("guardian", link.guardian_id), RELATION.get(link.relation, "God man"))
                    for link in guardians_of.get(pk, [])
                ],
            ),
        )


def _groups(sim: SimulatedRegister, units: list[SchoolUnit]) -> None:
    groups = StudentGroup.objects.filter(
        school_unit__in=units, kind__in=[StudentGroup.Kind.MENTOR_GROUP, StudentGroup.Kind.COURSE_GROUP]
    )
    members: dict[int, list[GroupMembership]] = {}
    for m in GroupMembership.objects.filter(group__in=groups, student_id__in=sim.students).order_by("start_date"):
        members.setdefault(m.group_id, []).append(m)
    for group in groups:
        sim.groups[group.pk] = stable_id("group", group.pk)
        first = min((m.start_date for m in members.get(group.pk, [])), default=datetime.date(2020, 8, 1))
        sim.register.put(
            "/groups",
            builders.group(
                id=sim.groups[group.pk],
                display_name=group.name,
                group_type="Mentor" if group.kind == StudentGroup.Kind.MENTOR_GROUP else "Undervisning",
                school_unit=sim.units[group.school_unit_id],
                start=first,
                members=[
                    builders.membership(person_id=sim.students[m.student_id], start=m.start_date, end=m.end_date)
                    for m in members.get(group.pk, [])
                ],
            ),
        )


def _duties(sim: SimulatedRegister, units: list[SchoolUnit]) -> None:
    assignments = RoleAssignment.objects.filter(
        Q(school_unit__in=units, role__in=list(ROLE_DUTY)) | Q(group_id__in=sim.groups, role=Role.MENTOR)
    ).select_related("user", "group")
    for a in assignments:
        person_id = stable_id("staff", a.user_id)
        sim.register.put(
            "/persons",
            builders.person(
                id=person_id,
                given_name=a.user.first_name or a.user.username,
                family_name=a.user.last_name or a.user.username,
                eppn=a.user.username,
                emails=[(a.user.email, "Skola personal")] if a.user.email else None,
            ),
        )
        if a.role == Role.MENTOR:
            unit_ref = sim.units[a.group.school_unit_id]
            duty = builders.duty(
                id=stable_id("duty", a.pk),
                person_id=person_id,
                duty_at=unit_ref,
                duty_role="Lärare",
                start=a.valid_from,
                end=a.valid_to,
                mentor_of=[sim.groups[a.group_id]],
            )
        else:
            duty = builders.duty(
                id=stable_id("duty", a.pk),
                person_id=person_id,
                duty_at=sim.units[a.school_unit_id],
                duty_role=ROLE_DUTY[a.role],
                start=a.valid_from,
                end=a.valid_to,
            )
        sim.register.put("/duties", duty)


@dataclass
class TermChanges:
    """What ``municipal_changes`` did, by register id, for the demo's summary and the tests."""

    added: list[str] = field(default_factory=list)
    renamed: str = ""
    protected: str = ""
    deleted: str = ""
    to_national: str = ""


def municipal_changes(
    sim: SimulatedRegister,
    *,
    today: datetime.date,
    unit_pk: int,
    mentor_group_pk: int | None,
    round_: int = 0,
    spare: frozenset[int] = frozenset(),
) -> TermChanges:
    """A term's changes in the register: two arrivals with a guardian, a new name, a protected
    identity, a student who moved away (deleted) and one who moved on to a national programme.
    ``round_`` tells one call from the next (new people each time); the students in ``spare``
    (Studieväg pks, e.g. those who log in) are never the ones changed."""
    register = sim.register
    changes = TermChanges()
    current = [
        p
        for p in (register.get("/persons", pid) for pid in sim.students.values())
        if p and any(not e.get("endDate") for e in p.get("enrolments", []))
    ]
    current.sort(key=lambda p: p["id"])
    unit_ref = sim.units[unit_pk]
    start = today - datetime.timedelta(days=3)
    for i, (given, family, sex) in enumerate([("Dawit", "Tesfay", "Man"), ("Hana", "Yusuf", "Kvinna")]):
        born = datetime.date(today.year - 17, 3 + i, 11 + round_ % 17)
        guardian = builders.person(
            id=stable_id("new-guardian", today, round_, i),
            given_name="Amanuel" if i == 0 else "Leyla",
            family_name=family,
            civic_no=civic_no(datetime.date(today.year - 45, 5, 2 + i + round_ % 25), 990 + i),
            emails=[(f"vh{i}@example.org", "Privat")],
        )
        register.put("/persons", guardian)
        pid = stable_id("new-student", today, round_, i)
        register.put(
            "/persons",
            builders.person(
                id=pid,
                given_name=given,
                family_name=family,
                civic_no=civic_no(born, 981 + 2 * i if sex == "Man" else 982 + 2 * i),
                birth_date=born,
                sex=sex,
                enrolments=[builders.enrolment(school_unit=unit_ref, programme_id=sim.programmes["IMS"], start=start)],
                responsibles=[(guardian["id"], "Vårdnadshavare")],
            ),
        )
        changes.added.append(pid)
    if mentor_group_pk is not None and mentor_group_pk in sim.groups:
        group = register.get("/groups", sim.groups[mentor_group_pk])
        members = group["groupMemberships"] + [builders.membership(person_id=p, start=start) for p in changes.added]
        register.put("/groups", {**group, "groupMemberships": members})
    spared = {sim.students[pk] for pk in spare if pk in sim.students}
    ordinary = [p for p in current if p.get("securityMarking", "Ingen") == "Ingen" and p["id"] not in spared]
    if len(ordinary) < 4:
        raise ValueError("the register needs four current students without protected identity")
    renamed, protected, moved, national = ordinary[:4]
    register.put("/persons", {**renamed, "familyName": renamed["familyName"] + "-Lind"})
    changes.renamed = renamed["id"]
    register.put("/persons", {**protected, "securityMarking": "Skyddad folkbokföring"})
    changes.protected = protected["id"]
    register.delete("/persons", moved["id"])
    changes.deleted = moved["id"]
    ended = max(
        today - datetime.timedelta(days=1),
        *(datetime.date.fromisoformat(e["startDate"]) for e in national["enrolments"]),
    )
    enrolments = [e if e.get("endDate") else {**e, "endDate": ended.isoformat()} for e in national["enrolments"]]
    enrolments.append(builders.enrolment(school_unit=unit_ref, programme_id=sim.programmes["NA"], start=today))
    register.put("/persons", {**national, "enrolments": enrolments})
    changes.to_national = national["id"]
    return changes
