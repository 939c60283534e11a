"""Writes to plans. Every change to a plan's content goes through :func:`plan_revise`."""

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.policy import abilities
from studievag.catalogue.models import Course, CourseKind, SchoolType, Subject, SubjectKind
from studievag.enrolments.models import Enrolment
from studievag.once import already_saved, save_once
from studievag.organisations.models import Organiser, Programme
from studievag.people.models import Student

from .models import (
    EducationPlan,
    Guidance,
    GuidanceParticipant,
    Internship,
    Plan,
    PlanCourse,
    PlanGoal,
    PlanProposal,
    PlanReview,
    PlanRevision,
    PlanSeen,
    ProposalStatus,
    ProposedGoal,
)
from .permissions import PROPOSAL
from .snapshot import plan_snapshot

PLAN_FIELDS = (
    "programme",
    "study_path",
    "planned_start",
    "planned_end",
    "upper_secondary_started",
    "other_training",
    "other_measures",
    "participants",
    "student_voice",
)
GOAL_FIELDS = ("term", "kind", "title", "target_date", "status")
COURSE_FIELDS = ("course", "term", "status", "weekly_hours")
INTERNSHIP_FIELDS = ("workplace", "start_date", "end_date", "supervisor", "tasks")


class StaleVersion(Exception):
    """Someone saved the plan after the version the user started from."""

    def __init__(self, plan: Plan, expected: int):
        self.plan = plan
        self.expected = expected
        super().__init__(f"plan {plan.pk} is at version {plan.version}, not {expected}")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the plan is changed.")})
    return reason


def _current_organiser(student: Student, day: datetime.date) -> tuple[Organiser | None, Programme | None]:
    enrolment = (
        Enrolment.objects.filter(student=student).select_related("school_unit__organiser", "programme").current(day)
    )
    if enrolment is None:
        return None, None
    return enrolment.school_unit.organiser, enrolment.programme


def _write_revision(
    plan: Plan, *, acting_user, reason: str, at: datetime.datetime, snapshot: dict | None = None
) -> PlanRevision:
    return PlanRevision.objects.create(
        plan=plan,
        version=plan.version,
        snapshot=snapshot or plan_snapshot(plan),
        author=acting_user,
        created_at=at,
        reason=reason,
    )


def _replace_rows(plan: Plan, model, rows: list[dict], fields: tuple[str, ...]) -> None:
    """Make the plan's rows of ``model`` exactly ``rows``; a row with a known ``id`` is updated.

    Rows are checked in Python (``clean`` and field validation; courses once per plan);
    the database constraints stay as the backstop. Unchanged rows are not written.
    """
    if model is PlanCourse:
        courses = [r["course"].pk for r in rows]
        if len(courses) != len(set(courses)):
            raise ValidationError({"courses": _("A course is in the plan twice.")})
    existing = {r.pk: r for r in model.objects.filter(plan=plan)}
    keep = set()
    for data in rows:
        row = existing.get(data.get("id"))
        values = {f: data.get(f) if data.get(f) is not None else model._meta.get_field(f).get_default() for f in fields}
        if row is not None and all(getattr(row, f) == v for f, v in values.items()):
            keep.add(row.pk)
            continue
        row = row or model(plan=plan)
        for f, v in values.items():
            setattr(row, f, v)
        row.full_clean(exclude=["plan", "course"], validate_constraints=False)
        row.save()
        keep.add(row.pk)
    model.objects.filter(plan=plan).exclude(pk__in=keep).delete()


