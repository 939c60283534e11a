"""Reads for progression, attendance and the weekly team overview.

Every function here runs a fixed number of queries whatever the number of
students: data is fetched per kind for the whole set of students and put
together in Python (see :func:`follow_up_for`). The team overview is
:func:`team_overview`, timed by the benchmark.
"""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.text import Truncator

from studievag.access.policy import (
    LABEL_FIELDS,
    assignments_for_action,
    label_students,
    student_scope,
    visible_students,
)
from studievag.catalogue.models import Course
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.intake.models import StartingLevel
from studievag.kept_sql import kept_objects, kept_rows
from studievag.organisations.models import SchoolUnit
from studievag.people.models import Student
from studievag.plans.models import PlanCourse
from studievag.plans.selectors import plan_status_for
from studievag.scales.models import ProgressionScale, ProgressionStep
from studievag.scales.selectors import GoalBook, ScaleBook

from . import rules
from .models import (
    AttendanceWeek,
    FollowUpSettings,
    GradeRecord,
    ProgressRecord,
    TeamDecision,
)
from .permissions import PROGRESS
from .scope import teams_for

# Weeks of attendance the overview's sparkline shows.
TREND_WEEKS = 8


# --- Scales and settings --------------------------------------------------------


def settings_for(organiser_ids: Iterable[int]) -> dict[int, FollowUpSettings]:
    """Each organiser's settings; an unsaved row with the defaults where none is kept."""
    ids = set(organiser_ids)
    kept = kept_objects(
        FollowUpSettings,
        "progress.settings_for",
        lambda ids: FollowUpSettings.objects.filter(organiser_id__in=ids),
        ids=sorted(ids),
    )
    found = {s.organiser_id: s for s in kept}
    return {i: found.get(i) or FollowUpSettings(organiser_id=i) for i in ids}


def goal_position(scale: ProgressionScale) -> int:
    steps = list(scale.steps.all())
    goal = next((s for s in steps if s.is_goal), None)
    return goal.position if goal else (steps[-1].position if steps else 1)


# --- One student's follow-up ----------------------------------------------------------


@dataclass
class CourseLine:
    """One student's follow-up in one course."""

    course: Course
    group: StudentGroup | None
    scale: ProgressionScale | None
    start_date: datetime.date
    start_step: ProgressionStep | None
    records: list[ProgressRecord]
    standing: rules.Standing
    grade: GradeRecord | None = None

    @property
    def latest(self) -> ProgressRecord | None:
        return self.records[-1] if self.records else None

    @property
    def current_step(self) -> ProgressionStep | None:
        return self.latest.step if self.latest else self.start_step


@dataclass
class FollowUp:
    """Everything the overview and the progression page show for one student."""

    student: Student
    organiser_id: int | None
    settings: FollowUpSettings
    courses: list[CourseLine] = field(default_factory=list)
    weeks: list[rules.WeekMinutes] = field(default_factory=list)
    mondays: list[datetime.date] = field(default_factory=list)
    series: list[float | None] = field(default_factory=list)
    plan_status: object = None
    signals: list[rules.Signal] = field(default_factory=list)
    latest_decision: TeamDecision | None = None

    @property
    def trend(self) -> str:
        return rules.trend(self.series)

    recent_attendance: float | None = None

    @property
    def worst_status(self) -> str:
        return _worst_status(c.standing.status for c in self.courses)

    @property
    def sparkline_points(self) -> str:
        """SVG polyline points for the weekly attendance (100 wide, 24 high)."""
        return sparkline_points(self.series)


def _plan_course_ends(student_ids: Collection[int]) -> dict[tuple[int, int], datetime.date]:
    """(student, course) → the end of the term the plan reads the course in (one query)."""
    ends = {}
    for student_id, course_id, term in (
        PlanCourse.objects.filter(plan__student_id__in=student_ids)
        .exclude(term="")
        .values_list("plan__student_id", "course_id", "term")
    ):
        if end := rules.term_end(term):
            ends[(student_id, course_id)] = end
    return ends


