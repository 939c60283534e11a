"""The status rules against hand-worked examples."""

import datetime

import pytest

from studievag.effect_chain.rules import Point, Status, expected_on, line_segment, status

D = datetime.date


BASELINE = Point(D(2026, 1, 1), 40.0)
ON = D(2026, 4, 1)


def run(current, *, baseline=BASELINE, targets=(), on=ON, higher=True, hidden=False):
    return status(
        current=current, hidden=hidden, baseline=baseline, targets=list(targets), higher_is_better=higher, on=on
    )


def test_halfway_along_the_line_the_expected_value_is_halfway():
    # 1 Jan → 1 Jul 2026 is 181 days; 1 Apr is day 90.
    assert expected_on(Point(D(2026, 1, 1), 40.0), Point(D(2026, 7, 1), 60.0), D(2026, 4, 1)) == pytest.approx(
        40 + 20 * 90 / 181
    )


def test_on_track_at_or_above_the_line_and_behind_below_it():
    targets = [Point(D(2026, 7, 1), 60.0)]
    expected = 40 + 20 * 90 / 181  # 49.94…
    assert run(50.0, targets=targets) == (Status.ON_TRACK, pytest.approx(expected))
    assert run(49.9, targets=targets)[0] == Status.BEHIND


def test_lower_is_better_turns_the_comparison_round():
    targets = [Point(D(2026, 7, 1), 20.0)]
    # From 40 down to 20: expected on 1 April 40 − 20 × 90/181 = 30.06…
    assert run(30.0, targets=targets, higher=False)[0] == Status.ON_TRACK
    assert run(31.0, targets=targets, higher=False)[0] == Status.BEHIND
    assert run(20.0, targets=targets, higher=False)[0] == Status.MET


def test_reaching_the_final_target_is_met_and_the_next_one_is_on_track():
    targets = [Point(D(2026, 7, 1), 50.0), Point(D(2027, 7, 1), 70.0)]
    assert run(70.0, targets=targets)[0] == Status.MET
    assert run(55.0, targets=targets) == (Status.ON_TRACK, 50.0)


def test_after_a_checkpoint_the_line_starts_at_its_target():
    targets = [Point(D(2026, 3, 1), 50.0), Point(D(2026, 5, 1), 70.0)]
    start, end = line_segment(Point(D(2026, 1, 1), 40.0), targets, D(2026, 4, 1))
    assert (start.value, end.value) == (50.0, 70.0)
    # 1 Mar → 1 May is 61 days; 1 Apr is day 31: 50 + 20 × 31/61 = 60.16…
    assert run(60.0, targets=targets)[0] == Status.BEHIND
    assert run(60.2, targets=targets)[0] == Status.ON_TRACK


def test_when_every_checkpoint_has_passed_short_of_the_target_it_is_behind():
    assert run(55.0, targets=[Point(D(2026, 3, 1), 60.0)]) == (Status.BEHIND, 60.0)


def test_a_hidden_figure_has_no_status_whatever_the_numbers():
    assert run(None, hidden=True, targets=[Point(D(2026, 7, 1), 60.0)]) == (Status.SUPPRESSED, None)


def test_without_figure_target_or_baseline():
    assert run(None, targets=[Point(D(2026, 7, 1), 60.0)])[0] == Status.NO_DATA
    assert run(50.0)[0] == Status.NO_TARGET
    no_baseline = run(50.0, baseline=None, targets=[Point(D(2026, 7, 1), 60.0)])
    assert no_baseline == (Status.NO_BASELINE, None)
    # …but reaching the target needs no baseline.
    assert run(60.0, baseline=None, targets=[Point(D(2026, 7, 1), 60.0)])[0] == Status.MET


def test_a_checkpoint_on_the_baseline_day_expects_its_target():
    assert expected_on(Point(D(2026, 1, 1), 40.0), Point(D(2026, 1, 1), 60.0), D(2026, 1, 1)) == 60.0