@transaction.atomic
def plan_create(
    *,
    acting_user,
    student: Student,
    reason: str,
    fields: dict | None = None,
    goals: Sequence[dict] = (),
    courses: Sequence[dict] = (),
    internships: Sequence[dict] = (),
    at: datetime.datetime | None = None,
) -> Plan:
    """Start a student's plan (version 1) and write its first revision."""
    reason = _require_reason(reason)
    if Plan.objects.filter(student=student).exists():
        raise ValidationError(_("This student already has a plan."))
    at = at or timezone.now()
    organiser, programme = _current_organiser(student, timezone.localdate(at))
    plan = Plan(student=student, organiser=organiser, programme=programme, created_at=at, updated_at=at)
    for name, value in (fields or {}).items():
        if name not in PLAN_FIELDS:
            raise ValueError(name)
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    _replace_rows(plan, PlanGoal, list(goals), GOAL_FIELDS)
    _replace_rows(plan, PlanCourse, list(courses), COURSE_FIELDS)
    _replace_rows(plan, Internship, list(internships), INTERNSHIP_FIELDS)
    _write_revision(plan, acting_user=acting_user, reason=reason, at=at)
    return plan


@transaction.atomic
def plan_revise(
    *,
    acting_user,
    plan: Plan,
    expected_version: int,
    reason: str,
    fields: dict | None = None,
    goals: list[dict] | None = None,
    courses: list[dict] | None = None,
    internships: list[dict] | None = None,
    at: datetime.datetime | None = None,
) -> PlanRevision | None:
    """Save a new version of the plan, or nothing if the content is unchanged.

    ``goals``, ``courses`` and ``internships`` are the whole wished-for list
    (``None`` leaves that section as it is). The version is bumped with
    ``UPDATE … WHERE version = expected_version``: if someone else saved in
    between, :class:`StaleVersion` is raised and nothing is written.
    """
    reason = _require_reason(reason)
    at = at or timezone.now()
    bumped = Plan.objects.filter(pk=plan.pk, version=expected_version).update(version=F("version") + 1, updated_at=at)
    if not bumped:
        plan.refresh_from_db()
        raise StaleVersion(plan, expected_version)
    plan.refresh_from_db()
    before = PlanRevision.objects.get(plan=plan, version=expected_version).snapshot
    for name, value in (fields or {}).items():
        if name not in PLAN_FIELDS:
            raise ValueError(name)
        setattr(plan, name, value)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save()
    if goals is not None:
        _replace_rows(plan, PlanGoal, goals, GOAL_FIELDS)
    if courses is not None:
        _replace_rows(plan, PlanCourse, courses, COURSE_FIELDS)
    if internships is not None:
        _replace_rows(plan, Internship, internships, INTERNSHIP_FIELDS)
    after = plan_snapshot(plan)
    if after == before:
        transaction.set_rollback(True)
        return None
    return _write_revision(plan, acting_user=acting_user, reason=reason, at=at, snapshot=after)


@transaction.atomic
def plan_review_record(
    *,
    acting_user,
    plan: Plan,
    held_on: datetime.date,
    participants: str,
    notes: str,
    student_view: str = "",
    decisions: str = "",
    submission_key: uuid.UUID | None = None,
) -> PlanReview:
    """Record a plan talk; the same form sent twice (``submission_key``) records it once."""
    if existing := already_saved(PlanReview, submission_key):
        return existing
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A plan talk is recorded once it has been held.")})
    review = PlanReview(
        plan=plan,
        held_on=held_on,
        participants=participants,
        notes=notes,
        student_view=student_view,
        decisions=decisions,
        plan_version=plan.version,
        recorded_by=acting_user,
    )
    review.full_clean()
    return save_once(review, submission_key)


@transaction.atomic
def plan_approve(*, acting_user, plan: Plan, version: int, on: datetime.date | None = None) -> Plan:
    """The principal approves the version they have read; a newer one must be read first."""
    updated = Plan.objects.filter(pk=plan.pk, version=version).update(
        approved_version=version, approved_on=on or timezone.localdate(), approved_by=acting_user
    )
    plan.refresh_from_db()
    if not updated:
        raise StaleVersion(plan, version)
    return plan


