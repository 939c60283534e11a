"""Reads of the mapping at intake."""

import datetime

from django.db.models import Q

from studievag.access.policy import may_act_on
from studievag.catalogue.models import Subject
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.people.models import Student

from .models import IntakeMapping, StartingLevel


def mapping_of(student: Student) -> IntakeMapping | None:
    return (
        IntakeMapping.objects.filter(student=student)
        .select_related("recorded_by")
        .prefetch_related("starting_levels__subject", "starting_levels__step__scale")
        .first()
    )


def may_edit_intake(user, student: Student) -> bool:
    return may_act_on(user, "intake.edit", student)


def subjects_to_map(student: Student, on: datetime.date):
    """(subject, organiser id) for the student's current course groups, and for the subjects
    already mapped; each subject once."""

    current = GroupMembership.objects.filter(
        student=student,
        group__kind=StudentGroup.Kind.COURSE_GROUP,
        group__course__isnull=False,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    subject_ids = set(current.values_list("group__course__subject_id", flat=True))
    subject_ids |= set(StartingLevel.objects.filter(mapping__student=student).values_list("subject_id", flat=True))
    return list(Subject.objects.filter(pk__in=subject_ids).order_by("name"))


def organiser_of(student: Student, on: datetime.date) -> int | None:
    enrolments = list(Enrolment.objects.filter(student=student).select_related("school_unit").order_by("start_date"))
    active = [e for e in enrolments if e.is_active_on(on)]
    chosen = (active or enrolments or [None])[-1]
    return chosen.school_unit.organiser_id if chosen else None
