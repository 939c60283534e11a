"""Writes: recording an exit, the follow-up interviews and the hand-over's status.

Each is atomic, takes the acting user and keeps who and when; recording an
exit ends the enrolment and the student's group memberships at the unit
through the enrolments area's services (``enrolment_end``,
``group_membership_end``), each of which writes the access-change row.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.enrolments.models import Enrolment, GroupMembership
from studievag.enrolments.services import enrolment_end, group_membership_end
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.plans.models import GoalStatus, GoalTerm, Plan

from . import rules
from .models import KAA_ORDER, Channel, ContactAttempt, Exit, FollowUp, KaaReferral, KaaStatus, Occupation


def goals_snapshot(student_id: int) -> list[dict]:
    """The plan's goals as they stand: title, kind, term, status and target date."""
    plan = Plan.objects.filter(student_id=student_id).prefetch_related("goals").first()
    if plan is None:
        return []
    return [
        {
            "title": g.title,
            "kind": g.kind,
            "term": g.term,
            "status": g.status,
            "target_date": g.target_date.isoformat() if g.target_date else None,
        }
        for g in plan.goals.all()
    ]


def _long_term_goal(goals: list[dict]) -> dict | None:
    """The goal an outcome is measured against: the first long-term goal still pursued."""
    for goal in goals:
        if goal["term"] == GoalTerm.LONG and goal["status"] != GoalStatus.DROPPED:
            return goal
    return None


def compute_plan_result(exit: Exit, later_outcomes: tuple[str, ...] = ()) -> str:
    goal = _long_term_goal(exit.goals_at_exit)
    return rules.plan_result(
        goal_kind=goal["kind"] if goal else None,
        goal_title=goal["title"] if goal else "",
        goal_met=bool(goal and goal["status"] == GoalStatus.MET),
        reason=exit.reason,
        programme_code=exit.national_programme,
        later_outcomes=later_outcomes,
    ).value


@transaction.atomic
def exit_record(
    *,
    acting_user,
    enrolment: Enrolment,
    exit_date: datetime.date,
    reason: str,
    national_programme: str = "",
    destination: str = "",
    receiving_unit: SchoolUnit | None = None,
    home_municipality: Organiser | None = None,
    consent_to_contact: bool = False,
    contact_phone: str = "",
    contact_email: str = "",
    note: str = "",
    hand_to_kaa: bool = False,
    today: datetime.date | None = None,
) -> Exit:
    """A student leaves: the enrolment ends, the follow-ups are scheduled and, where the
    rule says so (or the recorder chooses), the home municipality's activity
    responsibility is handed the young person."""
    today = today or timezone.localdate()
    if reason not in Exit.REASONS:
        raise ValidationError({"reason": _("Choose a reason for leaving from the list.")})
    if reason == Exit.Reason.NATIONAL_PROGRAMME and national_programme not in rules.NATIONAL_PROGRAMMES:
        raise ValidationError({"national_programme": _("Choose which national programme.")})
    if reason != Exit.Reason.NATIONAL_PROGRAMME:
        national_programme = ""
    if reason in (Exit.Reason.UNKNOWN,):
        destination, receiving_unit = "", None
    if receiving_unit is not None and not destination:
        destination = receiving_unit.name
    student = enrolment.student
    must = rules.must_hand_to_kaa(
        date_of_birth=student.date_of_birth, exit_date=exit_date, reason=reason, destination=destination
    )
    may = rules.may_hand_to_kaa(date_of_birth=student.date_of_birth, exit_date=exit_date, reason=reason)
    if hand_to_kaa and not may:
        raise ValidationError(
            {"hand_to_kaa": _("The activity responsibility covers young people under 20 who stay in Sweden.")}
        )
    if (must or hand_to_kaa) and home_municipality is None:
        raise ValidationError(
            {
                "home_municipality": _(
                    "A young person under 20 without a destination is handed to the home municipality: choose it."
                )
            }
        )
    if not consent_to_contact and (contact_phone or contact_email):
        raise ValidationError(
            {"contact_phone": _("Contact details for the follow-up are kept only with the student's consent.")}
        )

    if exit_date < enrolment.start_date:
        raise ValidationError({"exit_date": _("The last day is before the enrolment started.")})
    if exit_date > today:
        raise ValidationError({"exit_date": _("The last day cannot be in the future.")})
    enrolment_end(
        acting_user=acting_user,
        enrolment=enrolment,
        end_date=exit_date,
        exit_reason=reason,
        reason=_("Exit recorded"),
    )
    # The unit's mentors and teachers stop reaching the student: the memberships end too
    # (one begun after the last day, when an exit is recorded late, ends on its first day).
    for membership in GroupMembership.objects.filter(
        student_id=enrolment.student_id, group__school_unit_id=enrolment.school_unit_id, end_date__isnull=True
    ):
        group_membership_end(
            acting_user=acting_user,
            membership=membership,
            end_date=max(exit_date, membership.start_date),
            reason=_("Exit recorded"),
        )
    exit = Exit(
        enrolment=enrolment,
        student=student,
        exit_date=exit_date,
        reason=reason,
        national_programme=national_programme,
        destination=destination.strip(),
        receiving_unit=receiving_unit,
        home_municipality=home_municipality,
        consent_to_contact=consent_to_contact,
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(),
        goals_at_exit=goals_snapshot(student.pk),
        note=note,
        recorded_by=acting_user,
    )
    exit.plan_result = compute_plan_result(exit)
    exit.full_clean(exclude=["enrolment", "student", "recorded_by"])
    exit.save()
    FollowUp.objects.bulk_create(
        FollowUp(exit=exit, months=m, due_date=rules.due_date(exit_date, m)) for m in rules.FOLLOW_UP_MONTHS
    )
    if must or hand_to_kaa:
        assert home_municipality is not None  # required above
        KaaReferral.objects.create(
            exit=exit,
            municipality=home_municipality,
            required=must,
            sent_on=today,
            sent_by=acting_user,
        )
    return exit


