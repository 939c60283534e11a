"""The status of a linked indicator, as pure functions of dates and numbers.

The line to follow runs from the baseline (the figure shown when the indicator
was linked) to the target of the next checkpoint; after a checkpoint has
passed, from that checkpoint's target to the next one. A figure that is
suppressed gives no status at all: "behind" or "on track" would say on which
side of a number the hidden figure lies.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    MET = "met"  # the final target is reached
    ON_TRACK = "on_track"
    BEHIND = "behind"
    SUPPRESSED = "suppressed"  # the current figure is hidden, so is the status
    NO_DATA = "no_data"  # no figure for the period ("." or "–")
    NO_TARGET = "no_target"
    NO_BASELINE = "no_baseline"  # the baseline was hidden and the next target is not reached


STATUS_LABELS = {
    Status.MET: _("Target reached"),
    Status.ON_TRACK: _("On track"),
    Status.BEHIND: _("Behind"),
    Status.SUPPRESSED: _("Not shown (too few)"),
    Status.NO_DATA: _("No figure yet"),
    Status.NO_TARGET: _("No target set"),
    Status.NO_BASELINE: _("No baseline to measure from"),
}


@dataclass(frozen=True)
class Point:
    on: datetime.date
    value: float


def _at_least(current: float, wanted: float, higher_is_better: bool) -> bool:
    return current >= wanted if higher_is_better else current <= wanted


def expected_on(start: Point, end: Point, on: datetime.date) -> float:
    """The value on the straight line from ``start`` to ``end`` on ``on`` (clamped to the two ends)."""
    span = (end.on - start.on).days
    if span <= 0:
        return end.value
    fraction = min(max((on - start.on).days / span, 0.0), 1.0)
    return start.value + (end.value - start.value) * fraction


def line_segment(baseline: Point | None, targets: list[Point], on: datetime.date) -> tuple[Point | None, Point]:
    """The segment that applies on ``on``: (from, to). ``targets`` must not be empty.

    ``to`` is the first checkpoint on or after ``on`` (the last one when all have
    passed); ``from`` is the checkpoint before it, else the baseline.
    """
    ordered = sorted(targets, key=lambda t: t.on)
    upcoming = [t for t in ordered if t.on >= on]
    end = upcoming[0] if upcoming else ordered[-1]
    earlier = [t for t in ordered if t.on < end.on]
    return (earlier[-1] if earlier else baseline), end


def status(
    *,
    current: float | None,
    hidden: bool,
    baseline: Point | None,
    targets: list[Point],
    higher_is_better: bool,
    on: datetime.date,
) -> tuple[Status, float | None]:
    """The status on ``on`` and the value expected on the line that day (when there is one)."""
    if hidden:
        return Status.SUPPRESSED, None
    if current is None:
        return Status.NO_DATA, None
    if not targets:
        return Status.NO_TARGET, None
    final = max(targets, key=lambda t: t.on)
    if _at_least(current, final.value, higher_is_better):
        return Status.MET, None
    start, end = line_segment(baseline, targets, on)
    if on > final.on:  # every checkpoint has passed and the final target is not reached
        return Status.BEHIND, final.value
    if _at_least(current, end.value, higher_is_better):
        return Status.ON_TRACK, end.value
    if start is None:
        return Status.NO_BASELINE, None
    expected = expected_on(start, end, on)
    return (Status.ON_TRACK if _at_least(current, expected, higher_is_better) else Status.BEHIND), expected
