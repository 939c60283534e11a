import datetime

import pytest
from django.utils import timezone

from studievag.enrolments.models import Enrolment
from studievag.plans.models import GoalStatus, Plan, PlanGoal, PlanReview, PlanSettings
from studievag.plans.selectors import plan_status_for
from studievag.testing import make_student

pytestmark = pytest.mark.django_db


def _plan(student, created: datetime.date, author) -> Plan:
    created_at = timezone.make_aware(datetime.datetime.combine(created, datetime.time(10)))
    return Plan.objects.create(student=student, created_at=created_at, updated_at=created_at)


def _review(plan, on, author):
    return PlanReview.objects.create(
        plan=plan,
        held_on=on,
        participants="Mentor, elev",
        notes="Samtal",
        plan_version=plan.version,
        recorded_by=author,
    )


def test_no_plan_and_enrolled_more_than_four_weeks_is_late(cast, today):
    # alice started 60 days ago and has no plan.
    status = plan_status_for([cast.alice.pk], on=today)[cast.alice.pk]
    assert status.has_plan is False
    assert status.plan_late is True
    assert status.review_due is False
    assert status.last_reviewed_on is None
    assert status.overdue_goals == ()


def test_recent_enrolment_without_plan_is_not_late(cast, today):
    newcomer = make_student(cast.unit_a, start=today - datetime.timedelta(days=27))
    assert plan_status_for([newcomer.pk], on=today)[newcomer.pk].plan_late is False


def test_organiser_deadline_and_interval_apply(cast, today):
    PlanSettings.objects.create(organiser=cast.organiser_a, review_interval_days=10, plan_deadline_weeks=2)
    newcomer = make_student(cast.unit_a, start=today - datetime.timedelta(days=20))
    plan = _plan(cast.alice, today - datetime.timedelta(days=40), cast.mentor_a)
    _review(plan, today - datetime.timedelta(days=11), cast.mentor_a)
    statuses = plan_status_for([newcomer.pk, cast.alice.pk], on=today)
    assert statuses[newcomer.pk].plan_late is True
    assert statuses[cast.alice.pk].review_due is True
    # School B's organiser has no settings: the defaults hold there.
    _plan(cast.bertil, today - datetime.timedelta(days=20), cast.mentor_b)
    assert plan_status_for([cast.bertil.pk], on=today)[cast.bertil.pk].review_due is False


def test_plan_without_review_counts_from_creation(cast, today):
    _plan(cast.alice, today - datetime.timedelta(days=31), cast.mentor_a)
    _plan(cast.adam, today - datetime.timedelta(days=30), cast.mentor_a)
    statuses = plan_status_for([cast.alice.pk, cast.adam.pk], on=today)
    assert statuses[cast.alice.pk].review_due is True
    assert statuses[cast.adam.pk].review_due is False
    assert statuses[cast.alice.pk].plan_late is False


def test_last_review_is_the_latest_up_to_the_day(cast, today):
    plan = _plan(cast.alice, today - datetime.timedelta(days=100), cast.mentor_a)
    _review(plan, today - datetime.timedelta(days=50), cast.mentor_a)
    _review(plan, today - datetime.timedelta(days=5), cast.mentor_a)
    _review(plan, today + datetime.timedelta(days=3), cast.mentor_a)  # booked, not yet held
    status = plan_status_for([cast.alice.pk], on=today)[cast.alice.pk]
    assert status.last_reviewed_on == today - datetime.timedelta(days=5)
    assert status.review_due is False
    earlier = plan_status_for([cast.alice.pk], on=today - datetime.timedelta(days=10))
    assert earlier[cast.alice.pk].review_due is True
    assert earlier[cast.alice.pk].last_reviewed_on == today - datetime.timedelta(days=50)


def test_overdue_goals_are_open_goals_past_their_date(cast, today):
    plan = _plan(cast.alice, today - datetime.timedelta(days=10), cast.mentor_a)
    yesterday = today - datetime.timedelta(days=1)
    PlanGoal.objects.create(
        plan=plan,
        term="short",
        kind="course",
        title="Svenska som andraspråk 1",
        target_date=yesterday,
        status=GoalStatus.IN_PROGRESS,
    )
    PlanGoal.objects.create(
        plan=plan, term="short", kind="course", title="Met already", target_date=yesterday, status=GoalStatus.MET
    )
    PlanGoal.objects.create(
        plan=plan, term="short", kind="course", title="Dropped", target_date=yesterday, status=GoalStatus.DROPPED
    )
    PlanGoal.objects.create(plan=plan, term="long", kind="job", title="Due today", target_date=today)
    PlanGoal.objects.create(plan=plan, term="long", kind="job", title="No date")
    status = plan_status_for([cast.alice.pk], on=today)[cast.alice.pk]
    assert status.overdue_goals == (("Svenska som andraspråk 1", yesterday),)


def test_a_student_who_has_left_is_not_late(cast, today):
    Enrolment.objects.filter(student=cast.alice).update(
        end_date=today - datetime.timedelta(days=1), exit_reason="national_programme"
    )
    assert plan_status_for([cast.alice.pk], on=today)[cast.alice.pk].plan_late is False


def test_one_entry_per_id_in_constant_queries(cast, today, django_assert_num_queries):
    students = [make_student(cast.unit_a) for _ in range(5)]
    for s in students[:3]:
        _plan(s, today - datetime.timedelta(days=3), cast.mentor_a)
    ids = [s.pk for s in students] + [cast.alice.pk, cast.bertil.pk]
    # enrolments, plans with last review, organiser settings, overdue goals
    with django_assert_num_queries(4):
        statuses = plan_status_for(ids, on=today)
    assert set(statuses) == set(ids)
    assert [statuses[s.pk].has_plan for s in students] == [True, True, True, False, False]
    assert plan_status_for([], on=today) == {}


def test_given_enrolments_save_a_query_and_change_nothing(cast, today, django_assert_num_queries):
    """The team overview has the students' enrolments already and passes them in."""
    newcomer = make_student(cast.unit_a, start=today - datetime.timedelta(days=10))
    _plan(cast.bertil, today - datetime.timedelta(days=50), cast.mentor_b)
    PlanSettings.objects.create(organiser=cast.organiser_a, review_interval_days=10, plan_deadline_weeks=1)
    Enrolment.objects.filter(student=cast.adam).update(
        end_date=today - datetime.timedelta(days=1), exit_reason="national_programme"
    )
    ids = [cast.alice.pk, cast.adam.pk, cast.bertil.pk, newcomer.pk]
    enrolments = list(Enrolment.objects.filter(student_id__in=ids).select_related("school_unit"))
    with django_assert_num_queries(3):
        given = plan_status_for(ids, on=today, enrolments=enrolments)
    fetched = plan_status_for(ids, on=today)
    assert given == fetched
    assert given[newcomer.pk].plan_late is True  # organiser A's one-week deadline
    assert given[cast.adam.pk].plan_late is False  # left: no current enrolment
