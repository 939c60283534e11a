"""Enrolments (a student in a programme at a school unit) and student groups."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Programme, SchoolUnit
from studievag.people.models import Student


class EnrolmentQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "EnrolmentQuerySet":
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))

    def latest_first(self) -> "EnrolmentQuerySet":
        """Open enrolments first, then the most recently started: the order "current" means."""
        return self.order_by(F("end_date").desc(nulls_first=True), "-start_date", "-pk")

    def current(self, day: datetime.date) -> "Enrolment | None":
        """The student's current enrolment: the one active on ``day``, failing that the most
        recent (a former student's last, or one that has not begun yet)."""
        return self.active_on(day).latest_first().first() or self.latest_first().first()


class Enrolment(models.Model):
    class ExitReason(models.TextChoices):
        NATIONAL_PROGRAMME = "national_programme", _("Transferred to a national programme")
        OTHER_IM_PROGRAMME = "other_im", _("Changed to another introduction programme")
        ADULT_EDUCATION = "adult_education", _("Adult education (komvux)")
        WORK = "work", _("Work")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        ANOTHER_SCHOOL = "another_school", _("Another school or organiser")
        MOVED_ABROAD = "moved_abroad", _("Moved abroad")
        UNKNOWN = "unknown", _("Unknown")
        OTHER = "other", _("Other")
        # Codes of earlier records, no longer offered when an exit is recorded: moving
        # within Sweden is "another school or organiser", and the hand-over to the
        # activity responsibility and dropping out are recorded beside the reason.
        MOVED = "moved", _("Moved away")
        ACTIVITY_RESPONSIBILITY = "kaa", _("Handed to the municipal activity responsibility")
        DROPPED_OUT = "dropped_out", _("Dropped out")

    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="enrolments")
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+")
    school_unit = models.ForeignKey(
        SchoolUnit,
        verbose_name=_("school unit"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    exit_reason = models.CharField(_("reason for leaving"), max_length=30, choices=ExitReason.choices, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [models.Index(fields=["school_unit", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="enrolment_start_before_end",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(exit_reason=""))
                | (Q(end_date__isnull=False) & ~Q(exit_reason="")),
                name="enrolment_exit_reason_iff_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.programme.code} {self.school_unit.name}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class StudentGroup(models.Model):
    """A mentor group, a course group or a work team's group of students."""

    class Kind(models.TextChoices):
        MENTOR_GROUP = "mentor_group", _("Mentor group")
        COURSE_GROUP = "course_group", _("Course group")
        WORK_TEAM = "work_team", _("Work team")

    school_unit = models.ForeignKey(
        SchoolUnit, verbose_name=_("school unit"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    course = models.ForeignKey(
        "catalogue.Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        help_text=_("For a course group: the course it reads."),
    )
    members = models.ManyToManyField(Student, through="GroupMembership", related_name="student_groups")

    class Meta:
        ordering = ["name"]
        verbose_name = _("student group")
        verbose_name_plural = _("student groups")
        constraints = [models.UniqueConstraint(fields=["school_unit", "name"], name="group_name_unique_per_unit")]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="memberships")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_start_before_end",
            ),
        ]
