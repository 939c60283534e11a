"""Writes of enrolments: a student registered into an introduction programme."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from studievag.organisations.models import Programme, SchoolUnit
from studievag.people.identity import parse_identity_number
from studievag.people.models import Student
from studievag.people.services import STUDENT_FIELDS, reserve_number_assign

from .eligibility import latest_im_start, may_start_im
from .models import Enrolment


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
    """Register a student and their first enrolment in an introduction programme.

    ``personal_identity_number`` may be a personnummer, samordningsnummer, interim or
    reserve number; an empty one with ``date_of_birth`` gives the student the next free
    reserve number for that date (every student can be registered; the number is
    linked to the personnummer when it comes, see :func:`studievag.people.services.student_identity_number_link`).
    """
    if not (personal_identity_number or "").strip() and fields.get("date_of_birth"):
        personal_identity_number = reserve_number_assign(date_of_birth=fields["date_of_birth"])
    number = parse_identity_number(personal_identity_number)
    if Student.objects.filter(personal_identity_number=number.value).exists():
        raise ValidationError({"personal_identity_number": _("A student with this number is already registered.")})
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
    Enrolment.objects.create(student=student, programme=programme, school_unit=school_unit, start_date=start_date)
    return student
