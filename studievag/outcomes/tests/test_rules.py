"""The scheduling, staleness, activity-responsibility and plan-outcome rules, alone."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studievag.access.policy import FORMER_STUDENT_DAYS
from studievag.outcomes import rules
from studievag.outcomes.rules import PlanResult, TaskState

D = datetime.date


# --- Scheduling -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exit_date", "months", "due"),
    [
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2026, 1, 15), 12, D(2027, 1, 15)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # a shorter month: its last day
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # a leap year
        (D(2026, 12, 31), 6, D(2027, 6, 30)),
    ],
)
def test_follow_ups_fall_due_6_and_12_months_after_the_exit(exit_date, months, due):
    assert rules.due_date(exit_date, months) == due


def test_a_task_opens_two_weeks_early_and_closes_30_days_late():
    due = D(2026, 7, 15)
    state = lambda today: rules.task_state(due=due, today=today, has_outcome=False, consent=True)  # noqa: E731

    assert state(D(2026, 6, 30)) == TaskState.UPCOMING
    assert state(D(2026, 7, 1)) == TaskState.OPEN
    assert state(D(2026, 7, 14)) == TaskState.OPEN
    assert state(D(2026, 7, 15)) == TaskState.DUE
    assert state(D(2026, 8, 14)) == TaskState.DUE
    assert state(D(2026, 8, 15)) == TaskState.MISSED


def test_an_outcome_makes_a_task_done_and_no_consent_cancels_it():
    due = D(2026, 7, 15)
    assert rules.task_state(due=due, today=D(2027, 1, 1), has_outcome=True, consent=True) == TaskState.DONE
    assert rules.task_state(due=due, today=D(2026, 7, 20), has_outcome=False, consent=False) == TaskState.CANCELLED


def test_an_outcome_must_be_dated_inside_the_window():
    due = D(2026, 7, 15)
    today = D(2026, 9, 1)
    assert rules.outcome_date_error(due=due, on=D(2026, 7, 1), today=today) is None
    assert rules.outcome_date_error(due=due, on=D(2026, 8, 14), today=today) is None
    assert rules.outcome_date_error(due=due, on=D(2026, 6, 30), today=today) is not None
    assert rules.outcome_date_error(due=due, on=D(2026, 8, 15), today=today) is not None
    assert rules.outcome_date_error(due=due, on=D(2026, 7, 20), today=D(2026, 7, 19)) is not None  # future


@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2040, 12, 31)))
def test_former_students_stay_visible_exactly_as_long_as_the_follow_up_needs(exit_date):
    """The access rule (days after the last day) covers the last follow-up's window, with at most a week's slack."""
    last = rules.last_follow_up_closes(exit_date)
    assert (last - exit_date).days <= FORMER_STUDENT_DAYS
    assert FORMER_STUDENT_DAYS - (last - exit_date).days <= 7


# --- Staleness -------------------------------------------------------------------------------


def test_an_outcome_older_than_six_months_is_stale():
    recorded = D(2026, 1, 31)
    assert not rules.is_stale(recorded, D(2026, 7, 31))
    assert rules.is_stale(recorded, D(2026, 8, 1))


# --- The activity responsibility ----------------------------------------------------------


BORN = D(2007, 3, 10)  # turns 20 on 10 March 2027


@pytest.mark.parametrize(
    ("exit_date", "reason", "destination", "handed"),
    [
        (D(2027, 3, 9), "unknown", "", True),  # 19 on the last day
        (D(2027, 3, 10), "unknown", "", False),  # 20 that day: outside the responsibility
        (D(2026, 6, 1), "other", "", True),  # no destination named
        (D(2026, 6, 1), "other", "  ", True),
        (D(2026, 6, 1), "work", "", True),  # work, but nowhere named
        (D(2026, 6, 1), "work", "ICA Kvantum Skövde", False),
        (D(2026, 6, 1), "national_programme", "Vård- och omsorgsprogrammet, Kavelbro", False),
        (D(2026, 6, 1), "moved_abroad", "", False),  # no longer the municipality's
        (D(2026, 6, 1), "unknown", "something typed", True),  # unknown is never a destination
    ],
)
def test_a_leaver_under_20_without_a_destination_is_handed_to_kaa(exit_date, reason, destination, handed):
    assert (
        rules.must_hand_to_kaa(date_of_birth=BORN, exit_date=exit_date, reason=reason, destination=destination)
        is handed
    )


def test_a_hand_over_by_choice_is_allowed_under_20_in_sweden_only():
    assert rules.may_hand_to_kaa(date_of_birth=BORN, exit_date=D(2026, 6, 1), reason="work")
    assert not rules.may_hand_to_kaa(date_of_birth=BORN, exit_date=D(2026, 6, 1), reason="moved_abroad")
    assert not rules.may_hand_to_kaa(date_of_birth=BORN, exit_date=D(2027, 6, 1), reason="work")


# --- Outcome against the plan --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "result"),
    [
        ({"goal_kind": None, "reason": "work"}, PlanResult.NO_GOAL),
        (
            {
                "goal_kind": "national_programme",
                "goal_title": "Behörighet till Vård- och omsorgsprogrammet",
                "reason": "national_programme",
                "programme_code": "VO",
            },
            PlanResult.REACHED,
        ),
        (
            {
                "goal_kind": "national_programme",
                "goal_title": "Behörighet till Vård- och omsorgsprogrammet",
                "reason": "national_programme",
                "programme_code": "BA",
            },
            PlanResult.OTHER_PROGRAMME,
        ),
        (
            {
                "goal_kind": "national_programme",
                "goal_title": "Behörighet till ett yrkesprogram",
                "reason": "national_programme",
                "programme_code": "BA",
            },
            PlanResult.REACHED,
        ),
        ({"goal_kind": "national_programme", "goal_title": "x", "reason": "work"}, PlanResult.NOT_REACHED),
        (
            {"goal_kind": "national_programme", "goal_title": "x", "reason": "work", "goal_met": True},
            PlanResult.REACHED,
        ),
        ({"goal_kind": "job", "reason": "unknown"}, PlanResult.NOT_REACHED),
        ({"goal_kind": "job", "reason": "apprenticeship"}, PlanResult.REACHED),
        ({"goal_kind": "job", "reason": "unknown", "later_outcomes": ("neither", "working")}, PlanResult.REACHED),
        ({"goal_kind": "adult_education", "reason": "adult_education"}, PlanResult.REACHED),
        ({"goal_kind": "adult_education", "reason": "work", "later_outcomes": ("working",)}, PlanResult.NOT_REACHED),
        ({"goal_kind": "language", "reason": "work", "goal_met": True}, PlanResult.REACHED),
    ],
)
def test_the_outcome_against_the_plan(kwargs, result):
    assert rules.plan_result(**kwargs) == result
