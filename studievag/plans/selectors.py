"""Reads of plans: status flags for lists, and plans with what their pages need."""

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from studievag.access.policy import label_students, visible_students
from studievag.enrolments.models import Enrolment
from studievag.enrolments.selectors import with_current_enrolment
from studievag.kept_sql import kept_objects, kept_rows

from . import rules
from .models import (
    OPEN_GOAL_STATUSES,
    Guidance,
    GuidanceParticipant,
    Plan,
    PlanGoal,
    PlanProposal,
    PlanRevision,
    PlanSeen,
    PlanSettings,
    ProposalStatus,
)
from .permissions import PLAN
from .snapshot import PlanDiff, diff_snapshots


@dataclass(frozen=True)
class PlanStatus:
    student_id: int
    has_plan: bool
    last_reviewed_on: datetime.date | None
    # Has a plan but no review within the organiser's review interval (default
    # 30 days); a plan with no review counts from its creation.
    review_due: bool
    # No plan although the current enrolment started more than N weeks ago (default 4).
    plan_late: bool
    # (goal title, target date) of goals not met whose target date has passed.
    overdue_goals: tuple[tuple[str, datetime.date], ...]
    # Approval of the plan's current version (None without a plan).
    approval: rules.ApprovalState | None = None
    # The day by which the next plan talk is due (last talk, or the plan's creation,
    # plus the organiser's interval); None without a plan.
    next_review_on: datetime.date | None = None


def _settings_by_organiser(organiser_ids: set[int]) -> dict[int, PlanSettings]:
    if not organiser_ids:
        return {}
    kept = kept_objects(
        PlanSettings,
        "plans.settings_by_organiser",
        lambda ids: PlanSettings.objects.filter(organiser_id__in=ids),
        ids=sorted(organiser_ids),
    )
    return {s.organiser_id: s for s in kept}


# Plans and overdue goals: compiled once per number of students (``studievag.kept_sql``).
def _plans_query(ids: list[int], on: datetime.date) -> QuerySet:
    return (
        Plan.objects.filter(student_id__in=ids)
        .annotate(last_review=Max("reviews__held_on", filter=Q(reviews__held_on__lte=on)))
        .values_list("student_id", "created_at", "last_review", "version", "approved_version")
    )


def _overdue_query(ids: list[int], on: datetime.date) -> QuerySet:
    return (
        PlanGoal.objects.filter(plan__student_id__in=ids, status__in=OPEN_GOAL_STATUSES, target_date__lt=on)
        .order_by("target_date", "pk")
        .values_list("plan__student_id", "title", "target_date")
    )


