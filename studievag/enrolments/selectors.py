"""Reads of enrolments."""

from django.db.models import OuterRef, QuerySet, Subquery

from studievag.people.models import Student

from .models import Enrolment


def with_current_enrolment(students: QuerySet[Student]) -> QuerySet[Student]:
    """Annotate the latest enrolment's programme, school unit and dates (one query)."""
    # Open enrolments first, then the most recently started.
    latest = Enrolment.objects.filter(student=OuterRef("pk")).latest_first()
    return students.annotate(
        programme_code=Subquery(latest.values("programme__code")[:1]),
        school_unit_name=Subquery(latest.values("school_unit__name")[:1]),
        enrolment_start=Subquery(latest.values("start_date")[:1]),
        enrolment_end=Subquery(latest.values("end_date")[:1]),
    )
