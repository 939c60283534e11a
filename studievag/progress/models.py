"""Follow-up of the starting position (part 2 of the follow-up system).

* The progression scales themselves live in :mod:`studievag.scales` (the
  intake mapping places a student on them too).
* :class:`ProgressRecord`: a teacher's observation that a student stands on a
  step in a course on a day. History, never overwritten: one row per student,
  course and day (a second entry on the same day corrects that day's row).
* :class:`GradeRecord`: a grade (A–F, or ``-`` when the course could not be
  graded) when it is awarded.
* :class:`AttendanceWeek`: scheduled minutes and valid/invalid absence per
  student, course and week (the week's Monday).
* :class:`FollowUpSettings`: the organiser's thresholds for the in-line rule
  and the early signals (see ``rules.py``).
* :class:`TeamDecision`: what the weekly team decided about a student.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from studievag.catalogue.models import Course
from studievag.once import submission_key_field
from studievag.organisations.models import Organiser
from studievag.people.models import Student
from studievag.scales.models import ProgressionStep


class ProgressRecord(models.Model):
    # Set by a service before it saves; django-simple-history writes them on the history row.
    _history_user: Any
    _change_reason: str
    # Tens of millions of rows nationally: no index of its own on any foreign key.
    # The student's is the unique constraint's first column; nothing reads by
    # course, step or recorder alone (deleting a course, step or account, which
    # these keys protect, scans the table once).
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="progress_records",
        db_index=False,
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    step = models.ForeignKey(
        ProgressionStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    recorded_at = models.DateTimeField(_("saved at"), auto_now=True)

    # Every change kept: who, when, the value before and after (and why, for grades).
    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "course", "recorded_on"]
        verbose_name = _("progression record")
        verbose_name_plural = _("progression records")
        constraints = [
            models.UniqueConstraint(fields=["student", "course", "recorded_on"], name="progress_record_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.course.code} {self.recorded_on}: {self.step.label}"


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    DASH = "-", _("– (no basis for a grade)")


class GradeRecord(models.Model):
    # Set by a service before it saves; django-simple-history writes them on the history row.
    _history_user: Any
    _change_reason: str
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="grade_records"
    )
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    awarded_on = models.DateField(_("awarded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    # Every change kept: who, when, the value before and after (and why, for grades).
    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "course", "awarded_on"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.CheckConstraint(condition=Q(grade__in=[g.value for g in Grade]), name="grade_record_known_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.course.code} {self.grade} ({self.awarded_on})"


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


class AttendanceWeek(models.Model):
    # The largest table nationally: foreign keys without indexes of their own, as
    # for progression records (the student's leads the two composite indexes).
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="attendance", db_index=False
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    week_start = models.DateField(_("week (Monday)"))
    scheduled_minutes = models.PositiveIntegerField(_("scheduled minutes"))
    valid_absence_minutes = models.PositiveIntegerField(_("valid absence (minutes)"), default=0)
    invalid_absence_minutes = models.PositiveIntegerField(_("invalid absence (minutes)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    recorded_at = models.DateTimeField(_("saved at"), auto_now=True)

    # Every change kept: who, when, the value before and after (and why, for grades).
    history = HistoricalRecords()

    class Meta:
        ordering = ["student", "course", "week_start"]
        verbose_name = _("attendance week")
        verbose_name_plural = _("attendance weeks")
        constraints = [
            models.UniqueConstraint(fields=["student", "course", "week_start"], name="attendance_one_row_per_week"),
            models.CheckConstraint(
                condition=Q(scheduled_minutes__gte=F("valid_absence_minutes") + F("invalid_absence_minutes")),
                name="attendance_absence_within_schedule",
            ),
        ]
        indexes = [models.Index(fields=["student", "week_start"])]

    def __str__(self) -> str:
        return f"{self.student} {self.course.code} {self.week_start}"

    def clean(self) -> None:
        if self.week_start and self.week_start.weekday() != 0:
            raise ValidationError({"week_start": _("A week is given by its Monday.")})

    @property
    def present_minutes(self) -> int:
        return self.scheduled_minutes - self.valid_absence_minutes - self.invalid_absence_minutes


class FollowUpSettings(models.Model):
    """One organiser's thresholds; organisers without a row use the defaults below."""

    organiser = models.OneToOneField(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        related_name="follow_up_settings",
    )
    behind_steps = models.DecimalField(
        _("behind when more than this many steps below the line"),
        max_digits=3,
        decimal_places=1,
        default=0.5,
        validators=[MinValueValidator(0)],
    )
    far_behind_steps = models.DecimalField(
        _("far behind when more than this many steps below the line"),
        max_digits=3,
        decimal_places=1,
        default=1.5,
        validators=[MinValueValidator(0)],
    )
    default_course_weeks = models.PositiveSmallIntegerField(
        _("course length when no end date is planned (weeks)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    attendance_percent = models.PositiveSmallIntegerField(
        _("signal when attendance is below (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    attendance_weeks = models.PositiveSmallIntegerField(
        _("attendance over the last (weeks)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    no_progress_weeks = models.PositiveSmallIntegerField(
        _("signal when no progression step for (weeks)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(far_behind_steps__gte=F("behind_steps")),
                name="follow_up_far_behind_beyond_behind",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organiser)


class TeamDecision(models.Model):
    """A decision the weekly team took about a student; it lands in the student's record."""

    class Kind(models.TextChoices):
        SUPPORT = "support", _("Support measure")
        COURSE_CHANGE = "course_change", _("Changed course or study path")
        TALK = "talk", _("Talk with the student or guardian")
        OTHER = "other", _("Other")

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="team_decisions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("decided on"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    team = models.CharField(_("team"), max_length=200, help_text=_("The team that met."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    submission_key = submission_key_field()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("team decision")
        verbose_name_plural = _("team decisions")

    def __str__(self) -> str:
        return f"{self.student} {self.decided_on}: {self.get_kind_display()}"