def plan_status_for(
    student_ids: Collection[int],
    *,
    on: datetime.date,
    enrolments: Iterable[Enrolment] | None = None,
    enrolment_rows: Iterable[tuple[int, datetime.date, datetime.date | None, int]] | None = None,
) -> dict[int, PlanStatus]:
    """One entry per given student id; a constant number of queries whatever the number of students.

    Four queries: enrolments, plans with their last review, the organisers'
    settings, overdue goals. The organiser whose settings apply is that of the
    enrolment current on ``on`` (or the latest one before it). A caller that has
    fetched the students' enrolments (all of them, with their school units) passes
    them as ``enrolments`` — or as ``enrolment_rows``, tuples of (student id, start date,
    end date, organiser id) — which saves the first query.
    """
    ids = set(student_ids)
    if not ids:
        return {}
    # 1. Enrolments started by `on`, newest first: the first active one is current.
    if enrolment_rows is not None:
        rows = sorted(
            (row for row in enrolment_rows if row[0] in ids and row[1] <= on),
            key=lambda row: (row[0], -row[1].toordinal()),
        )
    elif enrolments is None:
        rows = (
            Enrolment.objects.filter(student_id__in=ids, start_date__lte=on)
            .order_by("student_id", "-start_date")
            .values_list("student_id", "start_date", "end_date", "school_unit__organiser_id")
        )
    else:
        rows = sorted(
            (
                (e.student_id, e.start_date, e.end_date, e.school_unit.organiser_id)
                for e in enrolments
                if e.student_id in ids and e.start_date <= on
            ),
            key=lambda row: (row[0], -row[1].toordinal()),
        )
    current: dict[int, tuple[datetime.date, int, bool]] = {}
    for student_id, start, end, organiser_id in rows:
        active = end is None or end >= on
        known = current.get(student_id)
        if known is None or (active and not known[2]):
            current[student_id] = (start, organiser_id, active)
    # 2. Plans that existed on `on`, with the last review held by then.
    plans = {
        row[0]: dict(zip(("student_id", "created_at", "last_review", "version", "approved_version"), row, strict=True))
        for row in kept_rows(Plan, "plans.plan_status_plans", _plans_query, ids=sorted(ids), on=on)
    }
    # 3. Settings of the organisers involved.
    organiser_settings = _settings_by_organiser({v[1] for v in current.values()})
    # 4. Goals not met whose target date has passed.
    overdue: dict[int, list[tuple[str, datetime.date]]] = {}
    for student_id, title, target in kept_rows(
        PlanGoal, "plans.plan_status_overdue", _overdue_query, ids=sorted(ids), on=on
    ):
        overdue.setdefault(student_id, []).append((title, target))

    result = {}
    for student_id in ids:
        enrolment = current.get(student_id)
        settings = organiser_settings.get(enrolment[1]) if enrolment else None
        interval = settings.review_interval_days if settings else rules.DEFAULT_REVIEW_INTERVAL_DAYS
        weeks = settings.plan_deadline_weeks if settings else rules.DEFAULT_PLAN_DEADLINE_WEEKS
        plan = plans.get(student_id)
        created_on = timezone.localdate(plan["created_at"]) if plan else None
        has_plan = created_on is not None and created_on <= on
        last_review = plan["last_review"] if plan else None
        since = last_review or created_on
        result[student_id] = PlanStatus(
            student_id=student_id,
            has_plan=has_plan,
            last_reviewed_on=last_review,
            review_due=has_plan
            and rules.review_due(
                plan_created_on=created_on,
                last_reviewed_on=last_review,
                on=on,
                interval_days=interval,
            ),
            plan_late=rules.plan_late(
                has_plan=has_plan,
                enrolment_start=enrolment[0] if enrolment and enrolment[2] else None,
                on=on,
                deadline_weeks=weeks,
            ),
            overdue_goals=tuple(overdue.get(student_id, ())) if has_plan else (),
            approval=rules.approval_state(version=plan["version"], approved_version=plan["approved_version"])
            if has_plan and plan
            else None,
            next_review_on=since + datetime.timedelta(days=interval) if has_plan and since else None,
        )
    return result


def settings_for_organiser(organiser_id: int | None) -> PlanSettings:
    """The organiser's settings, or an unsaved row holding the defaults."""
    if organiser_id is not None:
        found = PlanSettings.objects.filter(organiser_id=organiser_id).first()
        if found:
            return found
    return PlanSettings(organiser_id=organiser_id)


# --- Pages ------------------------------------------------------------------------


@dataclass
class PlanListRow:
    student: object
    plan: Plan | None
    status: PlanStatus

    @property
    def late(self) -> bool:
        return self.status.plan_late

    @property
    def due(self) -> bool:
        return self.status.review_due

    @property
    def overdue(self) -> bool:
        return bool(self.status.overdue_goals)

    @property
    def approval_state(self) -> rules.ApprovalState | None:
        return self.plan.approval_state if self.plan else None

    @property
    def unapproved(self) -> bool:
        return self.plan is not None and self.approval_state != rules.ApprovalState.APPROVED


def plan_list_rows(user, *, on: datetime.date) -> list[PlanListRow]:
    """Current students in the user's plan scope, with their plan's flags.

    Queries: grants (cached per request) + students with current enrolment,
    protected-name check when needed, plans, and the four of ``plan_status_for``.
    """

    students = list(
        with_current_enrolment(
            visible_students(user, PLAN).filter(pk__in=Enrolment.objects.active_on(on).values("student_id"))
        ).order_by("last_name", "first_name", "pk")
    )
    label_students(user, students)
    ids = [s.pk for s in students]
    plans = {p.student_id: p for p in Plan.objects.filter(student_id__in=ids)}
    statuses = plan_status_for(ids, on=on)
    return [PlanListRow(s, plans.get(s.pk), statuses[s.pk]) for s in students]