def _first_and_latest(records: QuerySet[ProgressRecord]) -> QuerySet[ProgressRecord]:
    """Only each (student, course)'s first and latest record: all the overview and the
    grid read (the start when there is no starting level, and the current step)."""
    # A line has at most one record a day (a unique constraint), so the day orders it, and
    # both windows share one sort (the unique index's order).
    line = [F("student_id"), F("course_id")]
    return records.annotate(
        nth=Window(RowNumber(), partition_by=line, order_by=F("recorded_on").asc()),
        of=Window(Count("pk"), partition_by=line),
    ).filter(Q(nth=1) | Q(nth=F("of")))


@dataclass
class _Fetched:
    """Everything :func:`follow_up_for` reads, fetched for all its students at once."""

    on: datetime.date
    memberships: dict[int, list[GroupMembership]]  # student → course-group memberships, in order
    enrolments: dict[int, list[Enrolment]]
    records: dict[tuple[int, int], list[ProgressRecord]]  # (student, course) → records by day
    starting: dict[tuple[int, int], object]  # (student, subject) → starting step
    grades: dict[tuple[int, int], GradeRecord]
    book: ScaleBook | None
    settings: dict[int, FollowUpSettings]
    mondays: list[datetime.date]
    weeks: dict[int, list[rules.WeekMinutes]]
    plan_statuses: dict
    plan_ends: dict[tuple[int, int], datetime.date]
    decisions: dict[int, TeamDecision]

    def current_enrolment(self, student_id: int) -> Enrolment | None:
        mine = self.enrolments.get(student_id, [])
        active = [e for e in mine if e.is_active_on(self.on)]
        return (active or mine or [None])[-1]


def follow_up_for(
    students: list[Student],
    *,
    on: datetime.date,
    history: bool = False,
    with_decisions: bool = False,
) -> dict[int, FollowUp]:
    """The follow-up of each student on ``on``, in a fixed number of queries.

    Queries: memberships and their course groups (2), enrolments (1), progression
    records (1), starting levels (1), attendance (1), grades (1), scales and
    their steps (2), settings (1), plan statuses (constant, plans area; they
    reuse the enrolments), latest decisions (1, when asked for). ``history`` fetches every
    record and attendance week (the progression page); without it only each
    course's first and latest record and the weeks the trend and the signals read.
    Two steps: :func:`_fetch` reads everything for all students, then
    :func:`_follow_up_of` applies the rules student by student.
    """
    if not students:
        return {}
    data = _fetch(students, on=on, history=history, with_decisions=with_decisions)
    return {student.pk: _follow_up_of(student, data) for student in students}


