"""The in-line rule and the early signals, on plain values."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from studievag.progress import rules
from studievag.progress.rules import Status, WeekMinutes

START = datetime.date(2026, 8, 17)  # a Monday
END = START + datetime.timedelta(days=100)


def standing(current, *, start=1, goal=5, on=START + datetime.timedelta(days=50), end=END, **kw):
    return rules.course_standing(
        start=start, current=current, goal=goal, start_date=START, planned_end=end, on=on, **kw
    )


def test_halfway_the_line_expects_the_middle_step():
    s = standing(3)
    assert s.expected == 3.0
    assert s.gap == 0
    assert s.status == Status.IN_LINE


def test_half_a_step_below_the_line_is_still_in_line():
    assert standing(3, on=START + datetime.timedelta(days=62)).status == Status.IN_LINE  # exp 3.48


def test_more_than_half_a_step_below_is_behind():
    s = standing(2, on=START + datetime.timedelta(days=40))  # expected 2.6, gap 0.6
    assert s.status == Status.BEHIND
    assert s.gap == pytest.approx(0.6)


def test_exactly_the_far_behind_threshold_is_behind_not_far():
    s = standing(1, goal=4, on=START + datetime.timedelta(days=50))  # expected 2.5, gap 1.5
    assert s.gap == pytest.approx(1.5)
    assert s.status == Status.BEHIND


def test_more_than_one_and_a_half_steps_below_is_far_behind():
    assert standing(1, on=START + datetime.timedelta(days=50)).status == Status.FAR_BEHIND


def test_before_the_start_the_line_is_at_the_start():
    s = standing(1, on=START - datetime.timedelta(days=10))
    assert s.expected == 1
    assert s.status == Status.IN_LINE


def test_past_the_planned_end_the_goal_is_expected():
    s = standing(4, on=END + datetime.timedelta(days=30))
    assert s.expected == 5
    assert s.status == Status.BEHIND
    assert standing(3, on=END + datetime.timedelta(days=30)).status == Status.FAR_BEHIND


def test_reaching_the_goal_is_in_line_whatever_the_date():
    assert standing(5, on=END + datetime.timedelta(days=300)).status == Status.IN_LINE
    assert standing(6, start=1, on=START).status == Status.IN_LINE


def test_start_at_the_goal_keeps_the_line_flat_at_the_goal():
    s = standing(5, start=5, on=START + datetime.timedelta(days=1))
    assert s.expected == 5
    assert s.status == Status.IN_LINE
    assert standing(4, start=5, on=START).status == Status.BEHIND  # fell below the goal


def test_planned_end_on_the_start_date_expects_the_goal_at_once():
    s = standing(1, end=START, on=START)
    assert s.expected == 5
    assert s.status == Status.FAR_BEHIND


def test_no_starting_level_and_no_record_is_not_assessed():
    s = rules.course_standing(start=None, current=None, goal=5, start_date=START, planned_end=END, on=START)
    assert s.status == Status.NOT_ASSESSED
    assert s.gap is None
    assert "No starting level" in s.explanation


def test_a_starting_level_without_records_is_judged_from_the_start():
    s = standing(None, start=2, on=END)
    assert s.current == 2
    assert s.status == Status.FAR_BEHIND


def test_thresholds_come_from_the_organiser():
    s = standing(2, on=START + datetime.timedelta(days=40), behind_steps=Decimal(1), far_behind_steps=Decimal(2))
    assert s.status == Status.IN_LINE


def test_planned_end_prefers_plan_then_enrolment_then_default():
    plan, enrolment = datetime.date(2027, 1, 1), datetime.date(2027, 6, 1)
    assert rules.planned_end_for(start_date=START, plan_end=plan, enrolment_end=enrolment) == plan
    assert rules.planned_end_for(start_date=START, enrolment_end=enrolment) == enrolment
    assert rules.planned_end_for(start_date=START) == START + datetime.timedelta(weeks=20)
    assert rules.planned_end_for(start_date=START, default_weeks=10) == START + datetime.timedelta(weeks=10)


# --- Attendance ---------------------------------------------------------------------------

ON = datetime.date(2026, 10, 14)  # a Wednesday; the last complete week began 2026-10-05


def week(monday, scheduled, valid=0, invalid=0):
    return WeekMinutes(monday, scheduled, valid, invalid)


def test_recent_weeks_are_the_complete_weeks_before_today():
    assert rules.recent_weeks(ON, 2) == [datetime.date(2026, 9, 28), datetime.date(2026, 10, 5)]


def test_attendance_counts_valid_and_invalid_absence_against_scheduled():
    weeks = [week(datetime.date(2026, 10, 5), 400, valid=60, invalid=92)]
    assert rules.attendance_percent(weeks) == 62.0


def test_zero_scheduled_minutes_is_no_data_not_zero_attendance():
    assert rules.attendance_percent([week(datetime.date(2026, 10, 5), 0)]) is None
    assert rules.attendance_percent([]) is None
    assert rules.attendance_signal([week(datetime.date(2026, 10, 5), 0)], on=ON) is None


def test_attendance_signal_says_why():
    mondays = rules.recent_weeks(ON, 4)
    weeks = [week(m, 100, invalid=38) for m in mondays]
    signal = rules.attendance_signal(weeks, on=ON, threshold_percent=80, n_weeks=4)
    assert signal.kind == "attendance"
    assert signal.message == "Attendance 62 % over the last 4 weeks (threshold 80 %)"


def test_attendance_at_the_threshold_gives_no_signal():
    weeks = [week(m, 100, invalid=20) for m in rules.recent_weeks(ON, 4)]
    assert rules.attendance_signal(weeks, on=ON, threshold_percent=80, n_weeks=4) is None


def test_the_current_week_and_older_weeks_are_left_out_of_the_signal():
    this_week = datetime.date(2026, 10, 12)
    old = datetime.date(2026, 8, 31)
    weeks = [week(this_week, 100, invalid=100), week(old, 100, invalid=100), week(datetime.date(2026, 10, 5), 100)]
    assert rules.attendance_signal(weeks, on=ON, n_weeks=4) is None


def test_trend_compares_the_last_two_known_weeks_with_the_two_before():
    assert rules.trend([90, 92, 70, 60]) == "down"
    assert rules.trend([60, 62, 80, 85]) == "up"
    assert rules.trend([80, None, 82, 79]) == "flat"
    assert rules.trend([None, None, 80, 70]) == "none"


# --- Progression and plan signals ------------------------------------------------------------


def test_no_progress_signal_after_more_than_the_threshold_weeks():
    last = ON - datetime.timedelta(weeks=5)
    signal = rules.no_progress_signal(
        course_name="Matematik", last_recorded_on=last, course_start=START, on=ON, n_weeks=4
    )
    assert (
        signal.message
        == f"No progression step in Matematik for 5 weeks, last on {last.isoformat()} (threshold 4 weeks)"
    )
    with translation.override("sv"):  # the threshold with its unit, in Swedish too
        swedish = rules.no_progress_signal(
            course_name="Matematik", last_recorded_on=last, course_start=START, on=ON, n_weeks=4
        )
    assert (
        swedish.message
        == f"Inget progressionssteg i Matematik på 5 veckor, senast {last.isoformat()} (gränsvärde 4 veckor)"
    )
    assert (
        rules.no_progress_signal(
            course_name="Matematik",
            last_recorded_on=ON - datetime.timedelta(weeks=4),
            course_start=START,
            on=ON,
            n_weeks=4,
        )
        is None
    )


def test_no_progress_signal_counts_from_the_course_start_without_records():
    signal = rules.no_progress_signal(
        course_name="Engelska", last_recorded_on=None, course_start=START, on=ON, n_weeks=4
    )
    assert "since the start 2026-08-17" in signal.message
    assert (
        rules.no_progress_signal(
            course_name="Engelska", last_recorded_on=None, course_start=ON - datetime.timedelta(days=3), on=ON
        )
        is None
    )


def plan(**kw):
    values = {
        "student_id": 1,
        "has_plan": True,
        "last_reviewed_on": datetime.date(2026, 8, 1),
        "review_due": False,
        "plan_late": False,
        "overdue_goals": (),
    }
    return SimpleNamespace(**{**values, **kw})


def test_plan_signals():
    assert rules.plan_signals(None) == []
    assert rules.plan_signals(plan()) == []
    [due] = rules.plan_signals(plan(review_due=True))
    assert due.kind == "plan_review"
    assert due.message == "Plan last reviewed 2026-08-01, more than a month ago"
    [never] = rules.plan_signals(plan(review_due=True, last_reviewed_on=None))
    assert never.message == "Plan never reviewed"
    [missing] = rules.plan_signals(plan(has_plan=False, plan_late=True, last_reviewed_on=None))
    assert missing.message == "No individual study plan yet"
    [goal] = rules.plan_signals(plan(overdue_goals=(("Behörig till EK", datetime.date(2026, 9, 1)),)))
    assert goal.kind == "goal_date"
    assert goal.message == "Goal “Behörig till EK” was due 2026-09-01"
