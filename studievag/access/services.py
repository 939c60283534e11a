"""Writes that decide who may see students: staff role assignments.

Every grant, confirmation and end writes one access-change row (who, when,
what, why; :class:`~studievag.people.models.AccessChange`). The rules:

* Nobody grants a role to themselves: an administrator who could give itself
  a principal's role could read every student at the unit, unseen.
* A role that reaches individual records at a school unit (mentor, teacher,
  counsellor, student health, principal) is in force at once when that unit's
  principal grants it; granted by anyone else (an administrator, the student
  register sync) it waits until the unit's principal, or a second
  administrator, confirms it. Four eyes on every new door to a child's record.
* Roles without individual access (analysts, coordinators, sending schools,
  administrators) are granted by an administrator.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.enrolments.models import Enrolment, StudentGroup
from studievag.organisations.models import Organiser, Region, SchoolUnit
from studievag.people.models import AccessChange, Student
from studievag.people.services import access_change_record

from .declarations import INDIVIDUAL_STAFF_ROLES
from .models import SCOPE_FIELDS, Role, RoleAssignment
from .policy import grants_for, may

# Roles a principal may give staff at own units without anyone else confirming.
PRINCIPAL_GRANTS = frozenset({Role.MENTOR, Role.TEACHER, Role.COUNSELLOR, Role.STUDENT_HEALTH})


def is_administrator(user) -> bool:
    return may(user, "organisation.admin")


def principal_unit_ids(user) -> set[int]:
    """School units where ``user`` is principal today."""
    return set(grants_for(user).scoped(Role.PRINCIPAL, "school_unit"))


def assignment_unit(assignment: RoleAssignment) -> SchoolUnit | None:
    """The school unit whose records the role reaches (a group's unit, a mentee's unit)."""
    if assignment.school_unit_id:
        return assignment.school_unit
    if assignment.group is not None:
        return assignment.group.school_unit
    if assignment.student_id:
        enrolment = (
            Enrolment.objects.filter(student_id=assignment.student_id, end_date__isnull=True)
            .select_related("school_unit")
            .first()
        )
        return enrolment.school_unit if enrolment else None
    return None


def _describe(assignment: RoleAssignment) -> str:
    scope = assignment.scope
    label = scope.name if hasattr(scope, "name") else _("one student")
    return _("%(user)s as %(role)s for %(scope)s from %(start)s%(end)s") % {
        "user": assignment.user.get_full_name() or assignment.user.get_username(),
        "role": assignment.get_role_display(),
        "scope": label,
        "start": assignment.valid_from,
        "end": f" {_('to')} {assignment.valid_to}" if assignment.valid_to else "",
    }


def _details(assignment: RoleAssignment) -> dict:
    return {
        "assignment": assignment.pk,
        "role": assignment.role,
        "scope": assignment.scope_kind,
        "scope_id": getattr(assignment, f"{assignment.scope_kind}_id") if assignment.scope_kind else None,
        "valid_from": str(assignment.valid_from),
        "valid_to": str(assignment.valid_to) if assignment.valid_to else None,
        "pending": assignment.pending,
    }


def _may_manage(acting_user, assignment: RoleAssignment) -> bool:
    """An administrator manages every role; a principal the individual roles at own units."""
    if is_administrator(acting_user):
        return True
    unit = assignment_unit(assignment)
    return (
        assignment.role in PRINCIPAL_GRANTS
        and unit is not None
        and unit.pk in principal_unit_ids(acting_user)
        and assignment.scope_kind in ("school_unit", "group", "student")
    )


@transaction.atomic
def role_assignment_grant(
    *,
    acting_user,
    user,
    role: str,
    valid_from: datetime.date,
    reason: str,
    valid_to: datetime.date | None = None,
    region: Region | None = None,
    organiser: Organiser | None = None,
    school_unit: SchoolUnit | None = None,
    group: StudentGroup | None = None,
    student: Student | None = None,
) -> RoleAssignment:
    """Give ``user`` a role in one scope; in force at once or awaiting confirmation (see above)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the role is given.")})
    if acting_user is not None and acting_user.pk == user.pk:
        raise PermissionDenied(_("Nobody can give a role to themselves."))
    assignment = RoleAssignment(
        user=user,
        role=role,
        region=region,
        organiser=organiser,
        school_unit=school_unit,
        group=group,
        student=student,
        valid_from=valid_from,
        valid_to=valid_to,
        granted_by=acting_user,
        reason=reason.strip()[:500],
    )
    assignment.full_clean()
    if not _may_manage(acting_user, assignment):
        raise PermissionDenied(_("You may not give this role in this scope."))
    unit = assignment_unit(assignment)
    individual = role in INDIVIDUAL_STAFF_ROLES
    by_the_principal = unit is not None and unit.pk in principal_unit_ids(acting_user)
    assignment.pending = individual and not by_the_principal
    assignment.save()
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.ROLE_REQUESTED if assignment.pending else AccessChange.Kind.ROLE_GRANTED,
        what=_describe(assignment),
        reason=assignment.reason,
        subject_user=user,
        student=student,
        school_unit=unit,
        details=_details(assignment),
    )
    return assignment


