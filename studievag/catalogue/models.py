"""The catalogue of subjects and courses that plans, progression and course groups point to.

National subjects and courses carry Skolverket's codes and the school type
they belong to (GR compulsory school, GRS compulsory school for students with
intellectual disability, GY upper secondary, GYS, VUXGR …); the same code can
exist under several school types, so a code is unique only within its type
and kind. An organiser can add local subjects and courses (e.g. "Truckkort A+B").

Four kinds (see README.md):

* an upper-secondary subject **with courses** (before gy25: course grades);
* an upper-secondary subject **with levels** (gy25, from 1 July 2025: the
  subject is graded, ämnesbetyg, at the highest level studied);
* a **compulsory-school subject** (its stages, e.g. "Årskurs 7–9");
* a **local** subject and its courses, of one organiser.

A :class:`Course` row is whatever a plan, a course group or a progression record
points to: a course, a level of a subject, a compulsory-school stage or a local
course. Its ``kind`` says which.
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


class SubjectKind(models.TextChoices):
    COURSES = "courses", _("Subject with courses (before gy25)")
    LEVELS = "levels", _("Subject with levels (gy25)")
    COMPULSORY = "compulsory", _("Compulsory-school subject")
    LOCAL = "local", _("Local subject")


class CourseKind(models.TextChoices):
    COURSE = "course", _("Course")
    LEVEL = "level", _("Subject level")
    STAGE = "stage", _("Compulsory-school subject")
    LOCAL = "local", _("Local course")


# The kind of row under a subject of each kind.
COURSE_KIND_OF = {
    SubjectKind.COURSES: CourseKind.COURSE,
    SubjectKind.LEVELS: CourseKind.LEVEL,
    SubjectKind.COMPULSORY: CourseKind.STAGE,
    SubjectKind.LOCAL: CourseKind.LOCAL,
}


class Grading(models.TextChoices):
    """Which upper-secondary rows a student reads (the plans area decides it from the start date)."""

    COURSES = "courses", _("Courses (started before 1 July 2025)")
    LEVELS = "levels", _("Subjects at levels (gy25, started from 1 July 2025)")
    BOTH = "both", _("Both")


COMPULSORY_LEVEL = {SchoolType.GR, SchoolType.GRS, SchoolType.GRSAM, SchoolType.GRSPEC, SchoolType.VUXGR}


class Subject(models.Model):
    school_type = models.CharField(_("school type"), max_length=8, choices=SchoolType.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=SubjectKind.choices, default=SubjectKind.COURSES)
    designation = models.CharField(_("designation"), max_length=10, blank=True)
    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Set for the organiser's own local subjects only."),
    )
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["name", "school_type"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [
            models.UniqueConstraint(fields=["school_type", "kind", "code"], name="subject_code_unique_per_type_kind"),
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

    def save(self, *args, **kwargs):
        # A row made without a kind takes the one its school type implies.
        if self.kind == SubjectKind.COURSES and self.school_type not in (SchoolType.GY, SchoolType.GYS):
            self.kind = SubjectKind.LOCAL if self.school_type == SchoolType.LOCAL else SubjectKind.COMPULSORY
        super().save(*args, **kwargs)


class Course(models.Model):
    """A course (GY), a stage (GR "Årskurs 7–9") or a local course of a subject."""

    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="courses")
    school_type = models.CharField(_("school type"), max_length=8, choices=SchoolType.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=CourseKind.choices, default=CourseKind.COURSE)
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    points = models.PositiveSmallIntegerField(_("upper secondary points"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order within the subject"), default=0)
    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, null=True, blank=True
    )

    class Meta:
        ordering = ["subject__name", "sort_order", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["school_type", "kind", "code"], name="course_code_unique_per_type_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        # A row made without a kind takes the one its school type implies.
        if self.kind == CourseKind.COURSE and self.school_type not in (SchoolType.GY, SchoolType.GYS):
            self.kind = CourseKind.LOCAL if self.school_type == SchoolType.LOCAL else CourseKind.STAGE
        super().save(*args, **kwargs)

    @property
    def is_local(self) -> bool:
        return self.school_type == SchoolType.LOCAL

    @property
    def key(self) -> str:
        """The course's key in plan snapshots and comparisons: school type and code, and
        for a gy25 level also the kind, since a level may share its code with a course."""
        if self.kind == CourseKind.LEVEL:
            return f"{self.school_type}:{self.code}:{self.kind}"
        return f"{self.school_type}:{self.code}"

    @property
    def label(self) -> str:
        """The name people read: a compulsory-school stage with its subject ("Matematik,
        årskurs 7–9"), a course or level by its own name ("Matematik nivå 1a")."""
        subject = self.subject.name
        if self.name.lower().startswith(subject.lower()):
            return self.name
        return f"{subject}, {self.name[:1].lower()}{self.name[1:]}"

    @property
    def shown_code(self) -> str:
        """The code shown beside the name: a compulsory-school stage shows its subject's
        code (GRGRMAT01), never the catalogue's stage key (GRGRMAT01_7-9)."""
        if self.kind == CourseKind.STAGE:
            return self.code.split("_", 1)[0]
        return self.code

    @property
    def what(self) -> str:
        """What the row is, in words: "kurs", "ämnesnivå", "grundskola", "lokal kurs" …"""
        if self.kind == CourseKind.STAGE:
            return str(self.get_school_type_display()).lower()
        if self.school_type in (SchoolType.GY, SchoolType.LOCAL):
            return str(self.get_kind_display()).lower()
        return f"{str(self.get_kind_display()).lower()}, {str(self.get_school_type_display()).lower()}"

    @property
    def choice_label(self) -> str:
        """What the course picker shows and takes back: name, code and what it is, e.g.
        "Matematik nivå 1a (MATMAT01a, ämnesnivå)" or "Matematik, årskurs 7–9 (GRGRMAT01, grundskola)".
        Unique in the catalogue for each kind and school type."""
        return f"{self.label} ({self.shown_code}, {self.what})"
