import datetime

import pytest
from django.core.exceptions import ValidationError

from studievag.plans import rules
from studievag.plans.rules import ApprovalState

D = datetime.date


@pytest.mark.parametrize(
    ("created", "reviewed", "on", "interval", "due"),
    [
        (None, None, D(2026, 5, 1), 30, False),  # no plan: nothing is due
        (D(2026, 1, 1), None, D(2026, 1, 31), 30, False),  # 30 days after creation: in time
        (D(2026, 1, 1), None, D(2026, 2, 1), 30, True),  # 31 days: due
        (D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 31), 30, False),  # review resets the clock
        (D(2026, 1, 1), D(2026, 3, 1), D(2026, 4, 1), 30, True),
        (D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 9), 7, True),  # the organiser's shorter interval
        (D(2026, 1, 1), None, D(2026, 1, 1), 30, False),  # created today
    ],
)
def test_review_due(created, reviewed, on, interval, due):
    assert rules.review_due(plan_created_on=created, last_reviewed_on=reviewed, on=on, interval_days=interval) is due


@pytest.mark.parametrize(
    ("has_plan", "start", "on", "weeks", "late"),
    [
        (False, D(2026, 1, 5), D(2026, 2, 2), 4, False),  # exactly four weeks: still in time
        (False, D(2026, 1, 5), D(2026, 2, 3), 4, True),  # the day after: late
        (True, D(2026, 1, 5), D(2026, 6, 1), 4, False),  # has a plan: never late
        (False, None, D(2026, 6, 1), 4, False),  # not enrolled: no deadline
        (False, D(2026, 1, 5), D(2026, 1, 20), 2, True),  # organiser's two weeks
        (False, D(2026, 8, 20), D(2026, 8, 1), 4, False),  # starts in the future
    ],
)
def test_plan_late(has_plan, start, on, weeks, late):
    assert rules.plan_late(has_plan=has_plan, enrolment_start=start, on=on, deadline_weeks=weeks) is late


def test_plan_deadline_is_n_weeks_after_start():
    assert rules.plan_deadline(D(2026, 8, 17), 4) == D(2026, 9, 14)


@pytest.mark.parametrize(
    ("version", "approved", "state"),
    [
        (1, None, ApprovalState.NOT_APPROVED),
        (3, 3, ApprovalState.APPROVED),
        (4, 3, ApprovalState.CHANGED_SINCE_APPROVAL),
        (9, 1, ApprovalState.CHANGED_SINCE_APPROVAL),
    ],
)
def test_approval_state(version, approved, state):
    assert rules.approval_state(version=version, approved_version=approved) == state


@pytest.mark.parametrize(
    ("target", "met", "overdue"),
    [
        (D(2026, 3, 1), False, True),
        (D(2026, 3, 2), False, False),  # the target day itself
        (D(2026, 3, 1), True, False),
        (None, False, False),
    ],
)
def test_goal_overdue(target, met, overdue):
    assert rules.goal_overdue(target_date=target, met=met, on=D(2026, 3, 2)) is overdue


# --- Terms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "term, end",
    [
        ("HT 2026", datetime.date(2026, 12, 20)),
        ("VT 2027", datetime.date(2027, 6, 10)),
        ("", None),
        ("HT", None),
        ("ht 2026", None),
        ("HT2026", None),
        ("Termin 1–3", None),
        ("HT 26", None),
        (" HT 2026", None),
    ],
)
def test_term_end_reads_only_the_written_form(term, end):
    assert rules.term_end(term) == end


def test_progress_uses_the_same_term_parser():
    from studievag.progress import rules as progress_rules

    assert progress_rules.term_end is rules.term_end


@pytest.mark.parametrize("value", ["", "HT 2026", "VT 2030"])
def test_a_blank_or_written_term_is_valid(value):
    rules.validate_term(value)


@pytest.mark.parametrize("value", ["HT", "hösten 2026", "VT-2027", "Termin 1–3"])
def test_anything_else_is_refused_with_a_message_naming_it(value):
    with pytest.raises(ValidationError) as info:
        rules.validate_term(value)
    assert f"not “{value}”" in info.value.messages[0]


@pytest.mark.parametrize(
    "day, terms",
    [
        (datetime.date(2026, 7, 31), ["VT 2026", "HT 2026", "VT 2027"]),
        (datetime.date(2026, 8, 1), ["HT 2026", "VT 2027", "HT 2027"]),
        (datetime.date(2026, 12, 31), ["HT 2026", "VT 2027", "HT 2027"]),
        (datetime.date(2027, 1, 1), ["VT 2027", "HT 2027", "VT 2028"]),
    ],
)
def test_terms_from_a_day(day, terms):
    assert rules.terms_from(day, ahead=2) == terms
    assert len(rules.terms_from(day)) == 7


@pytest.mark.parametrize(
    "old, new",
    [
        ("HT 2026", "HT 2026"),
        ("ht-2026", "HT 2026"),
        (" vt2027 ", "VT 2027"),
        ("Termin 1–3", ""),
        ("HT", ""),
    ],
)
def test_older_free_text_terms_are_normalised(old, new):
    assert rules.normalised_term(old) == new
