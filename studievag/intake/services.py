"""Writes of the mapping at intake."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.catalogue.models import Subject
from studievag.people.models import Student
from studievag.scales.models import ProgressionStep
from studievag.scales.selectors import ScaleBook

from .models import IntakeMapping, StartingLevel

MAPPING_FIELDS = [
    "mapped_on",
    "compulsory_school_completed",
    "compulsory_grades",
    "merit_value",
    "parents_education",
    "literacy",
    "literacy_languages",
    "numeracy",
    "earlier_work",
    "interests",
    "own_goals",
    "well_being",
    "well_being_note",
]


@transaction.atomic
def intake_save(
    *,
    acting_user,
    student: Student,
    values: dict,
    levels: dict[int, int | None],
    organiser_id: int | None,
    reason: str = "",
) -> IntakeMapping:
    """Create or change the student's mapping and starting levels (subject id → step id).

    A starting level must be a step on the scale that applies to the subject
    at the student's organiser. Every change is kept in the mapping's history.
    """
    mapping = IntakeMapping.objects.filter(student=student).first() or IntakeMapping(student=student)
    for name in MAPPING_FIELDS:
        if name in values:
            setattr(mapping, name, values[name])
    mapping.recorded_by = acting_user
    mapping._change_reason = reason or (_("Mapping recorded") if mapping.pk is None else "")
    mapping.full_clean()
    mapping.save()

    book = ScaleBook([organiser_id])
    subjects = {s.pk: s for s in Subject.objects.filter(pk__in=levels)}
    existing = {lv.subject_id: lv for lv in mapping.starting_levels.all()}
    for subject_id, step_id in levels.items():
        if step_id is None:
            if subject_id in existing:
                existing[subject_id].delete()
            continue
        subject = subjects.get(subject_id)
        scale = book.for_subject(organiser_id, subject.code) if subject else None
        allowed = {s.pk for s in scale.steps.all()} if scale else set()
        if step_id not in allowed:
            raise ValidationError({f"level_{subject_id}": _("That step is not on the scale for this subject.")})
        assert subject is not None  # a step on its scale was found above
        step = ProgressionStep.objects.get(pk=step_id)
        if subject_id in existing:
            level = existing[subject_id]
            if level.step_id != step_id:
                level.step = step
                level.save(update_fields=["step"])
        else:
            StartingLevel.objects.create(mapping=mapping, subject=subject, step=step)
    return mapping


@transaction.atomic
def default_mapped_on() -> datetime.date:

    return timezone.localdate()
