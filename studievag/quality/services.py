"""Writes of the quality area: staff reflections, requests for report PDFs."""

from __future__ import annotations

import datetime
import re
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from studievag.access.policy import FORMER_STUDENT_DAYS
from studievag.enrolments.models import Enrolment
from studievag.once import already_saved, save_once
from studievag.organisations.models import SchoolUnit
from studievag.people.models import Student

from .models import Reflection, ReflectionTag, ReportPdf
from .scope import reflection_units

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def student_names_in(text: str, unit: SchoolUnit, on: datetime.date) -> bool:
    """Does ``text`` contain a first or last name of a student at ``unit``?

    Reflections are about groups. A capitalised word that is the first or last
    name of a current (or recent) student at the unit blocks the text; the
    message never says which student, so it gives nothing away either.
    """
    words = {w for w in _WORD.findall(text) if w[:1].isupper() and len(w) > 1}
    if not words:
        return False
    since = on - datetime.timedelta(days=FORMER_STUDENT_DAYS)
    enrolled = Enrolment.objects.filter(school_unit=unit).filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
    students = Student.objects.filter(pk__in=enrolled.values("student_id"))
    names: set[str] = set()
    for first, last in students.values_list("first_name", "last_name"):
        names.update(part.lower() for part in f"{first} {last}".split())
    return any(w.lower() in names for w in words)


@transaction.atomic
def reflection_create(
    *,
    acting_user,
    school_unit: SchoolUnit,
    written_on: datetime.date,
    source: str,
    text: str,
    tags: list[str],
    submission_key: uuid.UUID | None = None,
) -> Reflection:
    """Write a reflection; the same form sent twice (``submission_key``) writes it once."""
    if not reflection_units(acting_user, writing=True).filter(pk=school_unit.pk).exists():
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the reflection.")})
    if written_on > datetime.date.today() + datetime.timedelta(days=1):
        raise ValidationError({"written_on": _("The date cannot be in the future.")})
    if student_names_in(text, school_unit, written_on):
        raise ValidationError(
            {
                "text": _(
                    "The text contains the name of a student at this school unit. Reflections are "
                    "about groups: describe the group instead (e.g. “several students in IMS”)."
                )
            }
        )
    if existing := already_saved(Reflection, submission_key):
        return existing
    reflection = save_once(
        Reflection(author=acting_user, school_unit=school_unit, written_on=written_on, source=source, text=text),
        submission_key,
    )
    if reflection.tags.exists():
        return reflection  # saved by a request that raced this one
    ReflectionTag.objects.bulk_create(ReflectionTag(reflection=reflection, tag=tag) for tag in dict.fromkeys(tags))
    return reflection


@transaction.atomic
def report_pdf_request(*, acting_user, query: str, language: str) -> ReportPdf:
    """Record that ``acting_user`` asked for a report PDF; the job worker renders it."""
    return ReportPdf.objects.create(requested_by=acting_user, query=query[:2000], language=language)
