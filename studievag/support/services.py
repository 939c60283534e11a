"""Writes of support needs: append-only, with who and why."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from studievag.people.models import Student

from .models import SupportNeedsEntry


@transaction.atomic
def support_needs_record(*, acting_user, student: Student, text: str, reason: str) -> SupportNeedsEntry:
    """Add the student's support needs as they are now; an empty text removes them.

    Append-only: earlier entries stay, each with who, when and why.
    """
    text, reason = text.strip(), reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the support needs are changed.")
    current = SupportNeedsEntry.objects.filter(student=student).first()
    if (current.text if current else "") == text:
        errors["text"] = _("The support needs are unchanged.")
    if errors:
        raise ValidationError(errors)
    return SupportNeedsEntry.objects.create(student=student, text=text, reason=reason, author=acting_user)
