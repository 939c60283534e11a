"""The IM age rule: start before the end of the first half of the year one turns 20."""

import datetime

import pytest

from studievag.enrolments.eligibility import latest_im_start, may_start_im

D = datetime.date


@pytest.mark.parametrize(
    ("born", "latest"),
    [
        (D(2006, 1, 1), D(2026, 6, 30)),
        (D(2006, 12, 31), D(2026, 6, 30)),  # turns 20 at year end: same deadline
        (D(2008, 2, 29), D(2028, 6, 30)),  # leap-day birth: no 29 February needed
        (D(2006, 7, 1), D(2026, 6, 30)),  # born after 30 June: deadline before the birthday
    ],
)
def test_the_last_start_day_is_30_june_of_the_year_the_student_turns_20(born, latest):
    assert latest_im_start(born) == latest


def test_starting_on_30_june_is_allowed_and_on_1_july_is_not():
    born = D(2006, 3, 15)

    assert may_start_im(born, D(2026, 6, 30)) is True
    assert may_start_im(born, D(2026, 7, 1)) is False


def test_a_student_who_is_already_20_may_still_start_in_the_first_half_year():
    born = D(2006, 1, 10)  # 20 on 10 January 2026

    assert may_start_im(born, D(2026, 3, 1)) is True


def test_a_student_who_is_19_may_not_start_in_the_autumn_of_the_year_they_turn_20():
    born = D(2006, 11, 1)  # still 19 in August 2026

    assert may_start_im(born, D(2026, 8, 20)) is False


def test_leap_day_births_follow_the_same_rule():
    born = D(2008, 2, 29)

    assert may_start_im(born, D(2028, 6, 30)) is True
    assert may_start_im(born, D(2028, 7, 1)) is False
