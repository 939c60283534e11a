"""What an SS 12000 entity becomes in Studieväg, entity by entity, without touching the database.

Each function takes the register's JSON (already checked against the
standard's schema) and returns plain values, or raises :class:`Refused` with
a sentence saying why the entity cannot be taken in. The sync engine
(``sync.py``) decides what to create, change or end from these values.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from studievag.access.models import Role
from studievag.enrolments.models import StudentGroup
from studievag.organisations.models import CURRENT_PROGRAMMES, LEGACY_PROGRAMMES, SchoolUnit
from studievag.people.identity import parse_identity_number
from studievag.people.models import GuardianLink, Student


class Refused(Exception):
    """The entity cannot be taken in; the message says why, for the run's list."""


SEX = {"Man": Student.Gender.MALE, "Kvinna": Student.Gender.FEMALE, "Okänt": Student.Gender.UNKNOWN}
SECURITY_MARKING = {
    "Ingen": Student.SecurityMarking.NONE,
    "Sekretessmarkering": Student.SecurityMarking.CONFIDENTIALITY,
    "Skyddad folkbokföring": Student.SecurityMarking.PROTECTED_REGISTRATION,
}
# Who may follow a student's studies as a guardian. A guardian (vårdnadshavare)
# by law; a "god man" is appointed for unaccompanied minors, many of whom study
# on språkintroduktion, and has the right to follow their schooling. "Annan
# ansvarig" and "Utsedd behörig" give no such right, so they are not linked.
RELATION = {"Vårdnadshavare": GuardianLink.Relation.PARENT, "God man": GuardianLink.Relation.OTHER}
# Duty roles that reach the students of a whole school unit.
UNIT_ROLES = {
    "Rektor": Role.PRINCIPAL,
    "Studie- och yrkesvägledare": Role.COUNSELLOR,
    "Kurator": Role.STUDENT_HEALTH,
    "Skolsköterska": Role.STUDENT_HEALTH,
    "Skolläkare": Role.STUDENT_HEALTH,
    "Skolpsykolog": Role.STUDENT_HEALTH,
    "Speciallärare/specialpedagog": Role.STUDENT_HEALTH,
}
# Group types taken in: mentor groups (and classes, whose mentor is the class
# teacher) and teaching groups. Exam, schedule and staff groups say nothing
# about who follows a student.
GROUP_KIND = {
    "Mentor": StudentGroup.Kind.MENTOR_GROUP,
    "Klass": StudentGroup.Kind.MENTOR_GROUP,
    "Undervisning": StudentGroup.Kind.COURSE_GROUP,
}
IM_CODES = frozenset(CURRENT_PROGRAMMES) | frozenset(LEGACY_PROGRAMMES)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# --- Organisations -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFacts:
    code: str
    name: str
    school_type: str
    municipality_code: str


def school_unit_facts(organisation: dict) -> UnitFacts:
    code = (organisation.get("schoolUnitCode") or "").strip()
    if len(code) != 8 or not code.isdigit():
        raise Refused(_("The school unit has no eight-digit school unit code."))
    types = set(organisation.get("schoolTypes") or [])
    school_type = SchoolUnit.SchoolType.UPPER_SECONDARY
    if "GY" not in types and types & {"GR", "GRS"}:
        school_type = SchoolUnit.SchoolType.COMPULSORY
    return UnitFacts(
        code=code,
        name=organisation["displayName"].strip()[:200],
        school_type=school_type,
        municipality_code=organisation.get("municipalityCode") or "",
    )


def organisation_number(organisation: dict) -> str:
    digits = "".join(c for c in organisation.get("organisationNumber") or "" if c.isdigit())
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else ""


def programme_code(programme: dict) -> str | None:
    """Skolverket's code of an introduction programme, or ``None`` for any other programme."""
    code = (programme.get("code") or "").strip().upper()
    if programme.get("type") != "Intruduktionsprogram" and code not in IM_CODES:
        return None
    return code if code in IM_CODES else None


# --- Persons --------------------------------------------------------------------------------


def student_fields(person: dict) -> dict:
    """The fields of a Student from a person: identity number, names, birth date, gender, protection."""
    civic = (person.get("civicNo") or {}).get("value", "")
    if not civic:
        raise Refused(_("The person has no personal identity number, which Studieväg needs to tell students apart."))
    try:
        number = parse_identity_number(civic)
    except ValidationError:
        # The number itself is not repeated: the run's list is read by people who see no student data.
        raise Refused(_("The personal identity number is not valid (date or check digit).")) from None
    return {
        "personal_identity_number": number.value,
        "date_of_birth": number.date_of_birth,
        "first_name": person["givenName"].strip()[:100],
        "last_name": person["familyName"].strip()[:100],
        "gender": SEX.get(person.get("sex", ""), Student.Gender.UNKNOWN),
        "security_marking": SECURITY_MARKING.get(person.get("securityMarking", ""), Student.SecurityMarking.NONE),
    }


