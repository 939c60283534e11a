"""Reads of students, always through the access policy."""

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from studievag.access.policy import Part, names_visible_students, visible_students
from studievag.enrolments.models import Enrolment
from studievag.limits import search_words

from .identity import parse_identity_number
from .models import Student


def with_current_enrolment(students: QuerySet[Student]) -> QuerySet[Student]:
    """Annotate the latest enrolment's programme, school unit and dates (one query)."""
    # Open enrolments first, then the most recently started.
    latest = Enrolment.objects.filter(student=OuterRef("pk")).order_by(
        F("end_date").desc(nulls_first=True), "-start_date"
    )
    return students.annotate(
        programme_code=Subquery(latest.values("programme__code")[:1]),
        school_unit_name=Subquery(latest.values("school_unit__name")[:1]),
        enrolment_start=Subquery(latest.values("start_date")[:1]),
        enrolment_end=Subquery(latest.values("end_date")[:1]),
    )


def student_search(
    user,
    *,
    query: str = "",
    school_unit_id: int | None = None,
    group_id: int | None = None,
    programme_code: str = "",
    include_former: bool = False,
) -> QuerySet[Student]:
    """The scoped student list, filtered; newest enrolment annotated."""
    students = visible_students(user, Part.RECORD)
    today = timezone.localdate()
    if not include_former:
        students = students.filter(
            pk__in=Enrolment.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).values("student_id")
        )
    if query := query.strip():
        number = _as_identity_number(query)
        if number:
            # Also under a number the record had before it was linked to the personnummer.
            earlier = Student.history.filter(personal_identity_number=number).values("id")
            students = students.filter(Q(personal_identity_number=number) | Q(pk__in=earlier))
        else:
            for word in search_words(query):
                students = students.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
            # Never find a protected student by name unless the name may be shown;
            # the list masks them, so a name search must not reveal them either.
            students = students.exclude(
                ~Q(security_marking=Student.SecurityMarking.NONE) & ~Q(pk__in=_names_visible(user))
            )
    if school_unit_id:
        students = students.filter(enrolments__school_unit_id=school_unit_id)
    if group_id:
        students = students.filter(memberships__group_id=group_id)
    if programme_code:
        students = students.filter(enrolments__programme__code=programme_code)
    return with_current_enrolment(students.distinct()).order_by("last_name", "first_name", "pk")


def _names_visible(user):
    return names_visible_students(user).values("pk")


def _as_identity_number(text: str) -> str | None:
    if not text.strip()[:6].isdigit():
        return None
    try:
        return parse_identity_number(text).value
    except ValidationError:
        return None
