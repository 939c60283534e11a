"""Reads of students and of the read log for the record pages, always through the access policy."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from studievag.access.policy import Part, names_visible_students, visible_students
from studievag.audit.models import RecordRead
from studievag.enrolments.models import Enrolment
from studievag.enrolments.selectors import with_current_enrolment
from studievag.limits import search_words
from studievag.people.identity import parse_identity_number
from studievag.people.models import Student


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


def reads_visible_to(user) -> QuerySet[RecordRead]:
    """Reads of students whose read log this user may see (principals: own units)."""
    students = visible_students(user, Part.AUDIT_LOG)
    return RecordRead.objects.filter(student__in=students.values("pk")).select_related("student")


def reads_of(student: Student) -> QuerySet[RecordRead]:
    return RecordRead.objects.filter(student=student)
