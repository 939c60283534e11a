"""The individual study plan (individuell studieplan), kept as a living document.

A :class:`Plan` holds the current content and a ``version`` counter. Every save
goes through ``services.plan_revise``, which bumps the version with an
``UPDATE … WHERE version = v`` (optimistic locking) and writes an immutable
:class:`PlanRevision` holding a JSON snapshot of the whole plan, who, when and
why. Comparing two versions is a plain function over two snapshots (``diff.py``).

Support needs are sensitive and shown to fewer people (student health, the
principal, the mentor), so they are kept apart, in the one store keyed by the
student, ``studievag.support.models.SupportNeedsEntry`` (append-only; intake comes
before a plan), and never in the plan's snapshots, exports or family pages.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.catalogue.models import Course
from studievag.once import submission_key_field
from studievag.organisations.models import Organiser, Programme
from studievag.people.models import Student

from . import rules


class PlanSettings(models.Model):
    """An organiser's rules for plans; organisers without a row get the defaults."""

    organiser = models.OneToOneField(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        related_name="plan_settings",
    )
    review_interval_days = models.PositiveSmallIntegerField(
        _("review interval (days)"),
        default=rules.DEFAULT_REVIEW_INTERVAL_DAYS,
        help_text=_("A plan not reviewed for longer than this is flagged."),
    )
    plan_deadline_weeks = models.PositiveSmallIntegerField(
        _("plan deadline (weeks after the enrolment starts)"),
        default=rules.DEFAULT_PLAN_DEADLINE_WEEKS,
    )

    class Meta:
        verbose_name = _("plan settings")
        verbose_name_plural = _("plan settings")
        constraints = [
            models.CheckConstraint(condition=Q(review_interval_days__gte=1), name="plan_settings_interval_positive"),
        ]

    def __str__(self) -> str:
        return str(self.organiser)


