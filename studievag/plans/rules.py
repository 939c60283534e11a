"""The plan's rules as pure functions of dates and numbers, so they can be tested alone.

The selector and the pages call these; nothing here touches the database.
"""

import datetime
from enum import StrEnum

DEFAULT_REVIEW_INTERVAL_DAYS = 30
DEFAULT_PLAN_DEADLINE_WEEKS = 4


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
