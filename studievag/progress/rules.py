"""The rules of the follow-up: *in line with the course goal*, and the early signals.

Pure functions of plain values, so they can be tested on their own and used
by the team overview without extra queries.

In line with the course goal
----------------------------
A course is followed along a straight line, from the student's *starting
step* on the *start date* to the scale's *goal step* on the *planned end
date*. On any day the line gives an *expected step* (a fraction)::

    expected = start + (goal − start) × elapsed / planned length   (elapsed clamped to 0…length)

The *gap* is ``expected − current`` in steps, where *current* is the step of
the latest record on or before the day. With the organiser's thresholds
(default 0.5 and 1.5 steps):

* **in line**: gap ≤ behind threshold, or the student has reached the goal;
* **behind**: gap > behind threshold;
* **far behind**: gap > far-behind threshold;
* **not assessed**: no starting level and no record yet.

Edge cases: when the start step is the goal step the line is flat at the
goal; after the planned end date the expected step is the goal; a planned
end on or before the start date means the goal is expected at once.

* Starting step and start date: the starting level for the course's subject
  in the mapping at intake, from the day the student joined the course group;
  without one, the first record's step, from that record's day.
* Planned end: the course's end in the student's plan when the plan says
  when it is read (a term such as "HT 2026" ends on 20 December, "VT 2027"
  on 10 June); else the enrolment's end date when set; else the start date plus the
  organiser's default course length (20 weeks, one term, unless changed).

Early signals
-------------
* **Attendance** below the threshold (default 80 %) over the last N complete
  weeks (default 4, the current week left out because it is not over).
  Attendance = (scheduled − valid absence − invalid absence) / scheduled,
  summed over the student's courses; weeks with nothing scheduled don't count,
  and with nothing scheduled at all there is no signal (no data is not low
  attendance).
* **No progression step** recorded in a course for more than N weeks
  (default 4), counted from the latest record, or from the course start
  when there is none.
* **Plan not reviewed** within a month, and **goal date passed**: from the
  plans area's :class:`PlanStatus`.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# The plan's term parser, one for the whole project (kept importable from here).
from studievag.plans.rules import TERM_ENDS, term_end  # noqa: F401

# Defaults when an organiser has no FollowUpSettings row (kept equal to the model's defaults).
DEFAULT_BEHIND_STEPS = Decimal("0.5")
DEFAULT_FAR_BEHIND_STEPS = Decimal("1.5")
DEFAULT_COURSE_WEEKS = 20
DEFAULT_ATTENDANCE_PERCENT = 80
DEFAULT_ATTENDANCE_WEEKS = 4
DEFAULT_NO_PROGRESS_WEEKS = 4


class Status:
    IN_LINE = "in_line"
    BEHIND = "behind"
    FAR_BEHIND = "far_behind"
    NOT_ASSESSED = "not_assessed"

    LABELS = {
        IN_LINE: gettext_lazy("In line"),
        BEHIND: gettext_lazy("Behind"),
        FAR_BEHIND: gettext_lazy("Far behind"),
        NOT_ASSESSED: gettext_lazy("Not assessed"),
    }
    # A shape as well as a colour, so colour is never the only signal.
    SYMBOLS = {IN_LINE: "●", BEHIND: "▲", FAR_BEHIND: "■", NOT_ASSESSED: "○"}


@dataclass(frozen=True)
class Standing:
    status: str
    start: int | None
    current: int | None
    goal: int
    expected: float | None
    start_date: datetime.date
    planned_end: datetime.date

    @property
    def gap(self) -> float | None:
        if self.expected is None or self.current is None:
            return None
        return round(self.expected - self.current, 2)

    @property
    def label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def symbol(self) -> str:
        return Status.SYMBOLS[self.status]

    @property
    def explanation(self) -> str:
        return Explanations()(self)


class Explanations:
    """Standings in words (:attr:`Standing.explanation`), for a page that shows many: the
    sentence and the labels translated once, each date and number formatted once."""

    def __init__(self) -> None:
        self._sentence = ""
        self._labels: dict[str, str] = {}
        self._dates: dict[datetime.date, str] = {}
        self._numbers: dict[float, str] = {}

    def label(self, status: str) -> str:
        if status not in self._labels:
            self._labels[status] = str(Status.LABELS[status])
        return self._labels[status]

    def __call__(self, standing: "Standing") -> str:
        if standing.status == Status.NOT_ASSESSED:
            return _("No starting level and no step recorded yet.")
        if not self._sentence:
            self._sentence = _(
                "Step %(current)s now; the line from step %(start)s to the goal (step %(goal)s) "
                "by %(end)s expects step %(expected)s today."
            )
        end, expected = standing.planned_end, standing.expected
        if end not in self._dates:
            self._dates[end] = date_format(end, "DATE_FORMAT")
        if expected not in self._numbers:
            self._numbers[expected] = number_format(expected, 1, use_l10n=True)  # 2,5 in Swedish
        return self._sentence % {
            "current": standing.current,
            "start": standing.start,
            "goal": standing.goal,
            "end": self._dates[end],
            "expected": self._numbers[expected],
        }


def planned_end_for(
    *,
    start_date: datetime.date,
    plan_end: datetime.date | None = None,
    enrolment_end: datetime.date | None = None,
    default_weeks: int = DEFAULT_COURSE_WEEKS,
) -> datetime.date:
    """The course's planned end: from the plan, else the enrolment, else a default length."""
    if plan_end is not None:
        return plan_end
    if enrolment_end is not None:
        return enrolment_end
    return start_date + datetime.timedelta(weeks=default_weeks)


