"""The effect chain (effektkedja): desired state → effects for the students →
changes in teaching and organisation → activities, each node linked to the
indicators of the quality reports with a baseline and targets.

Skolverket plans change with an effect chain so that an organiser starts from
the state it wants and does not repeat measures that do not raise goal
attainment. An organiser's chain belongs to a version of its plan för
utbildning; a region (e.g. Skaraborg) has a chain of its own that the
organisers' chains link to.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser, Region
from studievag.plans.models import EducationPlan


class Level(models.TextChoices):
    DESIRED_STATE = "desired_state", _("Desired state")
    STUDENT_EFFECT = "student_effect", _("Effects for the students")
    CHANGE = "change", _("Changes in teaching and organisation")
    ACTIVITY = "activity", _("Activities")


LEVEL_ORDER = [Level.DESIRED_STATE, Level.STUDENT_EFFECT, Level.CHANGE, Level.ACTIVITY]


def level_above(level: str) -> str | None:
    i = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[i - 1] if i > 0 else None


class EffectChain(models.Model):
    """An organiser's or a region's chain; exactly one of the two is set."""

    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        related_name="effect_chains",
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="effect_chains", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    education_plan = models.ForeignKey(
        EducationPlan,
        verbose_name=_("plan for education (version)"),
        on_delete=models.PROTECT,
        related_name="effect_chains",
        null=True,
        blank=True,
        help_text=_("The version of the organiser's plan for education the chain belongs to."),
    )
    regional_chain = models.ForeignKey(
        "self",
        verbose_name=_("regional chain"),
        on_delete=models.SET_NULL,
        related_name="organiser_chains",
        null=True,
        blank=True,
        help_text=_("The region's chain this chain contributes to."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("effect chain")
        verbose_name_plural = _("effect chains")
        constraints = [
            models.CheckConstraint(
                condition=Q(organiser__isnull=False, region__isnull=True)
                | Q(organiser__isnull=True, region__isnull=False),
                name="effect_chain_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=True) | (Q(education_plan__isnull=True) & Q(regional_chain__isnull=True)),
                name="effect_chain_regional_has_no_plan",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("effect_chain:chain_detail", kwargs={"pk": self.pk})

    @property
    def owner_label(self) -> str:
        return str(self.organiser or self.region)

    @property
    def is_regional(self) -> bool:
        return self.region_id is not None

    @property
    def programme_code(self) -> str:
        """The programme the chain's figures are counted for: its plan for education's."""
        return self.education_plan.programme.code if self.education_plan_id else ""

    def clean(self) -> None:
        errors = {}
        if self.education_plan_id and self.organiser_id and self.education_plan.organiser_id != self.organiser_id:
            errors["education_plan"] = _("The plan for education must be the organiser's own.")
        if self.regional_chain_id:
            regional = self.regional_chain
            if not regional.is_regional:
                errors["regional_chain"] = _("Choose a region's chain.")
            elif self.organiser_id and self.organiser.region_id != regional.region_id:
                errors["regional_chain"] = _("The regional chain must be of the organiser's own region.")
        if errors:
            raise ValidationError(errors)


class ChainNode(models.Model):
    """One box of the chain, on one of the four levels."""

    chain = models.ForeignKey(EffectChain, on_delete=models.CASCADE, related_name="nodes")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("Who answers for it, e.g. “Rektor IMS”."))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    leads_to = models.ManyToManyField(
        "self",
        verbose_name=_("leads to"),
        symmetrical=False,
        related_name="comes_from",
        blank=True,
        help_text=_("The nodes on the level above that this node is meant to bring about."),
    )
    regional_node = models.ForeignKey(
        "self",
        verbose_name=_("contributes to (regional chain)"),
        on_delete=models.SET_NULL,
        related_name="organiser_nodes",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chain", "start_date", "pk"]
        verbose_name = _("node of an effect chain")
        verbose_name_plural = _("nodes of effect chains")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="chain_node_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end is before the start.")})


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class IndicatorLink(models.Model):
    """An indicator of the quality reports linked to a node, with the baseline taken
    when it was linked: the figure as shown (suppressed) at that moment."""

    node = models.ForeignKey(ChainNode, on_delete=models.CASCADE, related_name="links")
    indicator = models.CharField(_("indicator"), max_length=60)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline_on = models.DateField(_("baseline taken on"))
    baseline_period = models.CharField(_("baseline period"), max_length=8)
    baseline_text = models.CharField(_("baseline as shown"), max_length=12)
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["node", "pk"]
        verbose_name = _("linked indicator")
        verbose_name_plural = _("linked indicators")
        constraints = [models.UniqueConstraint(fields=["node", "indicator"], name="chain_indicator_once_per_node")]

    def __str__(self) -> str:
        return f"{self.node_id}: {self.indicator}"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER


class Target(models.Model):
    """The value an indicator should have reached on a checkpoint date."""

    link = models.ForeignKey(IndicatorLink, on_delete=models.CASCADE, related_name="targets")
    checkpoint = models.DateField(_("checkpoint"))
    value = models.DecimalField(_("target"), max_digits=7, decimal_places=1)

    class Meta:
        ordering = ["link", "checkpoint"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["link", "checkpoint"], name="chain_target_once_per_checkpoint")]

    def __str__(self) -> str:
        return f"{self.checkpoint}: {self.value}"


class Theme(models.TextChoices):
    """The five areas of development Skolverket found in organisers' notes."""

    GOVERNANCE = "governance", _("Governing documents and follow-up of the operations")
    STUDY_PLAN = "study_plan", _("The role of the individual study plan")
    COMMUNICATION = "communication", _("Communication and participation along the governance chain")
    KNOWLEDGE = "knowledge", _("Follow-up of knowledge development before pass grades")
    SELF_REVIEW = "self_review", _("Critical review of the own operations")
    OTHER = "other", _("Other")


class DevelopmentNote(models.Model):
    """Qualitative material next to the chain: notes from a development meeting or the
    organiser's own assessment of its development needs, classified by theme."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Notes from a development meeting")
        NEEDS = "needs", _("Assessment of development needs")

    chain = models.ForeignKey(EffectChain, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    written_on = models.DateField(_("date"))
    text = models.TextField(_("text"), max_length=6000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("development note")
        verbose_name_plural = _("development notes")
        indexes = [models.Index(fields=["chain", "written_on"])]

    def __str__(self) -> str:
        return f"{self.written_on} {self.get_theme_display()}"


class ChainEvent(models.Model):
    """The chain's history: who changed what and when (never changed afterwards)."""

    chain = models.ForeignKey(EffectChain, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30)
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("effect chain event")
        verbose_name_plural = _("effect chain events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.action}"
