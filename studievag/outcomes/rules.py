"""The rules of the follow-up after the programme, as pure functions of dates and values.

Nothing here touches the database, so each rule is tested on its own
(``tests/test_rules.py``) and the pages, the services and the reports all
call the same function.

* Follow-up interviews fall due 6 and 12 months after the exit. Organisers
  follow up students who have gone on, with interviews about their
  occupation (SKR's IMprove project); the two points are Studieväg's choice.
  A task can be taken from ``EARLY_DAYS`` before its due date and closes
  ``WINDOW_DAYS`` after it; an outcome recorded outside that window would
  describe another point in time, so it is refused.
* An outcome is *stale* once it is older than the interval between two
  follow-ups: it no longer says what the young person is doing.
* The municipal activity responsibility (kommunernas aktivitetsansvar,
  Education Act 29:9): the home municipality must keep itself informed about
  young people under 20 who are not in upper-secondary education, and the
  school must tell it without delay when such a student leaves (15:15). A
  student on an introduction programme is outside it while enrolled, so the
  exit is exactly the moment of the hand-over.
"""

from __future__ import annotations

import calendar
import datetime
import re
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

FOLLOW_UP_MONTHS = (6, 12)
FOLLOW_UP_INTERVAL_MONTHS = 6  # between two follow-ups: an outcome older than this is stale
EARLY_DAYS = 14  # a task may be taken this many days before it is due
WINDOW_DAYS = 30  # and closes this many days after
KAA_AGE_LIMIT = 20  # the activity responsibility covers young people who have not turned 20