@transaction.atomic
def follow_up_attempt(
    *,
    acting_user,
    follow_up: FollowUp,
    attempted_on: datetime.date,
    channel: str,
    reached: bool,
    note: str = "",
    today: datetime.date | None = None,
) -> ContactAttempt:
    """Record one try to reach the young person (reached or not)."""
    today = today or timezone.localdate()
    follow_up = FollowUp.objects.select_for_update().select_related("exit").get(pk=follow_up.pk)
    _check_open(follow_up, attempted_on, today)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the contact was tried.")})
    return ContactAttempt.objects.create(
        follow_up=follow_up,
        attempted_on=attempted_on,
        channel=channel,
        reached=reached,
        note=note,
        recorded_by=acting_user,
    )


def _check_open(follow_up: FollowUp, on: datetime.date, today: datetime.date) -> None:
    if not follow_up.exit.consent_to_contact:
        raise ValidationError(_("The student did not consent to be contacted after leaving."))
    if follow_up.outcome:
        raise ValidationError(_("This follow-up already has an outcome."))
    if error := rules.outcome_date_error(due=follow_up.due_date, on=on, today=today):
        raise ValidationError({"outcome_on": error})


@transaction.atomic
def follow_up_outcome(
    *,
    acting_user,
    follow_up: FollowUp,
    outcome: str,
    outcome_on: datetime.date,
    channel: str = "",
    study_what: str = "",
    study_where: str = "",
    work_what: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> FollowUp:
    """The result of one follow-up: what the young person does, or that they were not reached.

    "Not reached" needs at least one failed attempt on record; any other
    outcome is what the young person said, so a reached contact is recorded
    with it when none is on record yet.
    """
    today = today or timezone.localdate()
    follow_up = FollowUp.objects.select_for_update().select_related("exit").get(pk=follow_up.pk)
    _check_open(follow_up, outcome_on, today)
    if outcome not in Occupation.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    attempts = follow_up.attempts.all()
    if outcome == Occupation.NOT_REACHED:
        if not attempts.filter(reached=False).exists():
            raise ValidationError({"outcome": _("Record the attempts to reach the young person before “not reached”.")})
    else:
        if outcome in (Occupation.STUDYING, Occupation.BOTH) and not (study_what.strip() and study_where.strip()):
            raise ValidationError({"study_what": _("Say what and where the young person studies.")})
        if not attempts.filter(reached=True).exists():
            if channel not in Channel.values:
                raise ValidationError({"channel": _("Say how you reached the young person.")})
            ContactAttempt.objects.create(
                follow_up=follow_up,
                attempted_on=outcome_on,
                channel=channel,
                reached=True,
                recorded_by=acting_user,
            )
    follow_up.outcome = outcome
    follow_up.outcome_on = outcome_on
    follow_up.study_what = study_what.strip() if outcome in rules.STUDYING else ""
    follow_up.study_where = study_where.strip() if outcome in rules.STUDYING else ""
    follow_up.work_what = work_what.strip() if outcome in rules.WORKING else ""
    follow_up.note = note
    follow_up.recorded_by = acting_user
    follow_up.recorded_at = timezone.now()
    follow_up.save()
    exit = follow_up.exit
    outcomes = tuple(FollowUp.objects.filter(exit=exit).exclude(outcome="").values_list("outcome", flat=True))
    result = compute_plan_result(exit, outcomes)
    if result != exit.plan_result:
        Exit.objects.filter(pk=exit.pk).update(plan_result=result)
    return follow_up


@transaction.atomic
def kaa_referral_set_status(
    *, acting_user, referral: KaaReferral, status: str, on: datetime.date, today: datetime.date | None = None
) -> KaaReferral:
    """The municipality moves a hand-over forward: received, then in contact (never back)."""
    today = today or timezone.localdate()
    referral = KaaReferral.objects.select_for_update().get(pk=referral.pk)
    if status not in KaaStatus.values or KAA_ORDER.index(KaaStatus(status)) <= KAA_ORDER.index(
        KaaStatus(referral.status)
    ):
        raise ValidationError({"status": _("A hand-over moves forward: sent, received, in contact.")})
    if on > today or on < referral.sent_on:
        raise ValidationError({"on": _("The date must lie between the day it was sent and today.")})
    if status == KaaStatus.RECEIVED:
        referral.received_on = on
    else:
        referral.received_on = referral.received_on or on
        if on < referral.received_on:
            raise ValidationError({"on": _("Contact cannot come before the hand-over was received.")})
        referral.contact_on = on
    referral.status = status
    referral.updated_by = acting_user
    referral.full_clean()
    referral.save()
    return referral
