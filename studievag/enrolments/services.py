"""Writes that decide which school unit and which groups a student belongs to.

Each one changes who may see the student (staff at the unit, the group's
mentor and teachers), so each writes one access-change row with who, when,
what and why (:func:`~studievag.people.services.access_change_record`). The
municipality's student-register sync calls these too.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from studievag.organisations.models import Programme, SchoolUnit
from studievag.people.identity import parse_identity_number
from studievag.people.models import AccessChange, Student
from studievag.people.services import STUDENT_FIELDS, access_change_record, reserve_number_assign

from .eligibility import latest_im_start, may_start_im
from .models import Enrolment, GroupMembership, StudentGroup


@transaction.atomic
def enrolment_start(
    *,
    acting_user,
    student: Student,
    programme: Programme,
    school_unit: SchoolUnit,
    start_date: datetime.date,
    reason: str,
) -> Enrolment:
    """Enrol a student in a programme at a school unit; its staff see the student from then."""
    if (
        Enrolment.objects.filter(student=student, school_unit=school_unit, programme=programme)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .exists()
    ):
        raise ValidationError(_("The student is already enrolled in this programme at this school unit."))
    enrolment = Enrolment(student=student, programme=programme, school_unit=school_unit, start_date=start_date)
    enrolment.full_clean()
    enrolment.save()
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.ENROLMENT_STARTED,
        what=_("Enrolled in %(programme)s at %(unit)s from %(date)s")
        % {"programme": programme.code, "unit": school_unit.name, "date": start_date},
        reason=reason,
        student=student,
        school_unit=school_unit,
        details={"enrolment": enrolment.pk},
    )
    return enrolment


@transaction.atomic
def enrolment_end(
    *, acting_user, enrolment: Enrolment, end_date: datetime.date, exit_reason: str, reason: str = ""
) -> Enrolment:
    """End an enrolment (the student leaves) with the reason for leaving."""
    enrolment = Enrolment.objects.select_for_update().select_related("school_unit").get(pk=enrolment.pk)
    if enrolment.end_date is not None:
        raise ValidationError(_("The enrolment already ended on %(date)s.") % {"date": enrolment.end_date})
    if exit_reason not in Enrolment.ExitReason.values:
        raise ValidationError({"exit_reason": _("Choose the reason for leaving.")})
    enrolment.end_date = end_date
    enrolment.exit_reason = exit_reason
    enrolment.full_clean()
    enrolment.save(update_fields=["end_date", "exit_reason"])
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.ENROLMENT_ENDED,
        what=_("Left %(unit)s on %(date)s: %(exit)s")
        % {"unit": enrolment.school_unit.name, "date": end_date, "exit": enrolment.get_exit_reason_display()},
        reason=reason,
        student=enrolment.student,
        school_unit=enrolment.school_unit,
        details={"enrolment": enrolment.pk, "exit_reason": exit_reason},
    )
    return enrolment


@transaction.atomic
def group_membership_start(
    *, acting_user, group: StudentGroup, student: Student, start_date: datetime.date, reason: str = ""
) -> GroupMembership:
    """Add a student to a group; its mentor or teachers see the student from ``start_date``."""
    if not Enrolment.objects.filter(student=student, school_unit_id=group.school_unit_id).exists():
        raise ValidationError(_("The student is not enrolled at the group's school unit."))
    if (
        GroupMembership.objects.filter(group=group, student=student)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        .exists()
    ):
        raise ValidationError(_("The student is already in this group."))
    membership = GroupMembership(group=group, student=student, start_date=start_date)
    membership.full_clean()
    membership.save()
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.MEMBERSHIP_STARTED,
        what=_("Added to %(group)s from %(date)s") % {"group": group.name, "date": start_date},
        reason=reason,
        student=student,
        school_unit=group.school_unit,
        details={"membership": membership.pk, "group": group.pk},
    )
    return membership


@transaction.atomic
def group_membership_end(
    *, acting_user, membership: GroupMembership, end_date: datetime.date, reason: str = ""
) -> GroupMembership:
    """Take a student out of a group from the day after ``end_date``."""
    membership = GroupMembership.objects.select_for_update().select_related("group__school_unit").get(pk=membership.pk)
    if membership.end_date is not None and membership.end_date <= end_date:
        raise ValidationError(_("The membership already ended on %(date)s.") % {"date": membership.end_date})
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.MEMBERSHIP_ENDED,
        what=_("Left %(group)s on %(date)s") % {"group": membership.group.name, "date": end_date},
        reason=reason,
        student=membership.student,
        school_unit=membership.group.school_unit,
        details={"membership": membership.pk, "group": membership.group_id},
    )
    return membership


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
    enrolment = Enrolment.objects.create(
        student=student, programme=programme, school_unit=school_unit, start_date=start_date
    )
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.ENROLMENT_STARTED,
        what=_("Enrolled in %(programme)s at %(unit)s from %(date)s")
        % {"programme": programme.code, "unit": school_unit.name, "date": start_date},
        reason=_("Registered"),
        student=student,
        school_unit=school_unit,
        details={"enrolment": enrolment.pk},
    )
    return student
