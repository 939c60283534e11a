"""Facts about leavers for group-level figures, as filters over enrolment rows.

The quality area counts over populations of enrolments (one row per
student); these functions give it, per row, what this area knows: the
destination found by each follow-up, whether the follow-up is over, the
hand-over to the activity responsibility and the outcome against the plan.
Each is an ``EXISTS`` over a table with one row per leaver (or two per
leaver, the follow-ups), so a report adds them to its one ``GROUP BY``.

A follow-up is *over* when its outcome is recorded or its window has closed.
Every leaver whose follow-up is over falls in exactly one destination
category: studying, working, both, neither, not reached, no consent, or
not followed up (window closed, consent given, nothing recorded) — so the
categories add up to the base, and "not reached" is never dropped.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from . import rules
from .models import Exit, FollowUp, KaaReferral, Occupation

# Destination categories at a follow-up point, in the order reports show them.
NO_CONSENT = "no_consent"
NOT_FOLLOWED_UP = "not_followed_up"
DESTINATIONS = [o.value for o in Occupation] + [NO_CONSENT, NOT_FOLLOWED_UP]


def _follow_ups(months: int):
    return FollowUp.objects.filter(exit__enrolment_id=OuterRef("pk"), months=months)


def _closed_by(today: datetime.date) -> Q:
    # closes_on = due + WINDOW_DAYS; closed when today is after it.
    return Q(due_date__lt=today - datetime.timedelta(days=rules.WINDOW_DAYS))


def _known_by(today: datetime.date) -> Q:
    """An outcome as of ``today`` (a report for an earlier day ignores later interviews)."""
    return ~Q(outcome="") & Q(outcome_on__lte=today)


def has_exit() -> Q:
    """The enrolment ended with an exit recorded in Studieväg (the follow-ups exist only then)."""
    return Q(Exists(Exit.objects.filter(enrolment_id=OuterRef("pk"))))


def follow_up_over(months: int, today: datetime.date) -> Q:
    """The row's follow-up at ``months`` is over: an outcome recorded, or its window closed."""
    return Q(Exists(_follow_ups(months).filter(_known_by(today) | _closed_by(today))))


def destination(months: int, category: str, today: datetime.date) -> Q:
    """The row's follow-up at ``months`` is over and ended in ``category``."""
    if category in (NO_CONSENT, NOT_FOLLOWED_UP):
        found = _follow_ups(months).filter(
            _closed_by(today), ~_known_by(today), exit__consent_to_contact=category == NOT_FOLLOWED_UP
        )
    else:
        found = _follow_ups(months).filter(_known_by(today), outcome=category)
    return Q(Exists(found))


def handed_to_kaa() -> Q:
    return Q(Exists(KaaReferral.objects.filter(exit__enrolment_id=OuterRef("pk"))))


def kaa_in_contact() -> Q:
    return Q(Exists(KaaReferral.objects.filter(exit__enrolment_id=OuterRef("pk"), status="in_contact")))


def plan_goal_known() -> Q:
    """A recorded exit whose plan had a long-term goal."""
    return Q(Exists(Exit.objects.filter(enrolment_id=OuterRef("pk")).exclude(plan_result=rules.PlanResult.NO_GOAL)))


def plan_goal_reached() -> Q:
    return Q(Exists(Exit.objects.filter(enrolment_id=OuterRef("pk"), plan_result=rules.PlanResult.REACHED)))
