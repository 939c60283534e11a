"""Writes for students. Each is atomic, validates, saves and leaves a history row."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from studievag.enrolments.eligibility import latest_im_start, may_start_im
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Programme, SchoolUnit

from .identity import parse_identity_number
from .models import AGE_OF_MAJORITY, GuardianConsent, GuardianLink, Student, add_years

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


# --- Consent to guardian access after 18 ---------------------------------------


@transaction.atomic
def guardian_consent_give(*, acting_user, link: GuardianLink, given_on: datetime.date) -> GuardianConsent:
    """Record that an adult student lets a former guardian go on following their studies."""
    student = link.student
    today = timezone.localdate()
    if given_on > today:
        raise ValidationError({"date": _("The consent cannot be dated in the future.")})
    if not student.is_adult_on(given_on):
        raise ValidationError(
            {
                "date": _(
                    "The student is under 18 on that day, when the guardian follows the "
                    "studies anyway. Consent can be recorded from the 18th birthday, %(date)s."
                )
                % {"date": add_years(student.date_of_birth, AGE_OF_MAJORITY)}
            }
        )
    if link.valid_to is not None and link.valid_to < given_on:
        raise ValidationError({"date": _("The link to this guardian ended on %(date)s.") % {"date": link.valid_to}})
    if link.consents.select_for_update().filter(withdrawn_on__isnull=True).exists():
        raise ValidationError({"date": _("The student's consent for this guardian is already recorded.")})
    consent = GuardianConsent(link=link, given_on=given_on, recorded_by=acting_user)
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def guardian_consent_withdraw(*, acting_user, consent: GuardianConsent, withdrawn_on: datetime.date) -> GuardianConsent:
    """Record that the student has withdrawn their consent; access ends that day."""
    consent = GuardianConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError({"date": _("This consent has already been withdrawn.")})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"date": _("The withdrawal cannot be dated in the future.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {
                "date": _("The withdrawal cannot be before the consent was given (%(date)s).")
                % {"date": consent.given_on}
            }
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = acting_user
    consent.withdrawal_recorded_at = timezone.now()
    consent.full_clean()
    consent.save()
    return consent
