"""Suppression limits per organiser, and staff reflections (qualitative material)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.once import submission_key_field
from studievag.organisations.models import Organiser, SchoolUnit


class SuppressionRule(models.Model):
    """An organiser's own limits for hiding small numbers.

    The deployment's limits (``QUALITY_MIN_COUNT``, ``QUALITY_MIN_BASE`` in
    settings) are the floor: an organiser may raise them, never lower them.
    """

    organiser = models.OneToOneField(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        related_name="suppression_rule",
    )
    min_count = models.PositiveSmallIntegerField(
        _("smallest count shown"),
        validators=[MinValueValidator(1)],
        help_text=_("A count of students from 1 up to this number minus one is shown as “..”."),
    )
    min_base = models.PositiveSmallIntegerField(
        _("smallest base for a share"),
        validators=[MinValueValidator(1)],
        help_text=_("A share resting on fewer students than this is shown as “..”."),
    )

    class Meta:
        verbose_name = _("suppression rule")
        verbose_name_plural = _("suppression rules")

    def __str__(self) -> str:
        return f"{self.organiser}: {self.min_count}/{self.min_base}"

    def clean(self) -> None:

        errors = {}
        if self.min_count is not None and self.min_count < settings.QUALITY_MIN_COUNT:
            errors["min_count"] = _(
                "The deployment hides counts under %(n)s; an organiser may raise that, not lower it."
            ) % {"n": settings.QUALITY_MIN_COUNT}
        if self.min_base is not None and self.min_base < settings.QUALITY_MIN_BASE:
            errors["min_base"] = _(
                "The deployment hides shares with a base under %(n)s; an organiser may raise that, not lower it."
            ) % {"n": settings.QUALITY_MIN_BASE}
        if errors:
            raise ValidationError(errors)


class Reflection(models.Model):
    """A staff reflection from a talk or a team meeting, about groups, never individuals."""

    class Source(models.TextChoices):
        TEAM_MEETING = "team_meeting", _("Team meeting")
        PLAN_TALK = "plan_talk", _("Plan talks")
        STUDENT_HEALTH = "student_health", _("Student health team")
        DEVELOPMENT = "development", _("Development meeting")
        OTHER = "other", _("Other")

    text = models.TextField(_("reflection"), max_length=4000)
    written_on = models.DateField(_("date"))
    source = models.CharField(_("from"), max_length=20, choices=Source.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    school_unit = models.ForeignKey(
        SchoolUnit,
        verbose_name=_("school unit"),
        on_delete=models.PROTECT,
        related_name="reflections",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    submission_key = submission_key_field()

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        indexes = [models.Index(fields=["school_unit", "written_on"])]

    def __str__(self) -> str:
        return f"{self.written_on} {self.school_unit}: {self.text[:40]}"


class ReflectionTag(models.Model):
    """An indicator id (``indicator:newly_arrived``) or a theme (``theme:attendance``)."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(_("tag"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["reflection", "tag"], name="reflection_tag_unique")]
        indexes = [models.Index(fields=["tag"])]

    def __str__(self) -> str:
        return self.tag


class StudentPeriodFacts(models.Model):
    """Per student and period: the per-student values the follow-up indicators count.

    Derived data, computed from the indicators' own definitions
    (``Indicator.annotations`` of the indicators with ``facts=True``) by
    :func:`studievag.quality.facts.facts_refresh`, so a national report is one
    join instead of tens of millions of rows read per request. Refreshed by
    the background job ``quality.facts_refresh`` (see ``facts.py``); reports
    only read them.
    """

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="period_facts")
    period = models.CharField(max_length=8)
    att_scheduled = models.IntegerField(null=True)
    att_present = models.IntegerField(null=True)
    has_progress = models.BooleanField(null=True)
    moved_step = models.BooleanField(null=True)
    assessed = models.BooleanField(null=True)
    behind_somewhere = models.BooleanField(null=True)
    passed_course = models.BooleanField(null=True)
    goals_due = models.IntegerField(null=True)
    goals_met = models.IntegerField(null=True)
    plan_created = models.DateTimeField(null=True)
    plan_by_day = models.BooleanField(null=True)
    reviewed_in_month = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("student facts for a period")
        verbose_name_plural = _("student facts for periods")
        constraints = [models.UniqueConstraint(fields=["period", "student"], name="period_facts_once")]


class PeriodFactsStatus(models.Model):
    period = models.CharField(max_length=8, unique=True)
    computed_on = models.DateField(help_text=_("The day the facts describe."))
    computed_at = models.DateTimeField(auto_now=True)
    changes_until = models.DateTimeField(
        null=True, blank=True, help_text=_("Records saved before this moment are in the facts.")
    )
    students = models.PositiveIntegerField(default=0)
    milliseconds = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("period facts status")
        verbose_name_plural = _("period facts statuses")

    def __str__(self) -> str:
        return f"{self.period} ({self.computed_on})"


class ReportPdf(models.Model):
    """A report PDF produced by the job worker for the person who asked for it.

    Rendering a PDF takes about a second of a web worker; the request only
    records what was asked and the worker renders it with the asker's own
    access, so the file never holds more than their report page shows.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being produced")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=2000)
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True)

    class Meta:
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        indexes = [models.Index(fields=["requested_at"], name="quality_pdf_requested")]