@transaction.atomic
def education_plan_publish(
    *,
    acting_user,
    organiser: Organiser,
    programme: Programme,
    title: str,
    body: str,
    valid_from: datetime.date,
) -> EducationPlan:
    """Publish a new version of the organiser's plan for education for a programme."""
    latest = (
        EducationPlan.objects.select_for_update()
        .filter(organiser=organiser, programme=programme)
        .order_by("-version")
        .first()
    )
    document = EducationPlan(
        organiser=organiser,
        programme=programme,
        version=(latest.version + 1 if latest else 1),
        title=title,
        body=body,
        valid_from=valid_from,
        created_by=acting_user,
    )
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def local_course_add(*, acting_user, organiser: Organiser, code: str, name: str, subject_name: str) -> Course:
    """An organiser's own course (e.g. a fork-lift licence course), under school type LOCAL."""
    subject, _created = Subject.objects.get_or_create(
        school_type=SchoolType.LOCAL,
        kind=SubjectKind.LOCAL,
        code=f"L{organiser.pk}-{subject_name[:14].upper()}",
        defaults={"name": subject_name, "organiser": organiser},
    )
    if Course.objects.filter(school_type=SchoolType.LOCAL, code=code).exists():
        raise ValidationError({"code": _("A local course with this code already exists.")})
    course = Course(
        subject=subject, school_type=SchoolType.LOCAL, kind=CourseKind.LOCAL, code=code, name=name, organiser=organiser
    )
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def guidance_record(
    *,
    acting_user,
    plans: list[Plan],
    kind: str,
    held_on: datetime.date,
    topic: str,
    notes: str = "",
) -> Guidance:
    """Record guidance held with one student (individual) or several (group), linked to their plans."""
    plans = list({p.pk: p for p in plans}.values())
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Guidance is recorded once it has been held.")})
    if kind == Guidance.Kind.INDIVIDUAL and len(plans) != 1:
        raise ValidationError({"kind": _("Individual guidance is held with one student.")})
    if kind == Guidance.Kind.GROUP and len(plans) < 2:
        raise ValidationError({"kind": _("Group guidance is held with at least two students; choose the others.")})
    guidance = Guidance(kind=kind, held_on=held_on, topic=(topic or "").strip(), notes=notes, held_by=acting_user)
    guidance.full_clean()
    guidance.save()
    GuidanceParticipant.objects.bulk_create(
        GuidanceParticipant(guidance=guidance, plan=p, plan_version=p.version) for p in plans
    )
    return guidance


# --- What the student and the guardian have seen; the student's proposals -------------


@transaction.atomic
def plan_seen_record(*, acting_user, plan: Plan, at: datetime.datetime | None = None) -> tuple[PlanSeen, bool]:
    """Remember that ``acting_user`` (a student or a guardian) saw the plan's current version.

    Returns the row and whether a version newer than the one they saw before is shown
    now. The first visit only records the version (everything is new then)."""
    at = at or timezone.now()
    seen = PlanSeen.objects.select_for_update().filter(plan=plan, user=acting_user).first()
    if seen is None:
        return PlanSeen.objects.create(plan=plan, user=acting_user, version=plan.version, seen_at=at), False
    newer = seen.version < plan.version
    if newer:
        seen.shown_from, seen.before_at = seen.version, seen.seen_at
        seen.version = plan.version
    seen.seen_at = at
    seen.save()
    return seen, newer


MAX_PROPOSED_GOALS = 5


def _require_ability(acting_user, plan: Plan, ability: str) -> None:
    if ability not in abilities(acting_user, plan.student, PROPOSAL):
        raise PermissionDenied