# Skolverket's codes for the national programmes (gy11, with Försäljnings- och
# serviceprogrammet replacing Handels- och administrationsprogrammet in 2023).
NATIONAL_PROGRAMMES: dict[str, str] = {
    "BA": "Bygg- och anläggningsprogrammet",
    "BF": "Barn- och fritidsprogrammet",
    "EE": "El- och energiprogrammet",
    "EK": "Ekonomiprogrammet",
    "ES": "Estetiska programmet",
    "FS": "Försäljnings- och serviceprogrammet",
    "FT": "Fordons- och transportprogrammet",
    "HA": "Handels- och administrationsprogrammet",
    "HT": "Hotell- och turismprogrammet",
    "HU": "Humanistiska programmet",
    "HV": "Hantverksprogrammet",
    "IN": "Industritekniska programmet",
    "NA": "Naturvetenskapsprogrammet",
    "NB": "Naturbruksprogrammet",
    "RL": "Restaurang- och livsmedelsprogrammet",
    "SA": "Samhällsvetenskapsprogrammet",
    "TE": "Teknikprogrammet",
    "VF": "VVS- och fastighetsprogrammet",
    "VO": "Vård- och omsorgsprogrammet",
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; the month's last day where it is shorter (31 Aug + 6 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(exit_date: datetime.date, months: int) -> datetime.date:
    return add_months(exit_date, months)


def opens_on(due: datetime.date) -> datetime.date:
    return due - datetime.timedelta(days=EARLY_DAYS)


def closes_on(due: datetime.date) -> datetime.date:
    return due + datetime.timedelta(days=WINDOW_DAYS)


def last_follow_up_closes(exit_date: datetime.date) -> datetime.date:
    """The last day any follow-up of an exit can be done: how long staff need to see the student."""
    return closes_on(due_date(exit_date, max(FOLLOW_UP_MONTHS)))


class TaskState(StrEnum):
    UPCOMING = "upcoming"  # not yet open
    OPEN = "open"  # may be done now, not yet due
    DUE = "due"  # due (or past due, within the window)
    MISSED = "missed"  # the window closed without an outcome
    DONE = "done"  # an outcome is recorded
    CANCELLED = "cancelled"  # no consent to be contacted


TASK_STATE_LABELS = {
    TaskState.UPCOMING: _("Upcoming"),
    TaskState.OPEN: _("Can be done"),
    TaskState.DUE: _("Due"),
    TaskState.MISSED: _("Window closed"),
    TaskState.DONE: _("Done"),
    TaskState.CANCELLED: _("No consent"),
}


def task_state(*, due: datetime.date, today: datetime.date, has_outcome: bool, consent: bool) -> TaskState:
    if has_outcome:
        return TaskState.DONE
    if not consent:
        return TaskState.CANCELLED
    if today < opens_on(due):
        return TaskState.UPCOMING
    if today < due:
        return TaskState.OPEN
    if today <= closes_on(due):
        return TaskState.DUE
    return TaskState.MISSED


def outcome_date_error(*, due: datetime.date, on: datetime.date, today: datetime.date) -> str | None:
    """Why an outcome dated ``on`` cannot be the result of the follow-up due on ``due`` (None: it can)."""
    if on > today:
        return str(_("The date is in the future."))
    if on < opens_on(due):
        return str(
            _("This follow-up can be recorded from %(day)s: an earlier talk belongs to an earlier point.")
            % {"day": opens_on(due).isoformat()}
        )
    if on > closes_on(due):
        return str(
            _("This follow-up closed on %(day)s: a later talk says nothing about this point.")
            % {"day": closes_on(due).isoformat()}
        )
    return None


def is_stale(recorded_on: datetime.date, today: datetime.date) -> bool:
    """An outcome older than the interval between two follow-ups no longer says what the person does."""
    return today > add_months(recorded_on, FOLLOW_UP_INTERVAL_MONTHS)


# --- The activity responsibility ---------------------------------------------------------


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def has_destination(reason: str, destination: str) -> bool:
    """Whether the leaver goes somewhere: a named place, or (moving abroad) out of the municipality's care."""
    if reason == "unknown":
        return False
    if reason == "moved_abroad":
        return True
    return bool(destination.strip())


def must_hand_to_kaa(*, date_of_birth: datetime.date, exit_date: datetime.date, reason: str, destination: str) -> bool:
    """A leaver under 20 on the exit day without a destination is handed to the home municipality.

    Someone who moves abroad is no longer the municipality's to follow.
    """
    if age_on(date_of_birth, exit_date) >= KAA_AGE_LIMIT:
        return False
    return not has_destination(reason, destination)


def may_hand_to_kaa(*, date_of_birth: datetime.date, exit_date: datetime.date, reason: str) -> bool:
    """Every leaver under 20 who stays in Sweden is within the responsibility; a hand-over is allowed."""
    return age_on(date_of_birth, exit_date) < KAA_AGE_LIMIT and reason != "moved_abroad"


# --- Outcome against the plan -------------------------------------------------------------


class PlanResult(StrEnum):
    REACHED = "reached"
    OTHER_PROGRAMME = "other_programme"  # a national programme, not the one the plan named
    NOT_REACHED = "not_reached"
    NO_GOAL = "no_goal"


PLAN_RESULT_LABELS = {
    PlanResult.REACHED: _("Reached the goal in the plan"),
    PlanResult.OTHER_PROGRAMME: _("Went on to another national programme than the plan named"),
    PlanResult.NOT_REACHED: _("Did not reach the goal in the plan"),
    PlanResult.NO_GOAL: _("No long-term goal in the plan"),
}

STUDYING = {"studying", "both"}
WORKING = {"working", "both"}


def _named_programme(title: str) -> str | None:
    """The code of the national programme a goal's title names, if it names one."""
    low = title.lower()
    for code, name in NATIONAL_PROGRAMMES.items():
        if name.lower() in low or re.search(rf"\b{code.lower()}\b", low):
            return code
    return None


def plan_result(
    *,
    goal_kind: str | None,
    goal_title: str = "",
    goal_met: bool = False,
    reason: str,
    programme_code: str = "",
    later_outcomes: tuple[str, ...] = (),
) -> PlanResult:
    """Did the leaver reach the long-term goal of the plan?

    ``goal_kind``: the plan's long-term goal (None when the plan has none);
    ``goal_met``: it was marked met in the plan at the exit; ``later_outcomes``:
    what the follow-up interviews found (studying, working, both, neither).
    """
    if goal_kind is None:
        return PlanResult.NO_GOAL
    if goal_kind == "national_programme":
        if reason == "national_programme":
            named = _named_programme(goal_title)
            if named and programme_code and named != programme_code:
                return PlanResult.OTHER_PROGRAMME
            return PlanResult.REACHED
        return PlanResult.REACHED if goal_met else PlanResult.NOT_REACHED
    if goal_kind == "job":
        found = reason in ("work", "apprenticeship") or any(o in WORKING for o in later_outcomes)
        return PlanResult.REACHED if found or goal_met else PlanResult.NOT_REACHED
    if goal_kind == "adult_education":
        found = reason == "adult_education" or any(o in STUDYING for o in later_outcomes)
        return PlanResult.REACHED if found or goal_met else PlanResult.NOT_REACHED
    return PlanResult.REACHED if goal_met else PlanResult.NOT_REACHED
