"""Every change the sync makes to who may see a student goes through here.

Role assignments, group memberships, enrolments (start and end) and guardian
links decide who reaches a student's record. The sync makes them through the
same audited services a person's change goes through (``enrolments.services``,
``people.services``), so each leaves the same access-change row: who (the
sync's system account), when, what and why. Where those services have no
verb for what a register can do (move a start date, reopen an ended link),
the change is written here with the same row, through the same
``access_change_record``.

Roles follow the four-eyes rule of the access area: a role that reaches
individual students, given by anyone but the unit's principal — the sync
included — waits until the unit's principal (or a second administrator)
confirms it. Ending a role takes effect at once.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from studievag.access.declarations import INDIVIDUAL_STAFF_ROLES
from studievag.access.models import RoleAssignment
from studievag.enrolments import services as enrolment_services
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.organisations.models import Programme, SchoolUnit
from studievag.people import services as people_services
from studievag.people.models import AccessChange, Guardian, GuardianLink, Student


@transaction.atomic
def enrolment_start(
    *,
    acting_user,
    student: Student,
    programme: Programme,
    school_unit: SchoolUnit,
    start_date: datetime.date,
    end_date: datetime.date | None,
    exit_reason: str,
    reason: str,
) -> Enrolment:
    enrolment = enrolment_services.enrolment_start(
        acting_user=acting_user,
        student=student,
        programme=programme,
        school_unit=school_unit,
        start_date=start_date,
        reason=reason,
    )
    if end_date is not None:
        enrolment = enrolment_services.enrolment_end(
            acting_user=acting_user, enrolment=enrolment, end_date=end_date, exit_reason=exit_reason, reason=reason
        )
    return enrolment


@transaction.atomic
def enrolment_change(
    *,
    acting_user,
    enrolment: Enrolment,
    start_date: datetime.date,
    end_date: datetime.date | None,
    exit_reason: str,
    reason: str,
) -> Enrolment:
    if enrolment.end_date is None and end_date is not None and enrolment.start_date == start_date:
        return enrolment_services.enrolment_end(
            acting_user=acting_user, enrolment=enrolment, end_date=end_date, exit_reason=exit_reason, reason=reason
        )
    enrolment.start_date = start_date
    enrolment.end_date = end_date
    enrolment.exit_reason = exit_reason if end_date else ""
    enrolment.full_clean()
    enrolment.save(update_fields=["start_date", "end_date", "exit_reason"])
    people_services.access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.ENROLMENT_ENDED if end_date else AccessChange.Kind.ENROLMENT_STARTED,
        what=_("Enrolment at %(unit)s now %(start)s–%(end)s")
        % {"unit": enrolment.school_unit.name, "start": start_date, "end": end_date or ""},
        reason=reason,
        student=enrolment.student,
        school_unit=enrolment.school_unit,
        details={"enrolment": enrolment.pk, "start": str(start_date), "end": str(end_date) if end_date else None},
    )
    return enrolment


@transaction.atomic
def membership_add(
    *,
    acting_user,
    group: StudentGroup,
    student: Student,
    start_date: datetime.date,
    end_date: datetime.date | None,
    reason: str,
) -> GroupMembership:
    membership = enrolment_services.group_membership_start(
        acting_user=acting_user, group=group, student=student, start_date=start_date, reason=reason
    )
    if end_date is not None:
        membership = enrolment_services.group_membership_end(
            acting_user=acting_user, membership=membership, end_date=end_date, reason=reason
        )
    return membership


@transaction.atomic
def membership_change(
    *,
    acting_user,
    membership: GroupMembership,
    start_date: datetime.date,
    end_date: datetime.date | None,
    reason: str,
) -> GroupMembership:
    ends_earlier = end_date is not None and (membership.end_date is None or end_date < membership.end_date)
    if ends_earlier and membership.start_date == start_date:
        return enrolment_services.group_membership_end(
            acting_user=acting_user, membership=membership, end_date=end_date, reason=reason
        )
    membership.start_date = start_date
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["start_date", "end_date"])
    people_services.access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.MEMBERSHIP_ENDED if end_date else AccessChange.Kind.MEMBERSHIP_STARTED,
        what=_("Member of %(group)s now %(start)s–%(end)s")
        % {"group": membership.group.name, "start": start_date, "end": end_date or ""},
        reason=reason,
        student=membership.student,
        school_unit=membership.group.school_unit,
        details={"membership": membership.pk, "group": membership.group_id},
    )
    return membership


@transaction.atomic
def guardian_link_add(
    *,
    acting_user,
    student: Student,
    guardian: Guardian,
    relation: str,
    valid_from: datetime.date,
    reason: str,
) -> GuardianLink:
    return people_services.guardian_link_create(
        acting_user=acting_user,
        student=student,
        guardian=guardian,
        relation=relation,
        valid_from=valid_from,
        reason=reason,
    )


@transaction.atomic
def guardian_link_change(
    *, acting_user, link: GuardianLink, relation: str, valid_to: datetime.date | None, reason: str
) -> GuardianLink:
    ends_earlier = valid_to is not None and (link.valid_to is None or valid_to < link.valid_to)
    if ends_earlier and link.relation == relation:
        return people_services.guardian_link_end(acting_user=acting_user, link=link, ends_on=valid_to, reason=reason)
    link.relation = relation
    link.valid_to = valid_to
    link.full_clean()
    link.save(update_fields=["relation", "valid_to"])
    people_services.access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.GUARDIAN_UNLINKED if valid_to else AccessChange.Kind.GUARDIAN_LINKED,
        what=_("A guardian's link (%(relation)s) now from %(start)s to %(end)s")
        % {"relation": link.get_relation_display(), "start": link.valid_from, "end": valid_to or ""},
        reason=reason,
        student=link.student,
        details={"link": link.pk, "guardian": link.guardian_id, "valid_to": str(valid_to) if valid_to else None},
    )
    return link


def _role_text(assignment: RoleAssignment) -> str:
    scope = assignment.scope
    return _("%(user)s as %(role)s for %(scope)s from %(start)s to %(end)s") % {
        "user": assignment.user.get_full_name() or assignment.user.get_username(),
        "role": assignment.get_role_display(),
        "scope": getattr(scope, "name", ""),
        "start": assignment.valid_from,
        "end": assignment.valid_to or "",
    }


def _role_unit(assignment: RoleAssignment) -> SchoolUnit | None:
    if assignment.school_unit_id:
        return assignment.school_unit
    if assignment.group_id:
        return assignment.group.school_unit
    return None


@transaction.atomic
def role_grant(
    *,
    acting_user,
    user,
    role: str,
    scope: dict,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    reason: str,
) -> RoleAssignment:
    """``scope``: one of ``{"school_unit": unit}``, ``{"group": group}``. A role that reaches
    individual students waits for the unit's principal to confirm it."""
    assignment = RoleAssignment(
        user=user,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
        granted_by=acting_user,
        reason=reason[:500],
        pending=role in INDIVIDUAL_STAFF_ROLES,
        **scope,
    )
    assignment.full_clean()
    assignment.save()
    people_services.access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.ROLE_REQUESTED if assignment.pending else AccessChange.Kind.ROLE_GRANTED,
        what=_role_text(assignment),
        reason=reason,
        subject_user=user,
        school_unit=_role_unit(assignment),
        details={"assignment": assignment.pk, "role": role, "pending": assignment.pending},
    )
    return assignment


@transaction.atomic
def role_change(
    *,
    acting_user,
    assignment: RoleAssignment,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    reason: str,
) -> RoleAssignment:
    ends_earlier = valid_to is not None and (assignment.valid_to is None or valid_to < assignment.valid_to)
    assignment.valid_from = valid_from
    assignment.valid_to = valid_to
    assignment.full_clean()
    assignment.save(update_fields=["valid_from", "valid_to"])
    people_services.access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.ROLE_REVOKED if ends_earlier else AccessChange.Kind.ROLE_GRANTED,
        what=_role_text(assignment),
        reason=reason,
        subject_user=assignment.user,
        school_unit=_role_unit(assignment),
        details={"assignment": assignment.pk, "role": assignment.role, "pending": assignment.pending},
    )
    return assignment