def _course_memberships(ids: list[int], on: datetime.date) -> list[GroupMembership]:
    """Current course-group memberships, ordered by subject and group, each with its group."""
    # The memberships, then their course groups by key: joined in one query, PostgreSQL
    # hashes every group in the country to find the students' few.
    current = list(
        GroupMembership.objects.filter(student_id__in=ids, start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
    )
    course_groups = {
        g.pk: (rank, g)
        for rank, g in enumerate(
            StudentGroup.objects.filter(
                pk__in={m.group_id for m in current},
                kind=StudentGroup.Kind.COURSE_GROUP,
                course__isnull=False,
            )
            .select_related("course__subject", "school_unit")
            .order_by("course__subject__name", "name")
        )
    }
    memberships = sorted(
        (m for m in current if m.group_id in course_groups), key=lambda m: course_groups[m.group_id][0]
    )
    for m in memberships:
        m.group = course_groups[m.group_id][1]
    return memberships


def _attendance_query(ids: list[int], on: datetime.date, since: datetime.date | None = None) -> QuerySet:
    attendance = AttendanceWeek.objects.filter(student_id__in=ids, week_start__lte=on)
    if since is not None:
        attendance = attendance.filter(week_start__gte=since)
    return (
        attendance.values("student_id", "week_start")
        .annotate(
            scheduled=Sum("scheduled_minutes"),
            valid=Sum("valid_absence_minutes"),
            invalid=Sum("invalid_absence_minutes"),
        )
        .order_by("student_id", "week_start")
        .values_list("student_id", "week_start", "scheduled", "valid", "invalid")
    )


def _attendance_weeks(
    ids: list[int],
    on: datetime.date,
    settings: dict[int, FollowUpSettings],
    *,
    history: bool,
    trend: bool = True,
) -> dict[int, list[rules.WeekMinutes]]:
    since = None
    if not history:
        # The weeks the sparkline (``trend``) and the longest attendance window in use read, no more.
        span = max(
            [TREND_WEEKS if trend else 1, FollowUpSettings().attendance_weeks]
            + [conf.attendance_weeks for conf in settings.values()]
        )
        since = rules.recent_weeks(on, span)[0]
    weeks = defaultdict(list)
    # One row per student and week, summed over courses in SQL: every reader sums a week's
    # courses (the rules' percentages are sums of minutes). Compiled once per shape.
    if since is None:
        rows = kept_rows(AttendanceWeek, "progress.attendance_weeks", _attendance_query, ids=ids, on=on)
    else:
        rows = kept_rows(
            AttendanceWeek, "progress.attendance_weeks_since", _attendance_query, ids=ids, on=on, since=since
        )
    for student_id, week_start, scheduled, valid, invalid in rows:
        weeks[student_id].append(rules.WeekMinutes(week_start, scheduled, valid, invalid))
    return weeks


def _fetch(students: list[Student], *, on: datetime.date, history: bool, with_decisions: bool) -> _Fetched:
    ids = [s.pk for s in students]
    memberships = _course_memberships(ids, on)
    enrolments = defaultdict(list)
    for e in Enrolment.objects.filter(student_id__in=ids).select_related("school_unit").order_by("start_date"):
        enrolments[e.student_id].append(e)
    records = defaultdict(list)
    course_ids = {m.group.course_id for m in memberships}
    record_rows = ProgressRecord.objects.filter(student_id__in=ids, course_id__in=course_ids, recorded_on__lte=on)
    if not history:
        record_rows = _first_and_latest(record_rows)
    for r in record_rows.select_related("step").order_by("student_id", "course_id", "recorded_on"):
        records[(r.student_id, r.course_id)].append(r)
    starting = {
        (level.mapping.student_id, level.subject_id): level.step
        for level in StartingLevel.objects.filter(mapping__student_id__in=ids).select_related("mapping", "step")
    }
    grades = {}
    for g in GradeRecord.objects.filter(student_id__in=ids, course_id__in=course_ids, awarded_on__lte=on).order_by(
        "awarded_on", "pk"
    ):
        grades[(g.student_id, g.course_id)] = g
    by_student = defaultdict(list)
    for m in memberships:
        by_student[m.student_id].append(m)
    data = _Fetched(
        on=on,
        memberships=by_student,
        enrolments=enrolments,
        records=records,
        starting=starting,
        grades=grades,
        book=None,
        settings={},
        mondays=rules.recent_weeks(on, TREND_WEEKS),
        weeks={},
        plan_statuses={},
        plan_ends={},
        decisions={},
    )
    organiser_ids = set()
    for student in students:
        e = data.current_enrolment(student.pk)
        organiser_ids.add(e.school_unit.organiser_id if e else None)
    organiser_ids |= {m.group.school_unit.organiser_id for m in memberships}
    data.book = ScaleBook(organiser_ids)
    data.settings = settings_for(i for i in organiser_ids if i is not None)
    data.weeks = _attendance_weeks(ids, on, data.settings, history=history)
    data.plan_statuses = plan_status_for(ids, on=on, enrolments=[e for mine in enrolments.values() for e in mine])
    data.plan_ends = _plan_course_ends(ids)
    if with_decisions:
        for d in TeamDecision.objects.filter(student_id__in=ids).order_by("decided_on", "pk"):
            data.decisions[d.student_id] = d
    return data


def _follow_up_of(student: Student, data: _Fetched) -> FollowUp:
    """One student's follow-up from the fetched rows: the rules, no queries."""
    on = data.on
    enrolment = data.current_enrolment(student.pk)
    organiser_id = enrolment.school_unit.organiser_id if enrolment else None
    conf = data.settings.get(organiser_id) or FollowUpSettings()
    follow = FollowUp(
        student=student,
        organiser_id=organiser_id,
        settings=conf,
        weeks=data.weeks.get(student.pk, []),
        mondays=data.mondays,
        plan_status=data.plan_statuses.get(student.pk),
        latest_decision=data.decisions.get(student.pk),
    )
    follow.series = rules.weekly_series(follow.weeks, data.mondays)
    window = set(rules.recent_weeks(on, conf.attendance_weeks))
    follow.recent_attendance = rules.attendance_percent([w for w in follow.weeks if w.week_start in window])
    for m in data.memberships.get(student.pk, []):
        follow.courses.append(_course_line(student, m, enrolment, conf, data))
    follow.signals = signals_for(follow, on=on)
    return follow


def _course_line(student: Student, m: GroupMembership, enrolment, conf: FollowUpSettings, data: _Fetched) -> CourseLine:
    course = m.group.course
    scale = data.book.for_subject(m.group.school_unit.organiser_id, course.subject.code)
    course_records = data.records.get((student.pk, course.pk), [])
    start_step = data.starting.get((student.pk, course.subject_id))
    start_date = m.start_date
    if start_step is None and course_records:
        # No mapping: the line starts at the first record, on its day.
        start_step = course_records[0].step
        start_date = course_records[0].recorded_on
    planned_end = rules.planned_end_for(
        start_date=start_date,
        plan_end=data.plan_ends.get((student.pk, course.pk)),
        enrolment_end=enrolment.end_date if enrolment else None,
        default_weeks=conf.default_course_weeks,
    )
    standing = rules.course_standing(
        start=start_step.position if start_step else None,
        current=course_records[-1].step.position if course_records else None,
        goal=goal_position(scale) if scale else 1,
        start_date=start_date,
        planned_end=planned_end,
        on=data.on,
        behind_steps=conf.behind_steps,
        far_behind_steps=conf.far_behind_steps,
    )
    return CourseLine(
        course=course,
        group=m.group,
        scale=scale,
        start_date=start_date,
        start_step=start_step,
        records=course_records,
        standing=standing,
        grade=data.grades.get((student.pk, course.pk)),
    )


def signals_for(follow: FollowUp, *, on: datetime.date) -> list[rules.Signal]:
    courses = [
        (line.course.subject.name, line.latest and line.latest.recorded_on, line.start_date, line.grade is not None)
        for line in follow.courses
    ]
    return course_signals(follow.settings, follow.weeks, courses, follow.plan_status, on=on)


def course_signals(
    conf: FollowUpSettings,
    weeks: list[rules.WeekMinutes],
    courses: Iterable[tuple[str, datetime.date | None, datetime.date, bool]],
    plan_status,
    *,
    on: datetime.date,
) -> list[rules.Signal]:
    """A student's early signals from plain values: the attendance weeks, each course as
    (subject name, latest record's day, start day, graded) and the plan's status."""
    signals = []
    if s := rules.attendance_signal(
        weeks,
        on=on,
        threshold_percent=conf.attendance_percent,
        n_weeks=conf.attendance_weeks,
    ):
        signals.append(s)
    stalled, stalled_weeks = [], {}
    for name, last, start, graded in courses:
        if graded:
            continue  # graded: the course is done
        if s := rules.no_progress_signal(
            course_name=name,
            last_recorded_on=last,
            course_start=start,
            on=on,
            n_weeks=conf.no_progress_weeks,
        ):
            stalled.append(s)
            stalled_weeks[name] = (on - (last or start)).days // 7
    signals.extend(rules.no_progress_signals(stalled, stalled_weeks, n_weeks=conf.no_progress_weeks))
    signals.extend(rules.plan_signals(plan_status))
    return signals


def sparkline_points(series: list[float | None]) -> str:
    """SVG polyline points for the weekly attendance (100 wide, 24 high)."""
    known = [(i, v) for i, v in enumerate(series) if v is not None]
    if len(known) < 2:
        return ""
    step = 100 / max(len(series) - 1, 1)
    return " ".join(f"{i * step:.1f},{22 - v * 0.2:.1f}" for i, v in known)


# --- The weekly team overview ---------------------------------------------------------


@dataclass
class Team:
    kind: str  # "group" or "unit"
    pk: int
    name: str
    school_unit: SchoolUnit

    @property
    def label(self) -> str:
        return self.name


@dataclass
class OverviewLine:
    """One course of one student on the team overview, with its display values computed once."""

    subject: str
    standing: rules.Standing
    position: int | None  # the current step's position (the latest record's, else the start's)
    grade: str | None
    last_recorded_on: datetime.date | None
    start_date: datetime.date
    status: str = ""
    symbol: str = ""
    label: str = ""
    title: str = ""


@dataclass
class OverviewRow:
    """One student of the team overview."""

    student: Student
    settings: FollowUpSettings
    courses: list[OverviewLine]
    weeks: list[rules.WeekMinutes]
    series: list[float | None]
    recent_attendance: float | None
    plan_status: object
    decision: str  # the latest team decision as the page shows it ("" when none)
    signals: list[rules.Signal] = field(default_factory=list)
    trend: str = "none"
    sparkline_points: str = ""
    # Set by the view: the row's links and texts.
    submission_key: object = None
    id: str = ""
    url: str = ""
    decision_url: str = ""
    attendance_text: str = ""
    reviewed_on: str = ""
    # Set by the view: the row's table row as HTML (see ``overview_cells``).
    html: str = ""

    @property
    def worst_status(self) -> str:
        return _worst_status(line.status for line in self.courses)


def _worst_status(statuses: Iterable[str]) -> str:
    found = set(statuses)
    order = [rules.Status.FAR_BEHIND, rules.Status.BEHIND, rules.Status.IN_LINE]
    return next((s for s in order if s in found), rules.Status.NOT_ASSESSED)


@dataclass
class TeamOverview:
    team: Team
    on: datetime.date
    rows: list[OverviewRow]
    settings: FollowUpSettings | None

    @property
    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in rules.Status.LABELS}
        for row in self.rows:
            for line in row.courses:
                counts[line.status] += 1
        return counts

    @property
    def with_signals(self) -> int:
        return sum(1 for r in self.rows if r.signals)