@transaction.atomic
def plan_proposal_submit(
    *,
    acting_user,
    plan: Plan,
    own_words: str,
    goals: Sequence[dict],
    language: str = "",
    submission_key: uuid.UUID | None = None,
) -> PlanProposal:
    """The student writes their own words and proposes goals before a plan talk.

    Only the student themself (``propose``, declared in ``permissions.py``); a guardian
    reads the plan but does not write the student's words. ``goals``: ``{"title", "term"}``.
    """
    _require_ability(acting_user, plan, "propose")
    if existing := already_saved(PlanProposal, submission_key):
        return existing
    own_words = (own_words or "").strip()
    rows = [
        {"title": (g.get("title") or "").strip(), "term": g.get("term") or "short"}
        for g in goals
        if (g.get("title") or "").strip()
    ]
    if not own_words and not rows:
        raise ValidationError({"own_words": _("Write something in your own words or propose a goal.")})
    if len(rows) > MAX_PROPOSED_GOALS:
        raise ValidationError({"goals": _("Propose at most %(n)s goals at a time.") % {"n": MAX_PROPOSED_GOALS}})
    proposal = PlanProposal(plan=plan, written_by=acting_user, own_words=own_words, language=language[:10])
    proposal.full_clean(exclude=["submission_key"])
    proposal = save_once(proposal, submission_key)
    if not proposal.goals.exists():
        for row in rows:
            goal = ProposedGoal(proposal=proposal, **row)
            goal.full_clean(exclude=["proposal"])
            goal.save()
    return proposal


def _close(proposal: PlanProposal, *, acting_user, status: str, answer: str, at: datetime.datetime) -> None:
    proposal.status = status
    proposal.answer = (answer or "").strip()
    proposal.answered_by = acting_user
    proposal.answered_at = at
    proposal.full_clean(exclude=["submission_key"])
    proposal.save()


def _open_proposal(proposal: PlanProposal) -> PlanProposal:
    locked = PlanProposal.objects.select_for_update().select_related("plan__student").get(pk=proposal.pk)
    if not locked.is_open:
        raise ValidationError(_("The proposal has already been answered."))
    return locked


@transaction.atomic
def plan_proposal_take(
    *,
    acting_user,
    proposal: PlanProposal,
    goal_ids: Sequence[int],
    take_own_words: bool,
    answer: str = "",
    target_date: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> PlanRevision | None:
    """Take the student's proposal into the plan: the chosen goals (and, if asked, the
    student's own words) become a new plan version with the reason "the student's proposal".
    """
    proposal = _open_proposal(proposal)
    _require_ability(acting_user, proposal.plan, "take")
    at = at or timezone.now()
    chosen = list(proposal.goals.filter(pk__in=list(goal_ids)))
    if not chosen and not (take_own_words and proposal.own_words):
        raise ValidationError({"goals": _("Choose at least one goal to take into the plan, or answer instead.")})
    plan = Plan.objects.select_for_update().get(pk=proposal.plan_id)
    goals = [{"id": g.pk, **{f: getattr(g, f) for f in GOAL_FIELDS}} for g in plan.goals.order_by("pk")]
    goals += [
        {"term": g.term, "kind": "other", "title": g.title, "target_date": target_date, "status": "planned"}
        for g in chosen
    ]
    fields = {"student_voice": proposal.own_words} if take_own_words and proposal.own_words else {}
    revision = plan_revise(
        acting_user=acting_user,
        plan=plan,
        expected_version=plan.version,
        reason=_("The student's proposal"),
        fields=fields,
        goals=goals,
        at=at,
    )
    ProposedGoal.objects.filter(pk__in=[g.pk for g in chosen]).update(taken=True)
    proposal.plan_version = plan.version if revision is not None else None
    _close(proposal, acting_user=acting_user, status=ProposalStatus.TAKEN, answer=answer, at=at)
    return revision


@transaction.atomic
def plan_proposal_answer(
    *, acting_user, proposal: PlanProposal, answer: str, at: datetime.datetime | None = None
) -> PlanProposal:
    """Answer the student's proposal without changing the plan; the student reads the answer."""
    proposal = _open_proposal(proposal)
    _require_ability(acting_user, proposal.plan, "answer")
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write an answer to the student.")})
    _close(proposal, acting_user=acting_user, status=ProposalStatus.ANSWERED, answer=answer, at=at or timezone.now())
    return proposal
