"""Reads of support needs (need-to-know: fetch the student with the ``support_needs`` part)."""

from studievag.people.models import Student

from .models import SupportNeedsEntry


def support_needs_entries(student: Student):
    """The student's support needs, newest (the current text) first.

    Only for a student fetched with ``student_for_view(..., [SUPPORT_NEEDS])``,
    which checks need-to-know and logs the read.
    """
    return SupportNeedsEntry.objects.filter(student=student).select_related("author")