class EducationPlan(models.Model):
    """The organiser's *plan för utbildning* for one programme, one version per row."""

    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        related_name="education_plans",
    )
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    valid_from = models.DateField(_("valid from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["organiser", "programme", "-version"]
        verbose_name = _("plan for education")
        verbose_name_plural = _("plans for education")
        constraints = [
            models.UniqueConstraint(fields=["organiser", "programme", "version"], name="education_plan_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.programme.code}, v{self.version})"


class Plan(models.Model):
    """A student's individual study plan: the current content."""

    student = models.OneToOneField(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="plan")
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Whose plan for education this plan follows."),
    )
    study_path = models.TextField(
        _("study path"),
        blank=True,
        help_text=_(
            "The way through the programme, e.g. Swedish as a second language first, then the vocational courses."
        ),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    upper_secondary_started = models.DateField(
        _("started upper-secondary education"),
        null=True,
        blank=True,
        help_text=_(
            "Only when the student started upper-secondary education before their first enrolment here, "
            "e.g. at another school. Students who started before 1 July 2025 read courses; those who "
            "started later read subjects at levels (gy25)."
        ),
    )
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    other_training = models.TextField(
        _("other vocational training"), blank=True, help_text=_("E.g. a fork-lift licence.")
    )
    other_measures = models.TextField(
        _("other measures"),
        blank=True,
        help_text=_("E.g. study guidance in the mother tongue, language support."),
    )
    participants = models.TextField(
        _("who took part in drawing it up"),
        blank=True,
        help_text=_("E.g. mentor, counsellor, special educator, team leader, the student."),
    )
    student_voice = models.TextField(_("the student's own words"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    approved_version = models.PositiveIntegerField(_("approved version"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("individual study plan")
        verbose_name_plural = _("individual study plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="plan_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(approved_version__isnull=True) | Q(approved_version__lte=models.F("version")),
                name="plan_approved_version_exists",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Study plan of %(student)s") % {"student": self.student})

    def clean(self) -> None:
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("The planned end is before the planned start.")})

    @property
    def created_on(self) -> datetime.date:
        return timezone.localdate(self.created_at)

    @property
    def approval_state(self) -> rules.ApprovalState:
        return rules.approval_state(version=self.version, approved_version=self.approved_version)

    @property
    def planned_length_months(self) -> int | None:
        if not (self.planned_start and self.planned_end):
            return None
        s, e = self.planned_start, self.planned_end
        return (e.year - s.year) * 12 + e.month - s.month

    @property
    def dated(self) -> datetime.date:
        """The plan's date: the day its current version was saved."""
        return timezone.localdate(self.updated_at)

    def education_plan(self, on: datetime.date | None = None) -> "EducationPlan | None":
        """The organiser's plan for education for the programme that was in force on the
        plan's date (``on``, else the day the current version was saved): a plan drawn up
        under one version keeps pointing at it until the plan is revised."""
        if not (self.organiser_id and self.programme_id):
            return None
        versions = EducationPlan.objects.filter(
            organiser_id=self.organiser_id, programme_id=self.programme_id, valid_from__lte=on or self.dated
        )
        return rules.in_force(list(versions), on or self.dated)


class GoalTerm(models.TextChoices):
    SHORT = "short", _("Short-term")
    LONG = "long", _("Long-term")


class GoalKind(models.TextChoices):
    NATIONAL_PROGRAMME = "national_programme", _("Eligibility for a national programme")
    JOB = "job", _("A job")
    ADULT_EDUCATION = "adult_education", _("Adult education")
    COURSE = "course", _("A course or grade")
    LANGUAGE = "language", _("Language")
    OTHER = "other", _("Other")


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    DROPPED = "dropped", _("No longer a goal")


# A goal in one of these states can be overdue.
OPEN_GOAL_STATUSES = (GoalStatus.PLANNED, GoalStatus.IN_PROGRESS)


class PlanGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(_("term"), max_length=10, choices=GoalTerm.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=GoalKind.choices)
    title = models.CharField(_("goal"), max_length=300)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.PLANNED)

    class Meta:
        ordering = ["term", "target_date", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


def course_label(course: Course) -> str:
    """A course's name with its subject where the name alone says little ("Årskurs 7–9")."""
    return course.label


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")


class PlanCourse(models.Model):
    """A course, a level of a subject (gy25), a compulsory-school subject or a local course
    from the catalogue that the student is to read."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="courses")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+")
    term = models.CharField(
        _("when"),
        max_length=50,
        blank=True,
        validators=[rules.validate_term],
        help_text=_("The term the course is planned to end: HT 2026, VT 2027 …"),
    )
    status = models.CharField(_("status"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.PLANNED)
    weekly_hours = models.DecimalField(
        _("hours a week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
        help_text=_("Scheduled teaching hours a week while the course is read."),
    )

    class Meta:
        ordering = ["course__school_type", "course__subject__name", "course__code"]
        verbose_name = _("planned course")
        verbose_name_plural = _("planned courses")
        constraints = [
            models.UniqueConstraint(fields=["plan", "course"], name="plan_course_once"),
        ]

    def __str__(self) -> str:
        return str(self.course)

    @property
    def label(self) -> str:
        return course_label(self.course)


class Internship(models.Model):
    """Praktik: where, when and who supervises."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="internships")
    workplace = models.CharField(_("workplace"), max_length=200)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    supervisor = models.CharField(_("supervisor"), max_length=200, blank=True)
    tasks = models.CharField(_("tasks"), max_length=300, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="internship_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return self.workplace

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The internship ends before it starts.")})


class PlanRevision(models.Model):
    """One saved version of a plan. Never changed after it is written."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    reason = models.TextField(_("why"))

    class Meta:
        ordering = ["plan", "-version"]
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="plan_revision_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="plan_revision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.version}"


class PlanReview(models.Model):
    """A plan talk (the mentor's monthly follow-up of the plan)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("who took part"), max_length=300)
    notes = models.TextField(_("what was said"))
    student_view = models.TextField(_("the student's view"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    plan_version = models.PositiveIntegerField(_("plan version reviewed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    submission_key = submission_key_field()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("plan talk")
        verbose_name_plural = _("plan talks")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.held_on}"


class Guidance(models.Model):
    """Study and careers guidance (studie- och yrkesvägledning) held by the counsellor.

    Individual guidance is held with one student, group guidance with several;
    each participant's study plan is linked (:class:`GuidanceParticipant`), so the
    plan shows the guidance its student has had and the organiser can follow up
    how many students were given guidance.
    """

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual guidance")
        GROUP = "group", _("Group guidance")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class GuidanceParticipant(models.Model):
    """A student's plan linked to guidance the student took part in."""

    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="participants")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="guidance")
    plan_version = models.PositiveIntegerField(_("plan version"))

    class Meta:
        verbose_name = _("guidance participant")
        verbose_name_plural = _("guidance participants")
        constraints = [models.UniqueConstraint(fields=["guidance", "plan"], name="guidance_participant_once")]

    def __str__(self) -> str:
        return f"{self.guidance_id} {self.plan_id}"


class PlanSeen(models.Model):
    """Which version of the plan a student or a guardian last saw on their plan page.

    Written when they open the plan page (``services.plan_seen_record``), one row per
    reader and plan, so each guardian has their own. The read log (``audit``) is about
    staff reading a student's data and is not the place for this: this row only says
    what to show the reader as new. When the page first shows a newer version,
    ``shown_from`` keeps the version they had seen before and ``before_at`` when, so the
    page goes on showing those changes until the plan changes again.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="seen_by")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(_("version last seen"))
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    shown_from = models.PositiveIntegerField(_("changes shown from version"), null=True, blank=True)
    before_at = models.DateTimeField(_("seen before"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan seen by a reader")
        verbose_name_plural = _("plans seen by readers")
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="plan_seen_once_per_reader")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.version} ({self.user_id})"


class ProposalStatus(models.TextChoices):
    NEW = "new", _("New")
    TAKEN = "taken", _("Taken into the plan")
    ANSWERED = "answered", _("Answered")


class PlanProposal(models.Model):
    """The student's own words and proposed goals, written before a plan talk (seed 004:
    the student takes part in drawing up the plan). The mentor takes it into the plan
    (a new plan version) or answers it; the student sees the answer."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="proposals")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    language = models.CharField(_("language"), max_length=10, blank=True)
    own_words = models.TextField(_("in my own words"), blank=True, max_length=4000)
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.NEW)
    answer = models.TextField(_("the mentor's answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    plan_version = models.PositiveIntegerField(_("taken into plan version"), null=True, blank=True)

    submission_key = submission_key_field()

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name = _("the student's proposal")
        verbose_name_plural = _("the student's proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new") | Q(answered_at__isnull=False), name="plan_proposal_answered_when_closed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.written_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.NEW


class ProposedGoal(models.Model):
    """A goal the student proposes; ``taken`` once the mentor put it into the plan."""

    proposal = models.ForeignKey(PlanProposal, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=300)
    term = models.CharField(_("term"), max_length=10, choices=GoalTerm.choices, default=GoalTerm.SHORT)
    taken = models.BooleanField(_("taken into the plan"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("proposed goal")
        verbose_name_plural = _("proposed goals")

    def __str__(self) -> str:
        return self.title