def guardian_fields(person: dict) -> dict:
    civic = (person.get("civicNo") or {}).get("value", "")
    number = ""
    if civic:
        try:
            number = parse_identity_number(civic).value
        except ValidationError:
            number = ""
    emails = person.get("emails") or []
    email = next((e["value"] for e in emails if e.get("type") == "Privat"), "") or (
        emails[0]["value"] if emails else ""
    )
    phones = person.get("phoneNumbers") or []
    return {
        "first_name": person["givenName"].strip()[:100],
        "last_name": person["familyName"].strip()[:100],
        "personal_identity_number": number,
        "email": email[:254],
        "phone": (phones[0]["value"] if phones else "")[:30],
    }


@dataclass(frozen=True)
class EnrolmentFacts:
    key: str  # the enrolment's identity across runs: school unit and start date
    school_unit_ref: str
    programme_ref: str | None
    start: datetime.date
    end: datetime.date | None
    cancelled: bool


def enrolments(person: dict) -> list[EnrolmentFacts]:
    """The person's upper-secondary enrolments (other school types are not ours)."""
    out = []
    for e in person.get("enrolments") or []:
        if e.get("schoolType") != "GY":
            continue
        start = _date(e["startDate"])
        end = _date(e.get("endDate"))
        if start is None:
            continue
        if end is not None and end < start:
            raise Refused(_("An enrolment ends before it starts."))
        unit = e["enroledAt"]["id"]
        out.append(
            EnrolmentFacts(
                key=f"{person['id']}:{unit}:{start.isoformat()}",
                school_unit_ref=unit,
                programme_ref=(e.get("programme") or {}).get("id"),
                start=start,
                end=end,
                cancelled=bool(e.get("cancelled")),
            )
        )
    return out


def responsibles(person: dict) -> list[tuple[str, str]]:
    """(guardian person id, relation) for the responsibles who may follow the studies."""
    out = []
    for r in person.get("responsibles") or []:
        relation = RELATION.get(r.get("relationType", ""))
        ref = (r.get("person") or {}).get("id")
        if relation and ref:
            out.append((ref, relation))
    return out


# --- Groups and duties ------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFacts:
    name: str
    kind: str
    school_unit_ref: str
    start: datetime.date
    end: datetime.date | None


def group_facts(group: dict) -> GroupFacts | None:
    """``None`` for group types Studieväg does not keep."""
    kind = GROUP_KIND.get(group["groupType"])
    if kind is None:
        return None
    return GroupFacts(
        name=group["displayName"].strip()[:100],
        kind=kind,
        school_unit_ref=group["organisation"]["id"],
        start=_date(group["startDate"]) or datetime.date.min,
        end=_date(group.get("endDate")),
    )


@dataclass(frozen=True)
class MembershipFacts:
    key: str
    person_ref: str
    start: datetime.date | None
    end: datetime.date | None


def memberships(group: dict) -> list[MembershipFacts]:
    out = []
    for m in group.get("groupMemberships") or []:
        ref = m["person"]["id"]
        start = _date(m.get("startDate"))
        out.append(
            MembershipFacts(
                key=f"{group['id']}:{ref}:{start.isoformat() if start else ''}",
                person_ref=ref,
                start=start,
                end=_date(m.get("endDate")),
            )
        )
    return out


@dataclass(frozen=True)
class RoleFacts:
    key: str
    role: str
    scope_kind: str  # "school_unit" or "group"
    scope_ref: str
    start: datetime.date
    end: datetime.date | None


def duty_roles(duty: dict) -> list[RoleFacts]:
    """The scoped roles a duty gives: one for the school unit by duty role, one per mentor assignment."""
    start = _date(duty["startDate"])
    end = _date(duty.get("endDate"))
    if start is None:
        raise Refused(_("The duty has no start date."))
    out = []
    role = UNIT_ROLES.get(duty["dutyRole"])
    if role:
        out.append(RoleFacts(f"{duty['id']}:unit", role, "school_unit", duty["dutyAt"]["id"], start, end))
    for assignment in duty.get("assignmentRole") or []:
        if assignment.get("assignmentRoleType") != "Mentor":
            continue
        group_ref = assignment["group"]["id"]
        a_start = max(_date(assignment.get("startDate")) or start, start)
        a_end = _date(assignment.get("endDate")) or end
        if end is not None and a_end is not None:
            a_end = min(a_end, end)
        if a_end is not None and a_end < a_start:
            continue
        out.append(RoleFacts(f"{duty['id']}:group:{group_ref}", Role.MENTOR, "group", group_ref, a_start, a_end))
    return out


def staff_login_keys(person: dict) -> set[str]:
    """The e-mail addresses and eduPersonPrincipalNames a staff member's Studieväg account may carry."""
    keys = {e["value"].strip().lower() for e in person.get("emails") or [] if e.get("value")}
    keys |= {name.strip().lower() for name in person.get("eduPersonPrincipalNames") or []}
    return keys
