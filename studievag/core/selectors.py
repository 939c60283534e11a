"""The worklists of the start page: what needs doing for each of a mentor's mentees, and
for each student at a principal's school units.

A row joins the plans area's status of the student's plan (no plan, late, plan talk
due, approval) with the progress area's early signals, and says what to do next. Both
come from their own areas' set-based selectors, so the page costs the same number of
queries for 3 students as for 300.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from studievag.access.models import Role
from studievag.access.policy import (
    LABEL_FIELDS,
    grants_for,
    label_students,
    student_scope,
    students_through,
    visible_students,
)
from studievag.enrolments.models import Enrolment
from studievag.kept_sql import kept_objects
from studievag.organisations.models import SchoolUnit
from studievag.people.models import Student
from studievag.plans.permissions import PLAN
from studievag.plans.rules import ApprovalState
from studievag.progress import rules as progress_rules
from studievag.progress.selectors import student_signals


class WorkStatus(StrEnum):
    """A plan's status on the worklist, most urgent first (the order of :data:`URGENCY`)."""

    LATE = "late"  # no plan although the deadline after the start has passed
    REVIEW_DUE = "review_due"  # the monthly plan talk is overdue
    CHANGED = "changed"  # changed since the principal approved it
    NOT_APPROVED = "not_approved"  # never approved
    NO_PLAN = "no_plan"  # no plan yet, still within the deadline
    APPROVED = "approved"  # approved, talks held in time


URGENCY = list(WorkStatus)

STATUS_LABELS: dict[str, Promise] = {
    WorkStatus.LATE: _("Plan late"),
    WorkStatus.REVIEW_DUE: _("Plan talk due"),
    WorkStatus.CHANGED: _("Changed since approval"),
    WorkStatus.NOT_APPROVED: _("Not yet approved"),
    WorkStatus.NO_PLAN: _("No plan yet"),
    WorkStatus.APPROVED: _("Approved"),
}

# The badge's tone; the text always says the status, the colour only adds to it.
STATUS_TONES: dict[str, str] = {
    WorkStatus.LATE: "bad",
    WorkStatus.REVIEW_DUE: "bad",
    WorkStatus.CHANGED: "warn",
    WorkStatus.NOT_APPROVED: "warn",
    WorkStatus.NO_PLAN: "warn",
    WorkStatus.APPROVED: "ok",
}

SIGNALS = "signals"  # the filter "has early signals"
SORTS = ("urgency", "name", "talk")

# Signals about the plan itself are the status column; the worklist's signals are the rest.
_PLAN_SIGNAL_KINDS = {"plan_review"}


def work_statuses(status: Any) -> list[WorkStatus]:
    """Every worklist status that applies to a plans-area ``PlanStatus``, most urgent first."""
    if status is None or not status.has_plan:
        return [WorkStatus.LATE if status is not None and status.plan_late else WorkStatus.NO_PLAN]
    found = []
    if status.review_due:
        found.append(WorkStatus.REVIEW_DUE)
    if status.approval == ApprovalState.CHANGED_SINCE_APPROVAL:
        found.append(WorkStatus.CHANGED)
    elif status.approval == ApprovalState.NOT_APPROVED:
        found.append(WorkStatus.NOT_APPROVED)
    if not found:
        found.append(WorkStatus.APPROVED)
    return found


@dataclass
class Badge:
    key: str
    label: Promise
    tone: str


@dataclass
class WorklistRow:
    student: Any  # a Student labelled for the user (display_name, name_hidden)
    statuses: list[WorkStatus]
    signals: list[progress_rules.Signal]
    last_talk: datetime.date | None
    next_talk: datetime.date | None
    unit_id: int | None = None
    unit_name: str = ""
    same_name: bool = False  # another row has the same name: show the date of birth
    action: tuple[Promise, str] | None = None
    on: datetime.date | None = None
    url: str = ""  # the student's record
    # The plan-talk column's texts, set by the view for the rows it shows.
    next_talk_text: str = ""
    last_talk_text: str = ""

    @property
    def badges(self) -> list[Badge]:
        return [Badge(s.value, STATUS_LABELS[s], STATUS_TONES[s]) for s in self.statuses]

    @property
    def talk_overdue(self) -> bool:
        return self.next_talk is not None and self.on is not None and self.next_talk < self.on

    def urgency(self) -> tuple:
        """Most urgent first: the worst status, then the most signals, then the earliest talk."""
        far = datetime.date.max
        return (URGENCY.index(self.statuses[0]), -len(self.signals), self.next_talk or far, self.student.display_name)


