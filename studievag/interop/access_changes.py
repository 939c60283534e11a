"""Every change the sync makes to who may see a student goes through here.

Role assignments, group memberships, enrolments (start and end) and guardian
links decide who reaches a student's record. This module is the one place
the sync writes them, each a named function with the acting user (the
sync's system account) and a reason. It is kept thin on purpose: it is
where the sync meets the audited services of the trust area, so that a
change made by the register leaves the same audit rows as one made by a
person.
"""

import datetime

from django.db import transaction

from studievag.access.models import RoleAssignment
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.organisations.models import Programme, SchoolUnit
from studievag.people.models import Guardian, GuardianLink, Student


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
    enrolment = Enrolment(
        student=student,
        programme=programme,
        school_unit=school_unit,
        start_date=start_date,
        end_date=end_date,
        exit_reason=exit_reason if end_date else "",
    )
    enrolment.full_clean()
    enrolment.save()
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
    enrolment.start_date = start_date
    enrolment.end_date = end_date
    enrolment.exit_reason = exit_reason if end_date else ""
    enrolment.full_clean()
    enrolment.save(update_fields=["start_date", "end_date", "exit_reason"])
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
    membership = GroupMembership(group=group, student=student, start_date=start_date, end_date=end_date)
    membership.full_clean()
    membership.save()
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
    membership.start_date = start_date
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["start_date", "end_date"])
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
    link = GuardianLink(student=student, guardian=guardian, relation=relation, valid_from=valid_from)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def guardian_link_change(
    *, acting_user, link: GuardianLink, relation: str, valid_to: datetime.date | None, reason: str
) -> GuardianLink:
    link.relation = relation
    link.valid_to = valid_to
    link.full_clean()
    link.save(update_fields=["relation", "valid_to"])
    return link


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
    """``scope``: one of ``{"school_unit": unit}``, ``{"group": group}``."""
    assignment = RoleAssignment(user=user, role=role, valid_from=valid_from, valid_to=valid_to, **scope)
    assignment.full_clean()
    assignment.save()
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
    assignment.valid_from = valid_from
    assignment.valid_to = valid_to
    assignment.full_clean()
    assignment.save(update_fields=["valid_from", "valid_to"])
    return assignment
