"""Rules on the student model: age, majority, newly arrived."""

import datetime

import pytest

from studievag.people.models import NEWLY_ARRIVED_YEARS, Student, add_years, age_on

D = datetime.date


def test_age_counts_completed_years():
    assert age_on(D(2008, 5, 17), D(2026, 5, 16)) == 17
    assert age_on(D(2008, 5, 17), D(2026, 5, 17)) == 18


def test_a_leap_day_child_turns_a_year_older_on_1_march_in_ordinary_years():
    assert age_on(D(2008, 2, 29), D(2026, 2, 28)) == 17
    assert age_on(D(2008, 2, 29), D(2026, 3, 1)) == 18


def test_add_years_moves_29_february_to_28_february():
    assert add_years(D(2008, 2, 29), 18) == D(2026, 2, 28)
    assert add_years(D(2008, 2, 29), 20) == D(2028, 2, 29)


def test_majority_starts_on_the_18th_birthday():
    student = Student(date_of_birth=D(2008, 5, 17))

    assert student.is_adult_on(D(2026, 5, 16)) is False
    assert student.is_adult_on(D(2026, 5, 17)) is True


def test_newly_arrived_lasts_four_years_from_the_first_school_start():
    assert NEWLY_ARRIVED_YEARS == 4
    student = Student(date_of_birth=D(2008, 1, 1), first_school_start_in_sweden=D(2022, 8, 22))

    assert student.newly_arrived_until == D(2026, 8, 22)
    assert student.is_newly_arrived_on(D(2022, 8, 22)) is True
    assert student.is_newly_arrived_on(D(2026, 8, 21)) is True
    assert student.is_newly_arrived_on(D(2026, 8, 22)) is False
    assert student.is_newly_arrived_on(D(2022, 8, 21)) is False  # before school start


def test_without_a_school_start_in_sweden_newly_arrived_is_unknown():
    student = Student(date_of_birth=D(2008, 1, 1))

    assert student.newly_arrived_until is None
    assert student.is_newly_arrived_on(D(2024, 1, 1)) is False


@pytest.mark.parametrize(
    ("marking", "protected"),
    [
        (Student.SecurityMarking.NONE, False),
        (Student.SecurityMarking.CONFIDENTIALITY, True),
        (Student.SecurityMarking.PROTECTED_REGISTRATION, True),
    ],
)
def test_both_security_markings_count_as_protected_identity(marking, protected):
    assert Student(security_marking=marking).has_protected_identity is protected
