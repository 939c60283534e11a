"""The mapping, entity by entity, on spec-shaped fixtures (each is checked against SS 12000's schema first)."""

import datetime

import pytest

from studievag.access.models import Role
from studievag.enrolments.models import StudentGroup
from studievag.interop import mapping
from studievag.interop.mapping import Refused
from studievag.interop.simulation import civic_no, luhn_digit
from studievag.interop.ss12000 import builders, schema
from studievag.people.models import GuardianLink, Student

UNIT = "9b2f3c1e-2a44-4f1b-8b1d-6d2f5b9d1a01"
IMS = "1f0c8a7e-3b5d-4c2a-9e4f-7a6b5c4d3e02"
BORN = datetime.date(2009, 3, 11)


def spec(name: str, entity: dict) -> dict:
    """Stamp meta as the register would and check the fixture follows the standard."""
    entity = {**entity, "meta": {"created": "2026-08-01T08:00:00.000Z", "modified": "2026-08-01T08:00:00.000Z"}}
    assert schema.errors(name, entity) == []
    return entity


def student_person(**overrides) -> dict:
    person = builders.person(
        given_name="Dawit",
        family_name="Tesfay",
        civic_no=civic_no(BORN, 981),
        sex="Man",
        security_marking="Ingen",
        enrolments=[builders.enrolment(school_unit=UNIT, programme_id=IMS, start=datetime.date(2026, 8, 17))],
    )
    return spec("Person", {**person, **overrides})


@pytest.mark.parametrize(
    ("marking", "expected"),
    [
        ("Ingen", Student.SecurityMarking.NONE),
        ("Sekretessmarkering", Student.SecurityMarking.CONFIDENTIALITY),
        ("Skyddad folkbokföring", Student.SecurityMarking.PROTECTED_REGISTRATION),
    ],
)
def test_security_marking_becomes_protected_identity(marking, expected):
    fields = mapping.student_fields(student_person(securityMarking=marking))
    assert fields["security_marking"] == expected
    assert Student(**fields).has_protected_identity == (expected != Student.SecurityMarking.NONE)


def test_a_person_becomes_a_students_fields():
    assert mapping.student_fields(student_person()) == {
        "personal_identity_number": civic_no(BORN, 981),
        "date_of_birth": BORN,
        "first_name": "Dawit",
        "last_name": "Tesfay",
        "gender": Student.Gender.MALE,
        "security_marking": Student.SecurityMarking.NONE,
    }


@pytest.mark.parametrize(("sex", "gender"), [("Kvinna", "female"), ("Man", "male"), ("Okänt", "unknown")])
def test_sex(sex, gender):
    assert mapping.student_fields(student_person(sex=sex))["gender"] == gender


def test_a_person_without_sex_or_marking_gets_the_defaults():
    person = student_person()
    del person["sex"], person["securityMarking"]
    fields = mapping.student_fields(person)
    assert (fields["gender"], fields["security_marking"]) == ("unknown", "none")


def test_a_coordination_number_is_taken():
    # Samordningsnummer: the day of birth plus 60.
    short = f"{BORN:%y%m}{BORN.day + 60:02d}983"
    coordination = f"{BORN.year // 100}{short}{luhn_digit(short)}"
    assert mapping.student_fields(student_person(civicNo={"value": coordination}))["date_of_birth"] == BORN


@pytest.mark.parametrize(
    ("civic", "reason"),
    [
        (None, "no personal identity number"),
        ("200903119811", "not valid"),
        ("2009-03-11", "not valid"),
    ],
)
def test_a_person_without_a_usable_number_is_refused(civic, reason):
    person = student_person()
    if civic is None:
        del person["civicNo"]
    else:
        person["civicNo"] = {"value": civic}
    with pytest.raises(Refused, match=reason):
        mapping.student_fields(person)


def test_enrolments_of_other_school_types_are_not_ours():
    person = student_person(
        enrolments=[
            {"enroledAt": {"id": UNIT}, "schoolType": "GR", "startDate": "2020-08-17"},
            {"enroledAt": {"id": UNIT}, "schoolType": "GY", "startDate": "2026-08-17", "programme": {"id": IMS}},
        ]
    )
    (only,) = mapping.enrolments(person)
    assert (only.school_unit_ref, only.programme_ref, only.start, only.end) == (
        UNIT,
        IMS,
        datetime.date(2026, 8, 17),
        None,
    )
    assert only.key == f"{person['id']}:{UNIT}:2026-08-17"


def test_an_enrolment_that_ends_before_it_starts_is_refused():
    person = student_person(
        enrolments=[
            builders.enrolment(
                school_unit=UNIT, programme_id=IMS, start=datetime.date(2026, 8, 17), end=datetime.date(2026, 8, 1)
            )
        ]
    )
    with pytest.raises(Refused, match="ends before it starts"):
        mapping.enrolments(person)


@pytest.mark.parametrize(
    ("code", "kind", "expected"),
    [
        ("IMS", "Intruduktionsprogram", "IMS"),
        ("IMY", "Intruduktionsprogram", "IMY"),
        ("IMPRE", "Intruduktionsprogram", "IMPRE"),
        ("NA", "Högskoleförberedande program", None),
        ("XYZ", "Intruduktionsprogram", None),
    ],
)
def test_programmes(code, kind, expected):
    programme = spec("Programme", {**builders.programme(code=code, name=code), "type": kind})
    assert mapping.programme_code(programme) == expected


