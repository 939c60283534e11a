"""The plan's rules as pure functions of dates and numbers, so they can be tested alone.

The selector and the pages call these; nothing here touches the database.
"""

import datetime
import re
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REVIEW_INTERVAL_DAYS = 30
DEFAULT_PLAN_DEADLINE_WEEKS = 4
# Education on an introduction programme is to be full-time (Upper Secondary
# School Ordinance 6:7). The student finance authority counts full-time study
# on an introduction programme as at least 23 hours of scheduled teaching a
# week, which is the line used here.
FULL_TIME_WEEKLY_HOURS = 23


def review_due(
    *,
    plan_created_on: datetime.date | None,
    last_reviewed_on: datetime.date | None,
    on: datetime.date,
    interval_days: int = DEFAULT_REVIEW_INTERVAL_DAYS,
) -> bool:
    """A plan is due for review when neither a review nor (lacking one) its creation
    lies within the last ``interval_days`` days. No plan, nothing due.

    Exactly ``interval_days`` after the last review is still in time; the day after is due.
    """
    if plan_created_on is None:
        return False
    since = last_reviewed_on or plan_created_on
    return (on - since).days > interval_days


def plan_deadline(enrolment_start: datetime.date, weeks: int = DEFAULT_PLAN_DEADLINE_WEEKS):
    """The last day a plan may be set up for an enrolment starting on ``enrolment_start``."""
    return enrolment_start + datetime.timedelta(weeks=weeks)


def plan_late(
    *,
    has_plan: bool,
    enrolment_start: datetime.date | None,
    on: datetime.date,
    deadline_weeks: int = DEFAULT_PLAN_DEADLINE_WEEKS,
) -> bool:
    """No plan although the current enrolment started more than ``deadline_weeks`` ago."""
    if has_plan or enrolment_start is None:
        return False
    return on > plan_deadline(enrolment_start, deadline_weeks)


class ApprovalState(StrEnum):
    NOT_APPROVED = "not_approved"
    APPROVED = "approved"
    CHANGED_SINCE_APPROVAL = "changed_since_approval"


def approval_state(*, version: int, approved_version: int | None) -> ApprovalState:
    """Approval is of one version; any later save makes it 'changed since approval'."""
    if approved_version is None:
        return ApprovalState.NOT_APPROVED
    if approved_version == version:
        return ApprovalState.APPROVED
    return ApprovalState.CHANGED_SINCE_APPROVAL


def goal_overdue(*, target_date: datetime.date | None, met: bool, on: datetime.date) -> bool:
    """A goal not met whose target date has passed (the target day itself is still in time)."""
    return not met and target_date is not None and target_date < on


# --- Terms -----------------------------------------------------------------------
# A planned course's term is written "HT 2026" (autumn, hösttermin) or "VT 2027"
# (spring, vårtermin). ``term_end`` is the one parser; the progress follow-up uses it
# for a course's planned end.

TERM_PATTERN = r"(HT|VT) ([0-9]{4})"
TERM_ENDS = {"HT": (12, 20), "VT": (6, 10)}
TERM_STARTS = {"HT": (8, 1), "VT": (1, 1)}
TERMS_AHEAD = 6


def term_end(term: str) -> datetime.date | None:
    """The last day of a term written "HT 2026" or "VT 2027"; None for anything else."""
    match = re.fullmatch(TERM_PATTERN, term or "")
    if not match:
        return None
    month, day = TERM_ENDS[match.group(1)]
    return datetime.date(int(match.group(2)), month, day)


def validate_term(value: str) -> None:
    """Blank, or a term as "HT 2026" / "VT 2027"."""
    if value and term_end(value) is None:
        raise ValidationError(
            _("Write the term as HT or VT and a year, e.g. HT 2026 (not “%(value)s”)."),
            code="term",
            params={"value": value},
        )


def term_on(day: datetime.date) -> str:
    """The term ``day`` falls in: VT from January to July, HT from August."""
    return f"{'HT' if day.month >= TERM_STARTS['HT'][0] else 'VT'} {day.year}"


def terms_from(day: datetime.date, ahead: int = TERMS_AHEAD) -> list[str]:
    """The term of ``day`` and the ``ahead`` terms after it, in order."""
    kind, year = term_on(day).split()
    out = []
    for _n in range(ahead + 1):
        out.append(f"{kind} {year}")
        kind, year = ("VT", str(int(year) + 1)) if kind == "HT" else ("HT", year)
    return out


def normalised_term(value: str) -> str:
    """An older free-text term as "HT 2026" when it can be read as one, else ""."""
    match = re.fullmatch(r"\s*(HT|VT)\s*-?\s*(\d{4})\s*", (value or "").upper())
    return f"{match.group(1)} {match.group(2)}" if match else ""


# --- Courses or subjects at levels (gy25) ----------------------------------------------
# Subject plans graded at levels (ämnesbetyg) apply to all upper-secondary education begun
# after 30 June 2025; students who began earlier keep courses and course grades (they may
# finish courses begun until 30 June 2030). Compulsory-school subjects and local courses
# are open to both.

GY25_START = datetime.date(2025, 7, 1)


def grading_for(started: datetime.date | None, *, on: datetime.date) -> str:
    """ "levels" for a student who started upper-secondary education on or after 1 July 2025,
    else "courses". No known start: the student starts now (``on``)."""
    return "levels" if (started or on) >= GY25_START else "courses"


# --- Full-time study ---------------------------------------------------------------


class StudyLoad(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    NOT_PLANNED = "not_planned"


def weekly_hours(courses) -> float | None:
    """Planned hours a week over the courses being read now (status "ongoing").

    ``courses``: pairs of (status, weekly hours or None). ``None`` when no
    ongoing course has its hours planned.
    """
    hours = [float(h) for status, h in courses if status == "ongoing" and h is not None]
    return sum(hours) if hours else None


def study_load(hours: float | None, full_time: float = FULL_TIME_WEEKLY_HOURS) -> StudyLoad:
    """Full-time from ``full_time`` planned hours a week; exactly the line is full-time."""
    if hours is None:
        return StudyLoad.NOT_PLANNED
    return StudyLoad.FULL_TIME if hours >= full_time else StudyLoad.PART_TIME


# --- The plan for education in force ------------------------------------------------------


def in_force(versions, on: datetime.date):
    """The version of a plan for education in force on ``on``.

    ``versions``: objects with ``version`` and ``valid_from``. A version is in
    force from its ``valid_from`` until a version with a later ``valid_from``
    starts; a version published ahead (valid from a later day) is not yet in
    force; of two versions valid from the same day the higher number wins.
    ``None`` when none had started on ``on``.
    """
    started = [v for v in versions if v.valid_from <= on]
    if not started:
        return None
    return max(started, key=lambda v: (v.valid_from, v.version))