def plan_detail_context(plan: Plan, *, full: bool) -> dict:
    """What a plan page shows; ``full=False`` (teacher summary, family page) leaves out the
    revisions and the talks' notes."""
    courses = list(plan.courses.select_related("course__subject").order_by("course__school_type", "course__code"))
    hours = rules.weekly_hours((c.status, c.weekly_hours) for c in courses)
    context = {
        "goals": list(plan.goals.order_by("term", "target_date", "pk")),
        "courses": courses,
        "weekly_hours": hours,
        "hours_missing": sum(1 for c in courses if c.status == "ongoing" and c.weekly_hours is None),
        "study_load": str(rules.study_load(hours)),
        "full_time_hours": rules.FULL_TIME_WEEKLY_HOURS,
        "internships": list(plan.internships.order_by("start_date")),
        "education_plan": plan.education_plan(),
        "last_review": plan.reviews.order_by("-held_on").first(),
    }
    if full:
        context["guidance"] = list(
            Guidance.objects.filter(pk__in=GuidanceParticipant.objects.filter(plan=plan).values("guidance_id"))
            .select_related("held_by")
            .annotate(students=Count("participants"))
            .order_by("-held_on", "-pk")[:20]
        )
        context["revisions"] = list(plan.revisions.select_related("author").order_by("-version")[:10])
        context["reviews"] = list(plan.reviews.select_related("recorded_by").order_by("-held_on")[:10])
    return context


def next_review_on(plan: Plan) -> datetime.date:
    """When the next plan talk is due, by the organiser's interval."""
    last = plan.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    interval = settings_for_organiser(plan.organiser_id).review_interval_days
    return (last or plan.created_on) + datetime.timedelta(days=interval)


@dataclass(frozen=True)
class ChangesSinceSeen:
    """What changed in the plan between the version a reader saw before and now."""

    since: datetime.datetime  # when they looked before
    old_version: int
    new_version: int
    diff: PlanDiff
    revisions: list[PlanRevision]  # the versions in between, oldest first, each with its reason


def changes_since_seen(plan: Plan, seen: PlanSeen | None) -> ChangesSinceSeen | None:
    """The changes to show a student or guardian: from the version they had seen before the
    current one was first shown to them, to the current version (``None``: nothing new)."""
    if seen is None or seen.shown_from is None or seen.version != plan.version or seen.before_at is None:
        return None
    found = {
        r.version: r
        for r in PlanRevision.objects.filter(plan=plan, version__gte=seen.shown_from, version__lte=plan.version)
        .select_related("author")
        .order_by("version")
    }
    old, new = found.get(seen.shown_from), found.get(plan.version)
    if old is None or new is None:
        return None
    return ChangesSinceSeen(
        since=seen.before_at,
        old_version=old.version,
        new_version=new.version,
        diff=diff_snapshots(old.snapshot, new.snapshot),
        revisions=[r for v, r in sorted(found.items()) if v > old.version],
    )


def proposals_of(plan: Plan, *, open_only: bool = False) -> list[PlanProposal]:
    """The student's proposals with their goals and who answered, newest first."""
    qs = plan.proposals.prefetch_related("goals").select_related("answered_by")
    if open_only:
        qs = qs.filter(status=ProposalStatus.NEW)
    return list(qs.order_by("-written_at", "-pk")[:20])


def open_proposal_count(plan: Plan) -> int:
    return plan.proposals.filter(status=ProposalStatus.NEW).count()


# --- Choosing courses and subject levels -----------------------------------------------


@dataclass(frozen=True)
class CourseChoice:
    """What a student's plan chooses from: upper-secondary courses or subjects at levels
    (``rules.grading_for``), compulsory-school subjects, and the local courses of the
    student's organisers. ``started`` is the start the rule used and ``started_source``
    where it came from: "plan" (the plan's own date), "enrolment" (the first enrolment
    here), "planned_start" (the plan's planned start) or "" (none: the student starts now)."""

    grading: str
    started: datetime.date | None
    started_source: str
    organiser_ids: tuple[int, ...]


def course_choice_for(
    student,
    plan: Plan | None,
    *,
    on: datetime.date,
    plan_started: datetime.date | None = None,
    use_plan_started: bool = False,
) -> CourseChoice:
    """The rule's input for ``student``: the plan's "started upper-secondary education" (or,
    with ``use_plan_started``, ``plan_started``, the date being saved in the form), else the
    first enrolment's start, else the plan's planned start."""
    enrolments = list(
        Enrolment.objects.filter(student=student)
        .order_by("start_date")
        .values_list("start_date", "school_unit__organiser_id")
    )
    organisers = {o for _d, o in enrolments}
    if plan is not None and plan.organiser_id:
        organisers.add(plan.organiser_id)
    own = plan_started if use_plan_started else (plan.upper_secondary_started if plan else None)
    candidates = [
        (own, "plan"),
        (enrolments[0][0] if enrolments else None, "enrolment"),
        (plan.planned_start if plan else None, "planned_start"),
    ]
    started, source = next(((d, s) for d, s in candidates if d), (None, ""))
    return CourseChoice(rules.grading_for(started, on=on), started, source, tuple(sorted(organisers)))