@dataclass
class UnitWorklist:
    unit: SchoolUnit
    rows: list[WorklistRow] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[Badge, int]]:
        """Students per status (each counted under its most urgent one), every status listed."""
        counter = Counter(row.statuses[0] for row in self.rows)
        return [(Badge(s.value, STATUS_LABELS[s], STATUS_TONES[s]), counter[s]) for s in URGENCY]

    @property
    def with_signals(self) -> int:
        return sum(1 for row in self.rows if row.signals)


@dataclass
class Worklists:
    mentees: list[WorklistRow] | None = None
    units: list[UnitWorklist] | None = None

    @property
    def students(self) -> list[Student]:
        """Every student the worklists show (for the read log)."""
        rows = list(self.mentees or [])
        for unit in self.units or []:
            rows.extend(unit.rows)
        return list({row.student.pk: row.student for row in rows}.values())


# Stands for a student's id in an address reversed once for every row of a worklist.
_ROW_ID = 987654321987


class _Addresses:
    """The worklist's links, each reversed once and completed with a row's student id."""

    def __init__(self):
        self._parts = {
            name: reverse(name, args=[_ROW_ID]).partition(str(_ROW_ID))
            for name in (
                "people:student_detail",
                "plans:plan_edit",
                "plans:review_create",
                "plans:plan_detail",
                "progress:student",
            )
        }

    def __call__(self, name: str, pk: int) -> str:
        before, _sep, after = self._parts[name]
        return f"{before}{pk}{after}"


def _action(row: WorklistRow, role: str, address: _Addresses) -> tuple[Promise, str]:
    """The next thing to do for this student, as (link text, address)."""
    pk = row.student.pk
    first = row.statuses[0]
    if first in (WorkStatus.LATE, WorkStatus.NO_PLAN):
        return _("Draw up the plan"), address("plans:plan_edit", pk)
    if first == WorkStatus.REVIEW_DUE:
        return _("Record the plan talk"), address("plans:review_create", pk)
    if first in (WorkStatus.CHANGED, WorkStatus.NOT_APPROVED) and role == Role.PRINCIPAL:
        return _("Approve the plan"), address("plans:plan_detail", pk) + "#approval"
    if row.signals:
        return _("See the progression"), address("progress:student", pk)
    return _("Open the plan"), address("plans:plan_detail", pk)


def _principal_students(user, unit_ids: list[int], on: datetime.date) -> list[Student]:
    """Current students at the principal's units, each with the unit it is enrolled at, by
    name; compiled once per shape of the user's grants (``kept_sql``)."""

    def build(unit_ids: list[int], on: datetime.date, **scope_args) -> QuerySet[Student]:
        at_units = Enrolment.objects.active_on(on).filter(school_unit_id__in=unit_ids)
        visible = scope.students(**scope_args) if scope else visible_students(user, PLAN)
        return (
            visible.only(*LABEL_FIELDS)
            .annotate(
                worklist_unit=Subquery(
                    at_units.filter(student=OuterRef("pk")).order_by("-start_date").values("school_unit")[:1]
                )
            )
            .filter(pk__in=at_units.values("student_id"))
            .order_by("last_name", "first_name")
        )

    scope = student_scope(user, PLAN)
    if scope is None:
        return list(build(unit_ids, on))
    return kept_objects(Student, f"core.principal_students:{scope.key}", build, unit_ids=unit_ids, on=on, **scope.args)


