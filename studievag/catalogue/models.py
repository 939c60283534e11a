"""The catalogue of subjects and courses that plans, progression and course groups point to.

National subjects and courses carry Skolverket's codes and the school type
they belong to (GR compulsory school, GRS compulsory school for students with
intellectual disability, GY upper secondary, GYS, VUXGR …); the same code can
exist under several school types, so a code is unique only within its type.
An organiser can add local subjects and courses (e.g. "Truckkort A+B").
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser


class SchoolType(models.TextChoices):
    GR = "GR", _("Compulsory school")
    GRS = "GRS", _("Compulsory school for pupils with intellectual disability")
    GRSAM = "GRSAM", _("Sami school")
    GRSPEC = "GRSPEC", _("Special school")
    GY = "GY", _("Upper secondary school")
    GYS = "GYS", _("Upper secondary school for pupils with intellectual disability")
    VUXGR = "VUXGR", _("Adult education, compulsory level")
    LOCAL = "LOCAL", _("Local (the organiser's own)")


COMPULSORY_LEVEL = {SchoolType.GR, SchoolType.GRS, SchoolType.GRSAM, SchoolType.GRSPEC, SchoolType.VUXGR}


class Subject(models.Model):
    school_type = models.CharField(_("school type"), max_length=8, choices=SchoolType.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    designation = models.CharField(_("designation"), max_length=10, blank=True)
    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Set for the organiser's own local subjects only."),
    )

    class Meta:
        ordering = ["name", "school_type"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [
            models.UniqueConstraint(fields=["school_type", "code"], name="subject_code_unique_per_type"),
            models.CheckConstraint(
                condition=Q(school_type="LOCAL", organiser__isnull=False)
                | (~Q(school_type="LOCAL") & Q(organiser__isnull=True)),
                name="subject_local_iff_organiser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_school_type_display()})"

    @property
    def is_compulsory_level(self) -> bool:
        return self.school_type in COMPULSORY_LEVEL


class Course(models.Model):
    """A course (GY), a stage (GR "Årskurs 7–9") or a local course of a subject."""

    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="courses")
    school_type = models.CharField(_("school type"), max_length=8, choices=SchoolType.choices)
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    points = models.PositiveSmallIntegerField(_("upper secondary points"), null=True, blank=True)
    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, null=True, blank=True
    )

    class Meta:
        ordering = ["subject__name", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["school_type", "code"], name="course_code_unique_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_local(self) -> bool:
        return self.school_type == SchoolType.LOCAL
