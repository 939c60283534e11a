"""Reads, always through the access engine.

* :func:`follow_up_tasks` – the counsellor's list: follow-ups of students the
  user reaches through a role that does follow-ups, grouped by state.
* :func:`kaa_referrals` – the hand-overs to the municipalities whose
  activity-responsibility contact the user is (scoped by organiser, never by
  the student's record).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from studievag.access.policy import label_students, organiser_ids_for_action, student_scope, students_for_action
from studievag.kept_sql import kept_rows
from studievag.people.models import Student

from . import rules
from .models import ContactAttempt, Exit, FollowUp, KaaReferral

UPCOMING_DAYS = 30  # the list shows what opens within this many days
RECENT_DAYS = 60  # and what was done within this many


@dataclass
class TaskList:
    due: list[FollowUp] = field(default_factory=list)  # open or due now
    upcoming: list[FollowUp] = field(default_factory=list)  # opens within UPCOMING_DAYS
    missed: list[FollowUp] = field(default_factory=list)  # window closed without an outcome
    done: list[FollowUp] = field(default_factory=list)  # recently done (last 60 days)

    @property
    def students(self) -> list[Student]:
        seen: dict[int, Student] = {}
        for task in self.due + self.upcoming + self.missed + self.done:
            seen.setdefault(task.exit.student_id, task.exit.student)
        return list(seen.values())


def follow_ups_for(user) -> QuerySet[FollowUp]:
    """Follow-ups of the students this user does follow-ups for (counsellor, principal)."""
    students = students_for_action(user, "outcomes.follow_up")
    return (
        FollowUp.objects.filter(exit__student__in=students)
        .select_related("exit__student", "exit__enrolment__school_unit", "exit__enrolment__programme")
        .prefetch_related(Prefetch("attempts", queryset=ContactAttempt.objects.order_by("attempted_on", "pk")))
    )


def follow_up_tasks(user, today: datetime.date) -> TaskList:
    """The task list, computed from the due dates: no scheduler writes anything.

    Queries: the user's grants (cached per request), the follow-ups with their
    exits, students and units (one), their attempts (one), protected-identity
    labels (at most one).
    """
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS + rules.EARLY_DAYS)
    recent = today - datetime.timedelta(days=RECENT_DAYS)
    tasks = list(
        follow_ups_for(user)
        .filter(exit__consent_to_contact=True, due_date__lte=horizon)
        .exclude(outcome_on__lt=recent)
        .order_by("due_date", "pk")
    )
    label_students(user, {t.exit.student_id: t.exit.student for t in tasks}.values())
    result = TaskList()
    for task in tasks:
        task.current_state = task.state(today)
        task.current_state_label = str(rules.TASK_STATE_LABELS[task.current_state])
        match task.current_state:
            case rules.TaskState.DONE:
                result.done.append(task)
            case rules.TaskState.MISSED:
                result.missed.append(task)
            case rules.TaskState.UPCOMING:
                result.upcoming.append(task)
            case _:
                result.due.append(task)
    return result


def follow_ups_due_count(user, today: datetime.date) -> int:
    """How many follow-ups are to be done now: ``len(follow_up_tasks(user, today).due)``,
    counted by the database (the start page shows only the number). Open or due means no
    outcome yet, consent given, and ``today`` inside the window around the due date."""
    scope = student_scope(user, action="outcomes.follow_up")
    if scope is None:
        return 0  # staff without a role that does follow-ups (families never do them)

    def build(first: datetime.date, last: datetime.date, recent: datetime.date, **scope_args):
        return (
            FollowUp.objects.filter(
                exit__student__in=scope.students(**scope_args),
                exit__consent_to_contact=True,
                outcome="",
                due_date__gte=first,
                due_date__lte=last,
            )
            .exclude(outcome_on__lt=recent)
            .values_list("pk")
        )

    # Compiled once per shape of the user's grants (kept_sql), as the rest of the start page.
    rows = kept_rows(
        FollowUp,
        f"outcomes.due_count:{scope.key}",
        build,
        first=today - datetime.timedelta(days=rules.WINDOW_DAYS),
        last=today + datetime.timedelta(days=rules.EARLY_DAYS),
        recent=today - datetime.timedelta(days=RECENT_DAYS),
        **scope.args,
    )
    return len(rows)


def exit_of(student: Student) -> Exit | None:
    """The student's latest recorded exit, with its follow-ups, attempts and hand-over."""
    return (
        Exit.objects.filter(student=student)
        .select_related("enrolment__school_unit", "enrolment__programme", "receiving_unit", "home_municipality")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("months").prefetch_related("attempts"))
        )
        .order_by("-exit_date", "-pk")
        .first()
    )


def kaa_municipalities(user) -> set[int]:
    return organiser_ids_for_action(user, "outcomes.kaa_inbox")


def kaa_referrals(user) -> QuerySet[KaaReferral]:
    """Hand-overs to the municipalities whose activity-responsibility contact the user is."""
    return (
        KaaReferral.objects.filter(municipality_id__in=kaa_municipalities(user))
        .select_related(
            "municipality",
            "exit__student",
            "exit__enrolment__school_unit__organiser",
            "exit__enrolment__programme",
        )
        .order_by("status", "-sent_on", "-pk")
    )
