"""Logging what a page showed of many students at once (lists, grids, overviews).

A page about one student fetches it through :func:`~studievag.access.policy.student_for_view`,
which logs the read. A page that shows individual data for many students (the
student list, the teacher's grid, the team overview, the plan list) calls
:func:`log_reads` with the students it showed. Either way a part of a
student is logged once per page view.
"""

from collections.abc import Iterable

from django.http import HttpRequest

from studievag.audit.services import audit_record_reads
from studievag.people.models import Student

from .policy import parts_of, roles_of


def log_reads(request: HttpRequest, students: Iterable[Student], parts: Iterable[str]) -> None:
    """Log that this page showed ``parts`` of each of ``students`` to the signed-in user."""
    parts = list(parts)
    students = list(students)
    if not students:
        return
    roles = [r for r in roles_of(request.user) if any(p in parts_of(r) for p in parts)]
    audit_record_reads(request=request, students=students, parts=parts, roles=roles)