def _mentees(user) -> list[Student]:
    """The students the user mentors, by name (compiled once per shape, ``kept_sql``)."""

    def build(**scope_args) -> QuerySet[Student]:
        students = scope.students(**scope_args) if scope else students_through(user, Role.MENTOR)
        return students.only(*LABEL_FIELDS).order_by("last_name", "first_name")

    scope = student_scope(user, role=Role.MENTOR)
    if scope is None:
        return list(build())
    return kept_objects(Student, f"core.mentees:{scope.key}", build, **scope.args)


def _mark_same_names(rows: Iterable[WorklistRow]) -> None:
    rows = list(rows)
    names = Counter(row.student.display_name.casefold() for row in rows)
    for row in rows:
        row.same_name = not row.student.name_hidden and names[row.student.display_name.casefold()] > 1


def worklists(user, *, on: datetime.date) -> Worklists:
    """The mentor's worklist (mentees) and the principal's (per own school unit).

    Queries: the mentees (one), the principal's students (one),
    the units (one), protected names when there are any, and the progress area's early
    signals with the plan statuses (:func:`student_signals`: plain rows, a constant
    number of queries), once for all students together.
    """
    grants = grants_for(user)
    result = Worklists()
    mentees: list[Student] = []
    unit_students: list[Student] = []
    units: list[SchoolUnit] = []
    if Role.MENTOR in grants.roles:
        mentees = _mentees(user)
    unit_ids = sorted({a.school_unit_id for a in grants.assignments if a.role == Role.PRINCIPAL and a.school_unit_id})
    if unit_ids:
        units = list(SchoolUnit.objects.filter(pk__in=unit_ids).order_by("name"))
        unit_students = _principal_students(user, unit_ids, on)
    everyone = {s.pk: s for s in unit_students} | {s.pk: s for s in mentees}
    label_students(user, everyone.values())
    follow = student_signals(everyone, on=on)

    address = _Addresses()

    def row_for(student: Any) -> WorklistRow:
        f = follow[student.pk]
        status: Any = f.plan_status  # the plans area's PlanStatus
        return WorklistRow(
            student=everyone[student.pk],
            statuses=work_statuses(status),
            signals=[s for s in f.signals if s.kind not in _PLAN_SIGNAL_KINDS],
            last_talk=status.last_reviewed_on if status else None,
            next_talk=status.next_review_on if status else None,
            on=on,
            url=address("people:student_detail", student.pk),
        )

    if Role.MENTOR in grants.roles:
        result.mentees = [row_for(s) for s in mentees]
        for row in result.mentees:
            row.action = _action(row, Role.MENTOR, address)
        _mark_same_names(result.mentees)
    if unit_ids:
        names = {u.pk: u.name for u in units}
        by_unit: dict[int, UnitWorklist] = {u.pk: UnitWorklist(u) for u in units}
        for student in unit_students:
            row = row_for(student)
            row.unit_id = student.worklist_unit  # type: ignore[attr-defined]
            row.unit_name = names.get(row.unit_id or 0, "")
            row.action = _action(row, Role.PRINCIPAL, address)
            by_unit[row.unit_id or unit_ids[0]].rows.append(row)
        for unit in by_unit.values():
            _mark_same_names(unit.rows)
        result.units = list(by_unit.values())
    return result


def filtered(rows: list[WorklistRow], *, status: str = "", sort: str = "urgency") -> list[WorklistRow]:
    """The rows with ``status`` among their statuses (or with signals), in the asked order."""
    if status == SIGNALS:
        rows = [r for r in rows if r.signals]
    elif status in STATUS_LABELS:
        rows = [r for r in rows if status in r.statuses]
    if sort == "name":
        return sorted(rows, key=lambda r: (r.student.display_name.casefold(), r.student.pk))
    if sort == "talk":
        far = datetime.date.max
        return sorted(rows, key=lambda r: (r.next_talk or far, r.student.display_name.casefold()))
    return sorted(rows, key=lambda r: r.urgency())
