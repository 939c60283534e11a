"""Writes for students. Each is atomic, validates, saves and leaves a history row."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from studievag.enrolments.eligibility import latest_im_start, may_start_im
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Programme, SchoolUnit

from .identity import parse_identity_number
from .models import Student

STUDENT_FIELDS = (
    "first_name",
    "last_name",
    "gender",
    "mother_tongue",
    "other_languages",
    "country_of_birth",
    "arrived_in_sweden",
    "first_school_start_in_sweden",
    "schooling_years_abroad",
    "security_marking",
)


@transaction.atomic
def student_create(
    *,
    acting_user,
    personal_identity_number: str,
    programme: Programme,
    school_unit: SchoolUnit,
    start_date: datetime.date,
    **fields,
) -> Student:
    """Register a student and their first enrolment in an introduction programme."""
    number = parse_identity_number(personal_identity_number)
    if Student.objects.filter(personal_identity_number=number.value).exists():
        raise ValidationError(
            {"personal_identity_number": _("A student with this number is already registered.")}
        )
    if not may_start_im(number.date_of_birth, start_date):
        raise ValidationError(
            {
                "start_date": _(
                    "An introduction programme must start no later than %(date)s for a "
                    "student born %(born)s (the first half of the year they turn 20). "
                    "Adult education is the path after that."
                )
                % {"date": latest_im_start(number.date_of_birth), "born": number.date_of_birth}
            }
        )
    student = Student(
        personal_identity_number=number.value,
        date_of_birth=number.date_of_birth,
        **{k: v for k, v in fields.items() if k in STUDENT_FIELDS},
    )
    student._history_user = acting_user
    student.full_clean()
    student.save()
    update_change_reason(student, _("Registered"))
    Enrolment.objects.create(
        student=student, programme=programme, school_unit=school_unit, start_date=start_date
    )
    return student


@transaction.atomic
def student_update(*, acting_user, student: Student, reason: str, **fields) -> Student:
    """Change a student's background; the history keeps who, when and why."""
    for name, value in fields.items():
        if name not in STUDENT_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(student, name, value)
    student._history_user = acting_user
    student._change_reason = reason
    student.full_clean()
    student.save()
    return student