# The plan's term parser, one for the whole project (kept importable from here).


def expected_position(
    *,
    start: int,
    goal: int,
    start_date: datetime.date,
    planned_end: datetime.date,
    on: datetime.date,
) -> float:
    """Where the straight line from start to goal stands on ``on``."""
    if start >= goal:
        return float(goal)
    length = (planned_end - start_date).days
    if length <= 0:
        fraction = 1.0
    else:
        fraction = min(max((on - start_date).days / length, 0.0), 1.0)
    return start + (goal - start) * fraction


def course_standing(
    *,
    start: int | None,
    current: int | None,
    goal: int,
    start_date: datetime.date,
    planned_end: datetime.date,
    on: datetime.date,
    behind_steps: Decimal | float = DEFAULT_BEHIND_STEPS,
    far_behind_steps: Decimal | float = DEFAULT_FAR_BEHIND_STEPS,
) -> Standing:
    """In line, behind or far behind (see the module's docstring)."""
    if start is None and current is None:
        return Standing(Status.NOT_ASSESSED, None, None, goal, None, start_date, planned_end)
    if start is None:
        start = current
    if current is None:
        current = start
    expected = expected_position(start=start, goal=goal, start_date=start_date, planned_end=planned_end, on=on)
    gap = expected - current
    if current >= goal or gap <= float(behind_steps):
        status = Status.IN_LINE
    elif gap > float(far_behind_steps):
        status = Status.FAR_BEHIND
    else:
        status = Status.BEHIND
    return Standing(status, start, current, goal, expected, start_date, planned_end)


# --- Attendance --------------------------------------------------------------


@dataclass(frozen=True)
class WeekMinutes:
    week_start: datetime.date
    scheduled: int
    valid_absence: int
    invalid_absence: int

    @property
    def present(self) -> int:
        return self.scheduled - self.valid_absence - self.invalid_absence


def attendance_percent(weeks: list[WeekMinutes]) -> float | None:
    """Present minutes as a share of scheduled minutes; None when nothing was scheduled."""
    scheduled = sum(w.scheduled for w in weeks)
    if scheduled <= 0:
        return None
    return 100.0 * sum(w.present for w in weeks) / scheduled


def recent_weeks(on: datetime.date, count: int) -> list[datetime.date]:
    """The Mondays of the ``count`` complete weeks before ``on``'s week, oldest first."""
    monday = on - datetime.timedelta(days=on.weekday())
    return [monday - datetime.timedelta(weeks=k) for k in range(count, 0, -1)]


def weekly_series(weeks: list[WeekMinutes], mondays: list[datetime.date]) -> list[float | None]:
    """Attendance per week (summed over courses), None for weeks with nothing scheduled."""
    by_week: dict[datetime.date, list[WeekMinutes]] = {}
    for w in weeks:
        by_week.setdefault(w.week_start, []).append(w)
    return [attendance_percent(by_week.get(m, [])) for m in mondays]


