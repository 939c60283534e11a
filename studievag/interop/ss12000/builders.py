"""Spec-shaped SS 12000 entities for the test register, the tests and the demo.

Each builder returns a dict as a student administration system would send it
(without ``meta``, which the register stamps). Ids are UUIDs; pass ``id`` to
keep one stable across changes.
"""

import datetime
import uuid
from typing import Any


def new_id() -> str:
    return str(uuid.uuid4())


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _clean(entity: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entity.items() if v is not None}


def organisation(
    *,
    display_name: str,
    organisation_type: str,
    id: str | None = None,
    organisation_number: str | None = None,
    school_unit_code: str | None = None,
    school_types: list[str] | None = None,
    parent: str | None = None,
    municipality_code: str | None = None,
) -> dict[str, Any]:
    return _clean(
        {
            "id": id or new_id(),
            "displayName": display_name,
            "organisationType": organisation_type,
            "organisationNumber": organisation_number,
            "schoolUnitCode": school_unit_code,
            "schoolTypes": school_types,
            "parentOrganisation": {"id": parent} if parent else None,
            "municipalityCode": municipality_code,
        }
    )


def programme(*, code: str, name: str, id: str | None = None) -> dict[str, Any]:
    # "Intruduktionsprogram" is how the standard spells it.
    return {"id": id or new_id(), "name": name, "code": code, "type": "Intruduktionsprogram", "schoolType": "GY"}


def enrolment(
    *,
    school_unit: str,
    programme_id: str | None,
    start: datetime.date,
    end: datetime.date | None = None,
    school_year: int | None = 1,
    cancelled: bool | None = None,
) -> dict[str, Any]:
    return _clean(
        {
            "enroledAt": {"id": school_unit},
            "schoolType": "GY",
            "schoolYear": school_year,
            "startDate": _date(start),
            "endDate": _date(end),
            "cancelled": cancelled,
            "programme": {"id": programme_id} if programme_id else None,
        }
    )


def person(
    *,
    given_name: str,
    family_name: str,
    civic_no: str | None = None,
    id: str | None = None,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    security_marking: str | None = "Ingen",
    enrolments: list[dict] | None = None,
    responsibles: list[tuple[str, str]] | None = None,
    emails: list[tuple[str, str]] | None = None,
    phone: str | None = None,
    eppn: str | None = None,
) -> dict[str, Any]:
    """``responsibles``: (person id, relation type); ``emails``: (address, type)."""
    return _clean(
        {
            "id": id or new_id(),
            "givenName": given_name,
            "familyName": family_name,
            "civicNo": {"value": civic_no, "nationality": "SE"} if civic_no else None,
            "birthDate": _date(birth_date),
            "sex": sex,
            "securityMarking": security_marking,
            "enrolments": enrolments,
            "responsibles": (
                [{"person": {"id": pid}, "relationType": relation} for pid, relation in responsibles]
                if responsibles
                else None
            ),
            "emails": [{"value": value, "type": kind} for value, kind in emails] if emails else None,
            "phoneNumbers": [{"value": phone, "type": "Hem", "mobile": True}] if phone else None,
            "eduPersonPrincipalNames": [eppn] if eppn else None,
        }
    )


def membership(*, person_id: str, start: datetime.date, end: datetime.date | None = None) -> dict[str, Any]:
    return _clean({"person": {"id": person_id}, "startDate": _date(start), "endDate": _date(end)})


def group(
    *,
    display_name: str,
    group_type: str,
    school_unit: str,
    start: datetime.date,
    end: datetime.date | None = None,
    members: list[dict] | None = None,
    id: str | None = None,
) -> dict[str, Any]:
    return _clean(
        {
            "id": id or new_id(),
            "displayName": display_name,
            "groupType": group_type,
            "schoolType": "GY",
            "organisation": {"id": school_unit},
            "startDate": _date(start),
            "endDate": _date(end),
            "groupMemberships": members or [],
        }
    )


def duty(
    *,
    person_id: str,
    duty_at: str,
    duty_role: str,
    start: datetime.date,
    end: datetime.date | None = None,
    mentor_of: list[str] | None = None,
    id: str | None = None,
) -> dict[str, Any]:
    """``mentor_of``: ids of the groups this duty is mentor of (assignment role "Mentor")."""
    return _clean(
        {
            "id": id or new_id(),
            "person": {"id": person_id},
            "dutyAt": {"id": duty_at},
            "dutyRole": duty_role,
            "startDate": _date(start),
            "endDate": _date(end),
            "assignmentRole": (
                [{"group": {"id": g}, "assignmentRoleType": "Mentor", "startDate": _date(start)} for g in mentor_of]
                if mentor_of
                else None
            ),
        }
    )
