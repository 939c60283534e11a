"""Handovers (överlämningar) from the sending school to the introduction programme.

One :class:`Handover` per student and transition, written by staff at the
sending school (a compulsory school, or another upper-secondary school or
organiser when a student changes school) and sent to a receiving organiser or
school unit in the region, or to the region's placement queue when the student
has no place yet. Its parts:

* the **pedagogical part** — grades and merit value, subjects and levels
  reached, languages, schooling in Sweden and abroad, what has worked, support
  measures and their effect, attendance, and the student's own words. The
  Education Act lets the sending school hand this over without consent
  (skollagen 3 kap. 12 j §), so that the receiving school can plan from day one;
* **other information** (health, social circumstances …) — only with the
  recorded consent of the guardian, or of the student from 18.

Nothing handed over is used for admission: admission is decided on grades and
the application alone, and the handover is read only after placement.

The status runs draft → sent → received → meeting held → closed; each step is
a :class:`HandoverEvent` with the date and who. A student with protected
identity has no address in the handover and is shown by name only to the named
contact person at the receiving school.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser, Programme, Region, SchoolUnit
from studievag.people.identity import validate_identity_number
from studievag.people.languages import LANGUAGES
from studievag.people.models import Student

# An organiser without settings wants handovers received three weeks before the start.
DEFAULT_DEADLINE_WEEKS = 3
MAX_MERIT_VALUE = 340


def default_start(today: datetime.date) -> datetime.date:
    """The next autumn term start (Monday of week 34) on or after ``today``."""
    for year in (today.year, today.year + 1):
        start = datetime.date.fromisocalendar(year, 34, 1)
        if start >= today:
            return start
    raise AssertionError("unreachable")


class HandoverSettings(models.Model):
    """An organiser's rule for when handovers must have been received."""

    organiser = models.OneToOneField(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, related_name="handover_settings"
    )
    deadline_weeks = models.PositiveSmallIntegerField(
        _("received at the latest (weeks before the start)"),
        default=DEFAULT_DEADLINE_WEEKS,
        validators=[MaxValueValidator(26)],
    )
    term_starts_on = models.DateField(
        _("next term starts on"),
        null=True,
        blank=True,
        help_text=_("The first day at the receiving school for handovers without a date of their own."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("handover settings")
        verbose_name_plural = _("handover settings")

    def __str__(self) -> str:
        return str(self.organiser)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    MEETING_HELD = "meeting_held", _("Handover meeting held")
    CLOSED = "closed", _("Closed")


STATUS_ORDER = [Status.DRAFT, Status.SENT, Status.RECEIVED, Status.MEETING_HELD, Status.CLOSED]
# Statuses in which the receiving side has the handover.
AT_RECEIVER = (Status.SENT, Status.RECEIVED, Status.MEETING_HELD, Status.CLOSED)
# Statuses that can be overdue: not yet received.
NOT_RECEIVED = (Status.DRAFT, Status.SENT)


class Consenter(models.TextChoices):
    NONE = "", _("No consent recorded")
    GUARDIAN = "guardian", _("The guardian")
    STUDENT = "student", _("The student (18 or older)")


class Handover(models.Model):
    class Destination(models.TextChoices):
        UNIT = "unit", _("A school unit")
        ORGANISER = "organiser", _("An organiser")
        QUEUE = "queue", _("The region's placement queue")

    # Who sends, to whom.
    sending_unit = models.ForeignKey(
        SchoolUnit, verbose_name=_("sending school"), on_delete=models.PROTECT, related_name="handovers_sent"
    )
    destination = models.CharField(_("sent to"), max_length=10, choices=Destination.choices, default=Destination.UNIT)
    receiving_unit = models.ForeignKey(
        SchoolUnit,
        verbose_name=_("receiving school unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_received",
    )
    receiving_organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("receiving organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_received",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The introduction programme the student is expected to start."),
    )
    starts_on = models.DateField(_("expected start"), null=True, blank=True)
    deadline = models.DateField(_("to be received by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    # The student, before there is a record here.
    identity_number = models.CharField(
        _("identity number"),
        max_length=12,
        blank=True,
        validators=[validate_identity_number],
        help_text=_("Personnummer, samordningsnummer or interim number; empty when the student has none yet."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("Skyddade personuppgifter: no address is handed over, and only the named contact sees the name."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    student = models.ForeignKey(
        Student,
        verbose_name=_("student record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers",
    )

    # The pedagogical part (skollagen 3 kap. 12 j §: no consent needed).
    grades = models.TextField(_("grades"), blank=True, help_text=_("Subjects and grades, e.g. “Ma E, En C, SvA E”."))
    merit_value = models.DecimalField(
        _("merit value"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MERIT_VALUE)],
    )
    subjects_levels = models.TextField(
        _("subjects and levels reached"),
        blank=True,
        help_text=_("Where the student stands in each subject without a grade, e.g. “Svenska som andraspråk: steg 3”."),
    )
    mother_tongue = models.CharField(_("mother tongue"), max_length=3, choices=LANGUAGES, blank=True)
    languages = models.CharField(_("other languages"), max_length=300, blank=True)
    schooling_in_sweden = models.TextField(
        _("schooling in Sweden"), blank=True, help_text=_("Since when, which schools and years.")
    )
    schooling_abroad_years = models.PositiveSmallIntegerField(
        _("years of schooling abroad"), null=True, blank=True, validators=[MaxValueValidator(20)]
    )
    schooling_abroad = models.TextField(_("schooling abroad"), blank=True)
    what_worked = models.TextField(_("what has worked"), blank=True)
    support_measures = models.TextField(_("support measures given"), blank=True)
    support_effect = models.TextField(_("the effect of the support"), blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=300, blank=True, help_text=_("E.g. “92 % in spring term”.")
    )
    student_voice = models.TextField(_("the student's own words"), blank=True)

    # Other information: only with consent.
    other_information = models.TextField(
        _("other information (health, social circumstances)"),
        blank=True,
        help_text=_("Handed over only with the recorded consent of the guardian, or of the student from 18."),
    )
    consent_by = models.CharField(_("consent given by"), max_length=10, choices=Consenter.choices, blank=True)
    consent_name = models.CharField(_("name of the person who consented"), max_length=200, blank=True)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)

    # The receiving side.
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person at the receiving school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handover_contacts",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    meeting_on = models.DateField(_("meeting booked for"), null=True, blank=True)
    meeting_held_on = models.DateField(_("meeting held on"), null=True, blank=True)
    meeting_participants = models.CharField(_("who took part"), max_length=300, blank=True)
    meeting_student_voice = models.TextField(_("the student's voice at the meeting"), blank=True)
    meeting_notes = models.TextField(_("notes from the meeting"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        indexes = [
            models.Index(fields=["receiving_unit", "status"]),
            models.Index(fields=["receiving_organiser", "status"]),
            models.Index(fields=["sending_unit", "status"]),
        ]
        constraints = [
            # Protected identity: no address, ever.
            models.CheckConstraint(
                condition=Q(protected_identity=False) | Q(address=""), name="handover_protected_no_address"
            ),
            # Other information only with a recorded consent.
            models.CheckConstraint(
                condition=Q(other_information="") | (~Q(consent_by="") & Q(consent_given_on__isnull=False)),
                name="handover_other_information_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(merit_value__isnull=True) | Q(merit_value__gte=0, merit_value__lte=MAX_MERIT_VALUE),
                name="handover_merit_value_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"ÖL-{self.created_at:%Y}-{self.pk:05d}" if self.pk else "ÖL-…"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def receiver_label(self) -> str:
        if self.receiving_unit_id:
            return self.receiving_unit.name
        if self.receiving_organiser_id:
            return self.receiving_organiser.name
        if self.destination == self.Destination.QUEUE:
            return str(_("The region's placement queue"))
        return "–"

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.status in NOT_RECEIVED and self.deadline is not None and day > self.deadline

    def clean(self) -> None:
        errors = {}
        if self.protected_identity and self.address:
            errors["address"] = _("A student with protected identity: no address is handed over.")
        if self.other_information and not (self.consent_by and self.consent_given_on):
            errors["other_information"] = _(
                "Other information is handed over only with a recorded consent: say who consented and when."
            )
        if errors:
            raise ValidationError(errors)


class HandoverEvent(models.Model):
    """One step of a handover: the status it reached, when and by whom."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    what = models.CharField(_("what"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("handover event")
        verbose_name_plural = _("handover events")

    def __str__(self) -> str:
        return f"{self.handover_id} {self.status} {self.at:%Y-%m-%d}"


# The handover's content, part by part, in the order the form shows it; the services
# take exactly these fields.
STUDENT_FIELDS = ["identity_number", "first_name", "last_name", "date_of_birth", "protected_identity", "address"]
PLACEMENT_FIELDS = ["programme", "starts_on"]
PEDAGOGICAL_FIELDS = [
    "grades",
    "merit_value",
    "subjects_levels",
    "mother_tongue",
    "languages",
    "schooling_in_sweden",
    "schooling_abroad_years",
    "schooling_abroad",
    "what_worked",
    "support_measures",
    "support_effect",
    "attendance",
    "student_voice",
]
OTHER_FIELDS = ["other_information", "consent_by", "consent_name", "consent_given_on"]
CONTENT_FIELDS = (*STUDENT_FIELDS, *PLACEMENT_FIELDS, *PEDAGOGICAL_FIELDS, *OTHER_FIELDS)