def trend(series: list[float | None]) -> str:
    """``up``, ``down``, ``flat`` or ``none``: the last two known weeks against the two before."""
    known = [v for v in series if v is not None]
    if len(known) < 3:
        return "none"
    recent = sum(known[-2:]) / 2
    before = sum(known[-4:-2]) / len(known[-4:-2])
    if recent - before >= 5:
        return "up"
    if before - recent >= 5:
        return "down"
    return "flat"


# --- Signals -----------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    kind: str  # attendance, no_progress, plan_review, goal_date
    message: str


def attendance_signal(
    weeks: list[WeekMinutes],
    *,
    on: datetime.date,
    threshold_percent: int = DEFAULT_ATTENDANCE_PERCENT,
    n_weeks: int = DEFAULT_ATTENDANCE_WEEKS,
) -> Signal | None:
    window = set(recent_weeks(on, n_weeks))
    percent = attendance_percent([w for w in weeks if w.week_start in window])
    if percent is None or percent >= threshold_percent:
        return None
    return Signal(
        "attendance",
        ngettext(
            "Attendance %(percent)s %% over the last week (threshold %(threshold)s %%)",
            "Attendance %(percent)s %% over the last %(weeks)s weeks (threshold %(threshold)s %%)",
            n_weeks,
        )
        % {"percent": round(percent), "weeks": n_weeks, "threshold": threshold_percent},
    )


def _weeks_threshold(n_weeks: int) -> str:
    """The threshold with its unit: "threshold 4 weeks"."""
    return ngettext("threshold %(n)s week", "threshold %(n)s weeks", n_weeks) % {"n": n_weeks}


def no_progress_signal(
    *,
    course_name: str,
    last_recorded_on: datetime.date | None,
    course_start: datetime.date,
    on: datetime.date,
    n_weeks: int = DEFAULT_NO_PROGRESS_WEEKS,
) -> Signal | None:
    since = last_recorded_on or course_start
    weeks = (on - since).days // 7
    if weeks <= n_weeks:
        return None
    if last_recorded_on is None:
        message = ngettext(
            "No progression step in %(course)s since the start %(date)s, %(weeks)s week (%(threshold)s)",
            "No progression step in %(course)s since the start %(date)s, %(weeks)s weeks (%(threshold)s)",
            weeks,
        )
    else:
        message = ngettext(
            "No progression step in %(course)s for %(weeks)s week, last on %(date)s (%(threshold)s)",
            "No progression step in %(course)s for %(weeks)s weeks, last on %(date)s (%(threshold)s)",
            weeks,
        )
    return Signal(
        "no_progress",
        message
        % {"course": course_name, "date": since.isoformat(), "weeks": weeks, "threshold": _weeks_threshold(n_weeks)},
    )


def no_progress_signals(stalled: list[Signal], weeks: dict[str, int], *, n_weeks: int) -> list[Signal]:
    """One signal for several courses without steps, so a row stays readable."""
    if len(stalled) <= 1:
        return stalled
    return [
        Signal(
            "no_progress",
            ngettext(
                "No progression step in %(courses)s for %(weeks)s week or more (%(threshold)s)",
                "No progression step in %(courses)s for %(weeks)s weeks or more (%(threshold)s)",
                min(weeks.values()),
            )
            % {
                "courses": ", ".join(sorted(weeks)),
                "weeks": min(weeks.values()),
                "threshold": _weeks_threshold(n_weeks),
            },
        )
    ]


def plan_signals(status) -> list[Signal]:
    """Signals from the plans area's ``PlanStatus`` (or None when no status is known)."""
    if status is None:
        return []
    signals = []
    if not status.has_plan:
        if status.plan_late:
            signals.append(Signal("plan_review", _("No individual study plan yet")))
    elif status.review_due or status.plan_late:
        if status.last_reviewed_on:
            signals.append(
                Signal(
                    "plan_review",
                    _("Plan last reviewed %(date)s, more than a month ago")
                    % {"date": status.last_reviewed_on.isoformat()},
                )
            )
        else:
            signals.append(Signal("plan_review", _("Plan never reviewed")))
    for title, due in status.overdue_goals:
        signals.append(
            Signal(
                "goal_date",
                _("Goal “%(goal)s” was due %(date)s") % {"goal": title, "date": due.isoformat()},
            )
        )
    return signals


# --- Colours of the steps (WCAG 2.1 contrast) ---------------------------------------------
STEP_TEXT_COLOUR = "#111111"  # the text on a step's colour (progress.css .step-chip)
MIN_STEP_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours, 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
