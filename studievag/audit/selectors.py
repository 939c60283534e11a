"""Reads of the audit log."""

from django.db.models import QuerySet

from studievag.access.policy import Part, visible_students
from studievag.people.models import Student

from .models import RecordRead


def reads_visible_to(user) -> QuerySet[RecordRead]:
    """Reads of students whose read log this user may see (principals: own units)."""
    students = visible_students(user, Part.AUDIT_LOG)
    return RecordRead.objects.filter(student__in=students.values("pk")).select_related("student")


def reads_of(student: Student) -> QuerySet[RecordRead]:
    return RecordRead.objects.filter(student=student)