def may_confirm(acting_user, assignment: RoleAssignment) -> bool:
    """The unit's principal, or an administrator other than the one who asked; never the
    person the role is for."""
    if not assignment.pending or acting_user.pk == assignment.user_id:
        return False
    if acting_user.pk == assignment.granted_by_id:
        return False
    unit = assignment_unit(assignment)
    if unit is not None and unit.pk in principal_unit_ids(acting_user):
        return True
    return is_administrator(acting_user)


@transaction.atomic
def role_assignment_confirm(*, acting_user, assignment: RoleAssignment, reason: str = "") -> RoleAssignment:
    """Put a waiting role in force."""
    assignment = RoleAssignment.objects.select_for_update().select_related("user").get(pk=assignment.pk)
    if not may_confirm(acting_user, assignment):
        raise PermissionDenied(_("You may not confirm this role."))
    assignment.pending = False
    assignment.confirmed_by = acting_user
    assignment.save(update_fields=["pending", "confirmed_by"])
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.ROLE_CONFIRMED,
        what=_describe(assignment),
        reason=reason,
        subject_user=assignment.user,
        student=assignment.student,
        school_unit=assignment_unit(assignment),
        details=_details(assignment),
    )
    return assignment


@transaction.atomic
def role_assignment_revoke(
    *, acting_user, assignment: RoleAssignment, reason: str, ends_on: datetime.date | None = None
) -> RoleAssignment | None:
    """End a role (the last day is ``ends_on``, by default yesterday: access stops now);
    a role still awaiting confirmation is refused and removed."""
    assignment = RoleAssignment.objects.select_for_update().select_related("user").get(pk=assignment.pk)
    if not _may_manage(acting_user, assignment):
        raise PermissionDenied(_("You may not end this role."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the role ends.")})
    unit = assignment_unit(assignment)
    details = _details(assignment)
    what = _describe(assignment)
    last_day = ends_on or timezone.localdate() - datetime.timedelta(days=1)
    if assignment.pending or assignment.valid_from > last_day:
        # Never in force: refused while waiting, or ended before it began.
        assignment.delete()
        result = None
        kind = AccessChange.Kind.ROLE_REFUSED if details.get("pending") else AccessChange.Kind.ROLE_REVOKED
    else:
        if assignment.valid_to is not None and assignment.valid_to <= last_day:
            raise ValidationError(_("The role has already ended."))
        assignment.valid_to = last_day
        assignment.save(update_fields=["valid_to"])
        details["valid_to"] = str(last_day)
        result = assignment
        kind = AccessChange.Kind.ROLE_REVOKED
    access_change_record(
        acting_user=acting_user,
        kind=kind,
        what=what,
        reason=reason.strip(),
        subject_user=assignment.user,
        student=assignment.student,
        school_unit=unit,
        details=details,
    )
    return result


def scope_of(**scope) -> dict:
    """Only the scope fields, for callers that pass a form's cleaned data."""
    return {k: v for k, v in scope.items() if k in SCOPE_FIELDS}
