"""Reads for the API, each through the same selectors and the same engine as the pages.

Every function that returns a student's data also writes the read log, the
same way the page that shows the same data does: once per call, naming the
parts read; a list logs the basic record of each student on the page it
returns (as the pages' student list does).
"""

from django.http import HttpRequest

from studievag.access.policy import Part, label_students, student_for_view
from studievag.access.reads import log_reads
from studievag.enrolments.models import GroupMembership
from studievag.enrolments.selectors import with_current_enrolment
from studievag.people.models import Student
from studievag.records.selectors import student_search

LATEST = ("programme_code", "school_unit_name", "enrolment_start", "enrolment_end")


def _summary(student, latest: dict | None = None) -> dict:
    """The basic record as a list shows it; ``latest``: the latest enrolment (else annotated on the student)."""
    hidden = getattr(student, "name_hidden", False)
    latest = latest if latest is not None else {key: getattr(student, key, None) for key in LATEST}
    return {
        "id": student.pk,
        "protected_identity": student.has_protected_identity,
        "first_name": None if hidden else student.first_name,
        "last_name": None if hidden else student.last_name,
        "personal_identity_number": None if hidden else student.personal_identity_number,
        "date_of_birth": None if hidden else student.date_of_birth,
        "gender": student.gender,
        "programme_code": latest["programme_code"],
        "school_unit": latest["school_unit_name"],
        "enrolment_start": latest["enrolment_start"],
        "enrolment_end": latest["enrolment_end"],
    }


def student_page(request: HttpRequest, params: dict) -> dict:
    """One page of the scoped student list (the pages' search), logged as the list page logs."""
    students = student_search(
        request.user,
        query=params.get("q", ""),
        school_unit_id=params.get("school_unit"),
        group_id=params.get("group"),
        programme_code=params.get("programme", ""),
        include_former=params.get("former", False),
    )
    limit, offset = params["limit"], params["offset"]
    count = students.count()
    page = list(students[offset : offset + limit])
    label_students(request.user, page)
    log_reads(request, page, [Part.RECORD])
    return {"count": count, "limit": limit, "offset": offset, "results": [_summary(s) for s in page]}


STUDENT_PARTS = [Part.RECORD, Part.ENROLMENTS]


def student_detail(request: HttpRequest, pk: int) -> dict:
    """One student with enrolments and groups; 404 outside scope; the read logged."""
    student = student_for_view(request, pk, STUDENT_PARTS)
    label_students(request.user, [student])
    enrolments = list(student.enrolments.select_related("programme", "school_unit").order_by("start_date", "pk"))
    memberships = GroupMembership.objects.filter(student=student).select_related("group").order_by("start_date", "pk")
    latest = with_current_enrolment(Student.objects.filter(pk=student.pk)).values(*LATEST).get()
    out = _summary(student, latest)
    out["enrolments"] = [
        {
            "id": e.pk,
            "programme_code": e.programme.code,
            "school_unit": {"id": e.school_unit_id, "code": e.school_unit.code, "name": e.school_unit.name},
            "start_date": e.start_date,
            "end_date": e.end_date,
            "exit_reason": e.exit_reason,
        }
        for e in enrolments
    ]
    out["groups"] = [
        {
            "id": m.group_id,
            "name": m.group.name,
            "kind": m.group.kind,
            "school_unit_id": m.group.school_unit_id,
            "start_date": m.start_date,
            "end_date": m.end_date,
        }
        for m in memberships
    ]
    return out