@pytest.mark.parametrize(
    ("relation", "expected"),
    [
        ("Vårdnadshavare", GuardianLink.Relation.PARENT),
        ("God man", GuardianLink.Relation.OTHER),
        ("Annan ansvarig", None),
        ("Utsedd behörig", None),
    ],
)
def test_responsibles_who_may_follow_the_studies(relation, expected):
    person = student_person(responsibles=[{"person": {"id": UNIT}, "relationType": relation}])
    assert mapping.responsibles(person) == ([(UNIT, expected)] if expected else [])


def test_a_guardians_fields_prefer_the_private_email():
    person = spec(
        "Person",
        builders.person(
            given_name="Leyla",
            family_name="Yusuf",
            civic_no=civic_no(datetime.date(1980, 5, 2), 990),
            emails=[("jobb@example.org", "Arbete övrigt"), ("hem@example.org", "Privat")],
            phone="070-123 45 67",
        ),
    )
    assert mapping.guardian_fields(person) == {
        "first_name": "Leyla",
        "last_name": "Yusuf",
        "personal_identity_number": civic_no(datetime.date(1980, 5, 2), 990),
        "email": "hem@example.org",
        "phone": "070-123 45 67",
    }


def test_school_units_need_their_eight_digit_code():
    unit = spec(
        "Organisation",
        builders.organisation(
            display_name="Skövde gymnasium",
            organisation_type="Skolenhet",
            school_unit_code="12345678",
            school_types=["GY"],
        ),
    )
    assert mapping.school_unit_facts(unit).code == "12345678"
    with pytest.raises(Refused, match="eight-digit"):
        mapping.school_unit_facts({**unit, "schoolUnitCode": "1234"})


@pytest.mark.parametrize(
    ("group_type", "kind"),
    [
        ("Mentor", StudentGroup.Kind.MENTOR_GROUP),
        ("Klass", StudentGroup.Kind.MENTOR_GROUP),
        ("Undervisning", StudentGroup.Kind.COURSE_GROUP),
        ("Provgrupp", None),
        ("Personalgrupp", None),
    ],
)
def test_group_types(group_type, kind):
    group = spec(
        "Group",
        builders.group(display_name="IMS 1", group_type=group_type, school_unit=UNIT, start=datetime.date(2026, 8, 17)),
    )
    facts = mapping.group_facts(group)
    assert (facts.kind if facts else None) == kind


def test_memberships_keep_their_dates():
    person_id = "7d3c0b8a-1e2f-4a5b-9c8d-0e1f2a3b4c05"
    group = spec(
        "Group",
        builders.group(
            display_name="IMS 1",
            group_type="Mentor",
            school_unit=UNIT,
            start=datetime.date(2026, 8, 17),
            members=[
                builders.membership(
                    person_id=person_id, start=datetime.date(2026, 8, 20), end=datetime.date(2026, 12, 20)
                )
            ],
        ),
    )
    (m,) = mapping.memberships(group)
    assert (m.person_ref, m.start, m.end) == (person_id, datetime.date(2026, 8, 20), datetime.date(2026, 12, 20))


@pytest.mark.parametrize(
    ("duty_role", "role"),
    [
        ("Rektor", Role.PRINCIPAL),
        ("Studie- och yrkesvägledare", Role.COUNSELLOR),
        ("Kurator", Role.STUDENT_HEALTH),
        ("Skolsköterska", Role.STUDENT_HEALTH),
        ("Speciallärare/specialpedagog", Role.STUDENT_HEALTH),
        ("Lärare", None),
        ("Skoladministratör", None),
    ],
)
def test_duty_roles_become_roles_at_the_school_unit(duty_role, role):
    duty = spec(
        "Duty",
        builders.duty(person_id=UNIT, duty_at=UNIT, duty_role=duty_role, start=datetime.date(2026, 8, 1)),
    )
    roles = mapping.duty_roles(duty)
    assert [(r.role, r.scope_kind, r.scope_ref) for r in roles] == ([(role, "school_unit", UNIT)] if role else [])


def test_a_mentor_assignment_becomes_a_mentor_role_for_the_group_within_the_duty():
    group_id = "2a4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c09"
    duty = builders.duty(
        person_id=UNIT,
        duty_at=UNIT,
        duty_role="Lärare",
        start=datetime.date(2026, 8, 1),
        end=datetime.date(2027, 6, 30),
        mentor_of=[group_id],
    )
    duty["assignmentRole"][0]["endDate"] = "2027-12-31"  # longer than the duty: the duty's end wins
    (role,) = mapping.duty_roles(spec("Duty", duty))
    assert (role.role, role.scope_kind, role.scope_ref, role.start, role.end) == (
        Role.MENTOR,
        "group",
        group_id,
        datetime.date(2026, 8, 1),
        datetime.date(2027, 6, 30),
    )


def test_staff_are_found_by_email_and_eppn():
    person = builders.person(
        given_name="Maria",
        family_name="Mentor",
        emails=[("Maria.Mentor@Skovde.se", "Skola personal")],
        eppn="mm01@skovde.se",
    )
    assert mapping.staff_login_keys(spec("Person", person)) == {"maria.mentor@skovde.se", "mm01@skovde.se"}
