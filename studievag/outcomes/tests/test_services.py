"""Recording an exit, follow-ups and hand-overs: what is written, and what is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from studievag.access.policy import visible_students
from studievag.enrolments.models import Enrolment, GroupMembership
from studievag.outcomes import services
from studievag.outcomes.models import ContactAttempt, Exit, FollowUp, KaaReferral, KaaStatus
from studievag.outcomes.rules import add_months
from studievag.people.models import AccessChange
from studievag.plans.services import plan_create

D = datetime.date


def fresh(user):
    user.__dict__.pop("_studievag_grants", None)
    return user


def _exit(cast, student, **kw):
    defaults = {
        "acting_user": cast.counsellor_a,
        "enrolment": student.enrolments.get(),
        "exit_date": kw.pop("exit_date", None)
        or (Enrolment.objects.get(student=student).start_date + datetime.timedelta(days=30)),
        "reason": "unknown",
        "home_municipality": cast.organiser_a,
        "consent_to_contact": True,
    }
    defaults.update(kw)
    return services.exit_record(**defaults)


def test_recording_an_exit_ends_the_enrolment_with_an_access_change_row(cast, today):
    with translation.override("en"):
        exit = _exit(
            cast,
            cast.alice,
            exit_date=today,
            reason="national_programme",
            national_programme="VO",
            destination="Kavelbrogymnasiet",
        )

    enrolment = Enrolment.objects.get(student=cast.alice)
    assert (enrolment.end_date, enrolment.exit_reason) == (today, "national_programme")
    changes = AccessChange.objects.filter(student=cast.alice).order_by("pk")
    assert [(c.kind, c.acting_user, c.reason) for c in changes] == [
        (AccessChange.Kind.ENROLMENT_ENDED, cast.counsellor_a, "Exit recorded"),
        (AccessChange.Kind.MEMBERSHIP_ENDED, cast.counsellor_a, "Exit recorded"),
        (AccessChange.Kind.MEMBERSHIP_ENDED, cast.counsellor_a, "Exit recorded"),
    ]
    assert exit.recorded_by == cast.counsellor_a


def test_a_last_day_before_the_start_or_in_the_future_is_refused(cast, today):
    for day in (
        Enrolment.objects.get(student=cast.alice).start_date - datetime.timedelta(days=1),
        today + datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError):
            _exit(cast, cast.alice, exit_date=day, reason="work", destination="ICA")
    assert Enrolment.objects.get(student=cast.alice).end_date is None
    assert not AccessChange.objects.filter(kind=AccessChange.Kind.ENROLMENT_ENDED).exists()


def test_an_exit_ends_group_memberships_so_mentor_and_teacher_stop_seeing_the_student(cast, today):
    _exit(cast, cast.alice, exit_date=today - datetime.timedelta(days=1), reason="work", destination="ICA")

    assert not GroupMembership.objects.filter(student=cast.alice, end_date__isnull=True).exists()
    assert cast.alice not in visible_students(fresh(cast.mentor_a))
    assert cast.alice not in visible_students(fresh(cast.teacher_a))
    assert cast.alice in visible_students(fresh(cast.counsellor_a))
    assert cast.alice in visible_students(fresh(cast.principal_a))
    assert cast.alice not in visible_students(fresh(cast.health_a))


def test_two_follow_ups_are_scheduled_6_and_12_months_after_the_last_day(cast):
    start = Enrolment.objects.get(student=cast.adam).start_date
    exit = _exit(cast, cast.adam, exit_date=start + datetime.timedelta(days=31))

    rows = list(FollowUp.objects.filter(exit=exit).values_list("months", "due_date"))
    assert rows == [(6, add_months(exit.exit_date, 6)), (12, add_months(exit.exit_date, 12))]


def test_a_leaver_under_20_without_destination_is_handed_to_the_home_municipality(cast, today):
    exit = _exit(cast, cast.adam)  # 19, reason unknown

    referral = KaaReferral.objects.get(exit=exit)
    assert (referral.municipality, referral.status, referral.required, referral.sent_on) == (
        cast.organiser_a,
        KaaStatus.SENT,
        True,
        today,
    )


def test_a_leaver_with_a_destination_is_not_handed_over_unless_chosen(cast):
    _exit(cast, cast.alice, reason="work", destination="ICA Kvantum")
    assert not KaaReferral.objects.exists()

    exit = _exit(cast, cast.protected, reason="work", destination="Lager", hand_to_kaa=True)
    assert KaaReferral.objects.get().exit == exit
    assert KaaReferral.objects.get().required is False


def test_a_hand_over_needs_the_home_municipality(cast):
    with pytest.raises(ValidationError) as error:
        _exit(cast, cast.adam, home_municipality=None)

    assert "home_municipality" in error.value.error_dict
    assert not Exit.objects.exists()
    assert Enrolment.objects.get(student=cast.adam).end_date is None  # rolled back


def test_a_national_programme_must_be_named(cast):
    with pytest.raises(ValidationError):
        _exit(cast, cast.alice, reason="national_programme", destination="Skola")
    assert Enrolment.objects.get(student=cast.alice).end_date is None


def test_contact_details_are_kept_only_with_consent(cast):
    with pytest.raises(ValidationError):
        _exit(cast, cast.alice, reason="work", destination="ICA", consent_to_contact=False, contact_phone="070")


def test_an_ended_enrolment_cannot_be_ended_again(cast):
    exit = _exit(cast, cast.alice, reason="work", destination="ICA")
    with pytest.raises(ValidationError):
        services.exit_record(
            acting_user=cast.counsellor_a,
            enrolment=exit.enrolment,
            exit_date=exit.exit_date,
            reason="work",
            destination="ICA",
        )


def test_the_goals_of_the_plan_are_copied_and_the_outcome_against_the_plan_set(cast):
    plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Första planen",
        fields={},
        goals=[
            {"term": "long", "kind": "national_programme", "title": "Behörighet till Vård- och omsorgsprogrammet"},
            {"term": "short", "kind": "language", "title": "Godkänt i svenska som andraspråk", "status": "met"},
        ],
    )
    exit = _exit(cast, cast.alice, reason="national_programme", national_programme="BA", destination="Skola")

    assert [g["title"] for g in exit.goals_at_exit] == [
        "Behörighet till Vård- och omsorgsprogrammet",
        "Godkänt i svenska som andraspråk",
    ]
    assert exit.plan_result == "other_programme"


# --- Follow-ups ------------------------------------------------------------------------------


@pytest.fixture
def due_follow_up(cast, today):
    exit = _exit(cast, cast.adam, exit_date=add_months(today, -6))
    return FollowUp.objects.get(exit=exit, months=6)


def test_not_reached_needs_a_failed_attempt_first(cast, today, due_follow_up):
    with pytest.raises(ValidationError):
        services.follow_up_outcome(
            acting_user=cast.counsellor_a, follow_up=due_follow_up, outcome="not_reached", outcome_on=today
        )

    services.follow_up_attempt(
        acting_user=cast.counsellor_a, follow_up=due_follow_up, attempted_on=today, channel="phone", reached=False
    )
    services.follow_up_outcome(
        acting_user=cast.counsellor_a, follow_up=due_follow_up, outcome="not_reached", outcome_on=today
    )
    due_follow_up.refresh_from_db()
    assert (due_follow_up.outcome, due_follow_up.outcome_on) == ("not_reached", today)


def test_an_outcome_records_the_reaching_contact_and_what_and_where(cast, today, due_follow_up):
    services.follow_up_outcome(
        acting_user=cast.counsellor_a,
        follow_up=due_follow_up,
        outcome="studying",
        outcome_on=today,
        channel="text",
        study_what="Svenska",
        study_where="Komvux Skövde",
    )

    attempt = ContactAttempt.objects.get(follow_up=due_follow_up)
    assert (attempt.channel, attempt.reached, attempt.attempted_on) == ("text", True, today)
    due_follow_up.refresh_from_db()
    assert (due_follow_up.study_what, due_follow_up.study_where) == ("Svenska", "Komvux Skövde")


def test_studying_needs_what_and_where(cast, today, due_follow_up):
    with pytest.raises(ValidationError):
        services.follow_up_outcome(
            acting_user=cast.counsellor_a,
            follow_up=due_follow_up,
            outcome="studying",
            outcome_on=today,
            channel="phone",
        )


def test_an_outcome_outside_the_window_is_refused(cast, today, due_follow_up):
    later = FollowUp.objects.get(exit=due_follow_up.exit, months=12)
    with pytest.raises(ValidationError):
        services.follow_up_outcome(
            acting_user=cast.counsellor_a,
            follow_up=later,
            outcome="working",
            outcome_on=today,
            channel="phone",
            work_what="Lager",
        )


def test_no_follow_up_without_consent(cast, today):
    exit = _exit(cast, cast.adam, exit_date=add_months(today, -6), consent_to_contact=False)
    task = FollowUp.objects.get(exit=exit, months=6)
    with pytest.raises(ValidationError):
        services.follow_up_attempt(
            acting_user=cast.counsellor_a, follow_up=task, attempted_on=today, channel="phone", reached=True
        )


def test_a_later_job_makes_a_job_goal_reached(cast, today):
    plan_create(
        acting_user=cast.mentor_a,
        student=cast.adam,
        reason="Plan",
        fields={},
        goals=[{"term": "long", "kind": "job", "title": "Arbete som kock"}],
    )
    exit = _exit(cast, cast.adam, exit_date=add_months(today, -6))
    assert exit.plan_result == "not_reached"
    services.follow_up_outcome(
        acting_user=cast.counsellor_a,
        follow_up=exit.follow_ups.get(months=6),
        outcome="working",
        outcome_on=today,
        channel="phone",
        work_what="Kock",
    )
    exit.refresh_from_db()
    assert exit.plan_result == "reached"


# --- The municipality's status -------------------------------------------------------------------


def test_a_hand_over_moves_forward_only(cast, today):
    referral = KaaReferral.objects.get(exit=_exit(cast, cast.adam))
    services.kaa_referral_set_status(acting_user=cast.kaa_contact, referral=referral, status="in_contact", on=today)
    referral.refresh_from_db()
    assert (referral.status, referral.received_on, referral.contact_on) == ("in_contact", today, today)
    with pytest.raises(ValidationError):
        services.kaa_referral_set_status(acting_user=cast.kaa_contact, referral=referral, status="received", on=today)
