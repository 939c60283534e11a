"""Progression scales: per subject, an ordered scale of steps, each with a label,
a colour and a description; one step is the course goal.

Shipped defaults have no organiser; an organiser's own scale for the same
subject code wins over the default. The intake mapping places a student on a
scale (the starting level) and teachers record progression on the same
scale, so the scales sit below both.
"""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour is written #rrggbb."))


class ProgressionScale(models.Model):
    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progression_scales",
        help_text=_("Empty for the scales that ship with Studieväg."),
    )
    name = models.CharField(_("name"), max_length=100)
    subject_codes = models.JSONField(
        _("subject codes"),
        default=list,
        blank=True,
        help_text=_("Skolverket subject codes this scale is used for, e.g. GRGRMAT01, MAT."),
    )
    is_generic = models.BooleanField(
        _("generic scale"),
        default=False,
        help_text=_("Used for every subject that has no scale of its own."),
    )

    class Meta:
        db_table = "progress_progressionscale"
        ordering = ["organiser__name", "-is_generic", "name"]
        verbose_name = _("progression scale")
        verbose_name_plural = _("progression scales")

    def __str__(self) -> str:
        return self.name

    @property
    def goal_step(self) -> "ProgressionStep | None":
        return next((s for s in self.steps.all() if s.is_goal), None)


class ProgressionStep(models.Model):
    scale = models.ForeignKey(ProgressionScale, verbose_name=_("scale"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(
        _("position"),
        validators=[MinValueValidator(1)],
        help_text=_("1 is the first step; steps are ordered by position."),
    )
    label = models.CharField(_("label"), max_length=60)
    colour = models.CharField(_("colour"), max_length=7, validators=[colour_validator])
    description = models.TextField(_("description"), blank=True)
    is_goal = models.BooleanField(_("course goal"), default=False)

    class Meta:
        db_table = "progress_progressionstep"
        ordering = ["scale", "position"]
        verbose_name = _("progression step")
        verbose_name_plural = _("progression steps")
        constraints = [
            models.UniqueConstraint(fields=["scale", "position"], name="step_position_unique"),
            models.UniqueConstraint(fields=["scale"], condition=Q(is_goal=True), name="step_one_goal_per_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.label}"