def team_students(user, team: Team, on: datetime.date) -> QuerySet[Student]:
    """The team's current students that the user may follow (the progress part)."""
    return _team_members(visible_students(user, PROGRESS), team.kind, team.pk, on)


def _team_members(visible: QuerySet[Student], kind: str, team_id: int, on: datetime.date) -> QuerySet[Student]:
    if kind == "group":
        members = GroupMembership.objects.filter(group_id=team_id, start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
        students = visible.filter(pk__in=members.values("student_id"))
    else:
        students = visible.filter(
            pk__in=Enrolment.objects.active_on(on).filter(school_unit_id=team_id).values("student_id")
        )
    return students.order_by("last_name", "first_name", "pk")


def _overview_students(user, team: Team, on: datetime.date) -> list[Student]:
    """:func:`team_students` with the fields a name needs and the latest team decision; the
    SQL compiled once per shape of the user's grants (``access.policy.student_scope``)."""

    def build(team_id: int, on: datetime.date, **scope_args) -> QuerySet[Student]:
        visible = scope.students(**scope_args) if scope else visible_students(user, PROGRESS)
        return (
            _team_members(visible, team.kind, team_id, on)
            .only(*LABEL_FIELDS)
            .annotate(
                decision_on=_latest_decision("decided_on"),
                decision_kind=_latest_decision("kind"),
                decision_text=_latest_decision("text"),
            )
        )

    scope = student_scope(user, PROGRESS)
    if scope is None:
        return list(build(team.pk, on))
    name = f"progress.team_students.{team.kind}:{scope.key}"
    return kept_objects(Student, name, build, team_id=team.pk, on=on, **scope.args)


def _current_memberships(ids: list[int], on: datetime.date) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.filter(student_id__in=ids, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def _line_groups(ids: list[int], on: datetime.date) -> list[int]:
    """The groups of the students' current memberships (one query, compiled once per shape)."""
    rows = kept_rows(
        GroupMembership,
        "progress.line_groups",
        lambda ids, on: _current_memberships(ids, on).values_list("group_id").distinct(),
        ids=ids,
        on=on,
    )
    return sorted(group_id for (group_id,) in rows)


def _course_lines(ids: list[int], on: datetime.date, groups: list[int] | None = None) -> QuerySet[GroupMembership]:
    """The students' current course-group memberships, in the order the pages list them.

    One query here, for the memberships' groups (unless ``groups`` names them), so that the
    caller's query reads the few groups by key (given the students alone, PostgreSQL hashes
    every course group in the country).
    """
    if groups is None:
        groups = _line_groups(ids, on)
    return (
        _current_memberships(ids, on)
        .filter(
            group_id__in=groups,
            group__kind=StudentGroup.Kind.COURSE_GROUP,
            group__course__isnull=False,
        )
        .order_by("group__course__subject__name", "group__name", "group_id", "pk")
    )


def _overview_lines(ids: list[int], on: datetime.date) -> list[tuple]:
    """Every current course-group membership of the students as one row of plain values, with
    each course's first and latest record, starting level, planned term and grade (two
    queries, see :func:`_course_lines`; both compiled once per number of students and
    groups, see ``studievag.kept_sql``)."""
    groups = _line_groups(ids, on)
    if not groups:
        return []
    return kept_rows(GroupMembership, "progress.overview_lines", _overview_lines_query, ids=ids, on=on, groups=groups)


def _overview_lines_query(ids: list[int], on: datetime.date, groups: list[int]) -> QuerySet:
    line = {"student_id": OuterRef("student_id"), "course_id": OuterRef("group__course_id")}
    records = ProgressRecord.objects.filter(**line, recorded_on__lte=on)
    first, latest = records.order_by("recorded_on"), records.order_by("-recorded_on")
    starting = StartingLevel.objects.filter(
        mapping__student_id=OuterRef("student_id"), subject_id=OuterRef("group__course__subject_id")
    ).order_by("-pk")
    term = PlanCourse.objects.filter(plan__student_id=OuterRef("student_id"), course_id=OuterRef("group__course_id"))
    grade = GradeRecord.objects.filter(**line, awarded_on__lte=on).order_by("-awarded_on", "-pk")
    return (
        _course_lines(ids, on, groups)
        .annotate(
            latest_position=Subquery(latest.values("step__position")[:1]),
            latest_on=Subquery(latest.values("recorded_on")[:1]),
            first_position=Subquery(first.values("step__position")[:1]),
            first_on=Subquery(first.values("recorded_on")[:1]),
            start_position=Subquery(starting.values("step__position")[:1]),
            plan_term=Subquery(term.exclude(term="").values("term")[:1]),
            grade=Subquery(grade.values("grade")[:1]),
        )
        .values_list(
            "student_id",
            "group__course__subject__name",
            "group__course__subject__code",
            "group__school_unit__organiser_id",
            "start_date",
            "latest_position",
            "latest_on",
            "first_position",
            "first_on",
            "start_position",
            "plan_term",
            "grade",
        )
    )


def _enrolment_rows(ids: list[int], on: datetime.date) -> tuple[list[tuple], dict[int, tuple]]:
    """Every enrolment of the students as (student, start, end, organiser), and each student's
    current one: the latest active, else the latest of all (one query)."""
    enrolments = kept_rows(
        Enrolment,
        "progress.enrolment_rows",
        lambda ids: (
            Enrolment.objects.filter(student_id__in=ids)
            .order_by("start_date", "pk")
            .values_list("student_id", "start_date", "end_date", "school_unit__organiser_id")
        ),
        ids=ids,
    )
    current: dict[int, tuple] = {}
    for row in enrolments:
        known = current.get(row[0])
        active = row[1] <= on and (row[2] is None or row[2] >= on)
        if known is None or active or not (known[1] <= on and (known[2] is None or known[2] >= on)):
            current[row[0]] = row
    return enrolments, current


def _latest_decision(field_name: str) -> Subquery:
    decisions = TeamDecision.objects.filter(student_id=OuterRef("pk")).order_by("-decided_on", "-pk")
    return Subquery(decisions.values(field_name)[:1])


def _decision_text(decided_on, kind, text) -> str:
    if decided_on is None:
        return ""
    label = TeamDecision.Kind(kind).label if kind in TeamDecision.Kind.values else kind
    return f"{decided_on.isoformat()}: {label} – {Truncator(text).chars(80)}"


def _standings(lines, current: dict[int, tuple], settings: dict[int, FollowUpSettings], goals: GoalBook, on):
    """Each student's course lines with their standing (the rule of ``rules.course_standing``)."""
    by_student: dict[int, list[OverviewLine]] = defaultdict(list)
    explain = rules.Explanations()
    for line in lines:
        student_id, subject, code, organiser_id, joined, latest, latest_on, first, first_on, start, term, grade = line
        enrolment = current.get(student_id)
        conf = settings.get(enrolment[3]) if enrolment else None
        conf = conf or FollowUpSettings()
        scale = goals.for_subject(organiser_id, code)
        if start is None and first is not None:
            start, joined = first, first_on  # no mapping: the line starts at the first record
        planned_end = rules.planned_end_for(
            start_date=joined,
            plan_end=rules.term_end(term) if term else None,
            enrolment_end=enrolment[2] if enrolment else None,
            default_weeks=conf.default_course_weeks,
        )
        standing = rules.course_standing(
            start=start,
            current=latest,
            goal=scale[1] if scale else 1,
            start_date=joined,
            planned_end=planned_end,
            on=on,
            behind_steps=conf.behind_steps,
            far_behind_steps=conf.far_behind_steps,
        )
        position = latest if latest is not None else start
        by_student[student_id].append(
            OverviewLine(
                subject,
                standing,
                position,
                grade,
                latest_on,
                joined,
                status=standing.status,
                symbol=standing.symbol,
                label=explain.label(standing.status),
                title=explain(standing),
            )
        )
    return by_student


def team_overview(user, team: Team, *, on: datetime.date) -> TeamOverview:
    """One row per student of the team: colour per course, attendance trend, plan status,
    signals and the latest team decision, students with signals or far behind first.

    Set-based: the team's students with their latest decision (1 query), protected names
    (1, when a student has protected identity), their enrolments (1), course lines with
    first and latest record, starting level, planned term and grade (2), the scales' goal
    steps (1), thresholds (1), attendance by week (1), plan statuses (3). No model
    instances but the students; the rules run once per course line.
    """
    students = label_students(user, _overview_students(user, team, on))
    if not students:
        return TeamOverview(team=team, on=on, rows=[], settings=None)
    ids = [s.pk for s in students]
    enrolments, current = _enrolment_rows(ids, on)
    lines = _overview_lines(ids, on)
    organiser_ids = {row[3] for row in current.values()}
    goals = GoalBook(organiser_ids | {line[3] for line in lines})
    settings = settings_for(organiser_ids)
    weeks = _attendance_weeks(ids, on, settings, history=False)
    plan_statuses = plan_status_for(ids, on=on, enrolment_rows=enrolments)
    by_student = _standings(lines, current, settings, goals, on)
    mondays = rules.recent_weeks(on, TREND_WEEKS)
    rows = []
    for s in students:
        enrolment = current.get(s.pk)
        conf = (settings.get(enrolment[3]) if enrolment else None) or FollowUpSettings()
        mine = weeks.get(s.pk, [])
        window = set(rules.recent_weeks(on, conf.attendance_weeks))
        row = OverviewRow(
            student=s,
            settings=conf,
            courses=by_student.get(s.pk, []),
            weeks=mine,
            series=rules.weekly_series(mine, mondays),
            recent_attendance=rules.attendance_percent([w for w in mine if w.week_start in window]),
            plan_status=plan_statuses.get(s.pk),
            decision=_decision_text(s.decision_on, s.decision_kind, s.decision_text),
        )
        row.trend = rules.trend(row.series)
        row.sparkline_points = sparkline_points(row.series)
        row.signals = course_signals(
            conf,
            mine,
            [(line.subject, line.last_recorded_on, line.start_date, line.grade is not None) for line in row.courses],
            row.plan_status,
            on=on,
        )
        rows.append(row)
    # Students with signals or far behind first: that is the meeting's agenda.
    order = {rules.Status.FAR_BEHIND: 0, rules.Status.BEHIND: 1, rules.Status.IN_LINE: 2, rules.Status.NOT_ASSESSED: 3}
    rows.sort(key=lambda r: (0 if r.signals else 1, order[r.worst_status]))
    return TeamOverview(team=team, on=on, rows=rows, settings=rows[0].settings)


# --- Early signals for many students (the start page's worklists) ------------------------


@dataclass
class StudentSignals:
    """A student's plan status (the plans area's ``PlanStatus``) and early signals."""

    plan_status: object
    signals: list[rules.Signal]


def _signal_lines_query(ids: list[int], on: datetime.date, groups: list[int]) -> QuerySet:
    """The current course lines with their latest record's day and whether a grade is set
    (compiled once per number of students and groups, see ``studievag.kept_sql``)."""
    line = {"student_id": OuterRef("student_id"), "course_id": OuterRef("group__course_id")}
    return (
        _course_lines(ids, on, groups)
        .annotate(
            latest_on=Subquery(
                ProgressRecord.objects.filter(**line, recorded_on__lte=on)
                .order_by("-recorded_on")
                .values("recorded_on")[:1]
            ),
            graded=Exists(GradeRecord.objects.filter(**line, awarded_on__lte=on)),
        )
        .values_list("student_id", "group__course__subject__name", "start_date", "latest_on", "graded")
    )


def student_signals(ids: Collection[int], *, on: datetime.date) -> dict[int, StudentSignals]:
    """The plan status and early signals of each student on ``on``: those of
    :func:`follow_up_for`, from plain rows in a number of queries that does not grow with
    the students (a principal's worklist holds every student of the school unit).

    Queries: enrolments (1); the current course lines with their latest record's day and
    whether a grade is set (2, see :func:`_course_lines`); thresholds (1); attendance by
    week over the signal's window (1); plan statuses given the enrolments (3).
    """
    ids = list(ids)
    if not ids:
        return {}
    enrolments, current = _enrolment_rows(ids, on)
    groups = _line_groups(ids, on)
    lines = kept_rows(GroupMembership, "progress.signal_lines", _signal_lines_query, ids=ids, on=on, groups=groups)
    courses: dict[int, list[tuple]] = defaultdict(list)
    for student_id, subject, joined, latest_on, graded in lines:
        courses[student_id].append((subject, latest_on, joined, graded))
    settings = settings_for({row[3] for row in current.values()})
    weeks = _attendance_weeks(ids, on, settings, history=False, trend=False)
    plan_statuses = plan_status_for(ids, on=on, enrolment_rows=enrolments)
    result = {}
    for student_id in ids:
        enrolment = current.get(student_id)
        conf = (settings.get(enrolment[3]) if enrolment else None) or FollowUpSettings()
        status = plan_statuses.get(student_id)
        signals = course_signals(conf, weeks.get(student_id, []), courses.get(student_id, []), status, on=on)
        result[student_id] = StudentSignals(plan_status=status, signals=signals)
    return result


def team_for(user, kind: str, pk: int) -> Team | None:
    """The team if the user may open its overview, else None (the view answers 404)."""
    if kind not in ("group", "unit"):
        return None
    if kind == "group":
        # The question every overview asks first: compiled once per shape (kept_sql).
        assignments = assignments_for_action(user, "progress.team")
        scopes = {
            name: ids
            for name, ids in (
                ("group_ids", sorted({a.group_id for a in assignments if a.group_id})),
                ("unit_ids", sorted({a.school_unit_id for a in assignments if a.school_unit_id})),
            )
            if ids
        }
        if not scopes:
            return None
        found = kept_objects(StudentGroup, "progress.team_for:" + "|".join(scopes), _team_group_query, pk=pk, **scopes)
        return Team("group", found[0].pk, found[0].name, found[0].school_unit) if found else None
    _groups, units = teams_for(user)
    unit = units.filter(pk=pk).first()
    return unit and Team("unit", unit.pk, unit.name, unit)


def _team_group_query(pk: int, group_ids: list[int] | None = None, unit_ids: list[int] | None = None):
    """The team with this id among those :func:`~.scope.teams_for` gives."""
    scope = Q(pk__in=group_ids or []) | Q(school_unit_id__in=unit_ids or [])
    return StudentGroup.objects.filter(
        scope, pk=pk, kind__in=[StudentGroup.Kind.MENTOR_GROUP, StudentGroup.Kind.WORK_TEAM]
    ).select_related("school_unit")


# --- The course-group grid ------------------------------------------------------------


def course_group_members(group: StudentGroup, on: datetime.date) -> list[Student]:
    members = GroupMembership.objects.filter(group=group, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    return list(Student.objects.filter(pk__in=members.values("student_id")).order_by("last_name", "first_name", "pk"))


def attendance_for_group(group: StudentGroup, students: list[Student], monday: datetime.date):
    rows = AttendanceWeek.objects.filter(course_id=group.course_id, week_start=monday, student__in=students)
    return {a.student_id: a for a in rows}
