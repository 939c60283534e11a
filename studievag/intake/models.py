"""The mapping at intake (kartläggning): background and starting position.

Part 1 of the follow-up system. Languages, mother tongue, country of
birth, arrival and school-start dates and years of schooling abroad already
live on :class:`~studievag.people.models.Student`; the mapping adds what the
school finds out in the first weeks: grades and merit value from compulsory
school, literacy and numeracy, earlier work and interests, the student's own
goals and well-being, and a *starting level per subject* (a step on that
subject's progression scale) that progression is measured from.

Support needs are kept apart in :class:`studievag.support.models.SupportNeedsEntry` (append-only, keyed by
the student; the plan's support-needs page uses the same store): they are sensitive
personal data (GDPR art. 9), shown only to student health, the principal and
the mentor, with every read logged (the ``support_needs`` part).
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from studievag.people.models import Student

# The highest merit value from compulsory school: 17 subjects × 20 points (A).
MAX_MERIT_VALUE = 340


class Level(models.TextChoices):
    """A coarse, shared description of literacy or numeracy at intake."""

    NONE = "none", _("Not yet (beginner)")
    EMERGING = "emerging", _("Emerging")
    FUNCTIONAL = "functional", _("Functional")
    ESTABLISHED = "established", _("Established (age-appropriate)")
    UNKNOWN = "unknown", _("Not mapped")


class IntakeMapping(models.Model):
    # Set by a service before it saves; django-simple-history writes them on the history row.
    _history_user: Any
    _change_reason: str

    class ParentsEducation(models.TextChoices):
        COMPULSORY = "compulsory", _("Compulsory school or less")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
        POST_SECONDARY = "post_secondary", _("Post-secondary education")
        UNKNOWN = "unknown", _("Not known")

    class WellBeing(models.TextChoices):
        GOOD = "good", _("Doing well")
        MIXED = "mixed", _("Mixed")
        POOR = "poor", _("Struggling")
        NOT_STATED = "not_stated", _("Not stated")

    student = models.OneToOneField(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="intake")
    mapped_on = models.DateField(_("mapped on"))
    compulsory_school_completed = models.BooleanField(
        _("completed compulsory school"),
        null=True,
        blank=True,
        help_text=_("In Sweden or abroad; leave empty when not known."),
    )
    compulsory_grades = models.TextField(
        _("grades from compulsory school"),
        blank=True,
        help_text=_("Subjects and grades, e.g. “Ma E, En C, SvA E”."),
    )
    merit_value = models.DecimalField(
        _("merit value from compulsory school"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MERIT_VALUE)],
        help_text=_("0–340; leave empty when the student has no Swedish grades."),
    )
    parents_education = models.CharField(
        _("parents' education"),
        max_length=20,
        choices=ParentsEducation.choices,
        default=ParentsEducation.UNKNOWN,
    )
    literacy = models.CharField(
        _("literacy"),
        max_length=20,
        choices=Level.choices,
        default=Level.UNKNOWN,
        help_text=_("Reading and writing in any language."),
    )
    literacy_languages = models.CharField(_("languages the student reads and writes"), max_length=200, blank=True)
    numeracy = models.CharField(_("numeracy"), max_length=20, choices=Level.choices, default=Level.UNKNOWN)
    earlier_work = models.TextField(_("earlier work and experience"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    own_goals = models.TextField(_("the student's own goals"), blank=True)
    well_being = models.CharField(
        _("well-being"), max_length=20, choices=WellBeing.choices, default=WellBeing.NOT_STATED
    )
    well_being_note = models.TextField(_("about well-being"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("mapping at intake")
        verbose_name_plural = _("mappings at intake")
        constraints = [
            models.CheckConstraint(
                condition=Q(merit_value__isnull=True) | Q(merit_value__gte=0, merit_value__lte=MAX_MERIT_VALUE),
                name="intake_merit_value_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.mapped_on}"


class StartingLevel(models.Model):
    """Where the student stood in one subject at intake: a step on that subject's scale."""

    mapping = models.ForeignKey(
        IntakeMapping,
        verbose_name=_("mapping"),
        on_delete=models.CASCADE,
        related_name="starting_levels",
    )
    subject = models.ForeignKey(
        "catalogue.Subject", verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(
        "scales.ProgressionStep",
        verbose_name=_("step"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["subject__name"]
        verbose_name = _("starting level")
        verbose_name_plural = _("starting levels")
        constraints = [
            models.UniqueConstraint(fields=["mapping", "subject"], name="starting_level_once_per_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject.name}: {self.step.label}"
