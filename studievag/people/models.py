"""Students, guardians and the link between them."""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .identity import IDENTITY_KIND_LABELS, IdentityKind, identity_kind, validate_identity_number
from .languages import COUNTRIES, LANGUAGES

# A student counts as newly arrived (nyanländ) for four years after the first
# school start in Sweden (skollagen 3 kap. 12 a §).
NEWLY_ARRIVED_YEARS = 4
# Guardianship (vårdnadshavarskap) ends when the child turns 18.
AGE_OF_MAJORITY = 18


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Completed years of age on a given day."""
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)


class Student(models.Model):
    # Set by a service before it saves; django-simple-history writes them on the history row.
    _history_user: Any
    _change_reason: str
    # What staff may write on the record (the form and the services use the same list);
    # the identity number and date of birth change only through their own services.
    EDITABLE_FIELDS = (
        "first_name",
        "last_name",
        "gender",
        "mother_tongue",
        "other_languages",
        "country_of_birth",
        "arrived_in_sweden",
        "first_school_start_in_sweden",
        "schooling_years_abroad",
        "security_marking",
    )

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Not stated")

    class SecurityMarking(models.TextChoices):
        # SS 12000 securityMarking values.
        NONE = "none", _("None")
        CONFIDENTIALITY = "confidentiality", _("Confidentiality marking (sekretessmarkering)")
        PROTECTED_REGISTRATION = "protected", _("Protected registration (skyddad folkbokföring)")

    personal_identity_number = models.CharField(
        _("personal identity number"),
        max_length=12,
        unique=True,
        validators=[validate_identity_number],
        help_text=_(
            "Personnummer or samordningsnummer, 12 digits; until the student has one, an interim "
            "number (YYYYMMDD-TNNN) or a reserve number assigned here (YYYYMMDD-ZNNN)."
        ),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    mother_tongue = models.CharField(_("mother tongue"), max_length=3, choices=LANGUAGES, blank=True)
    other_languages = models.JSONField(_("other languages"), default=list, blank=True, help_text=_("Language codes."))
    country_of_birth = models.CharField(_("country of birth"), max_length=2, choices=COUNTRIES, blank=True)
    arrived_in_sweden = models.DateField(_("arrived in Sweden"), null=True, blank=True)
    first_school_start_in_sweden = models.DateField(_("first school start in Sweden"), null=True, blank=True)
    schooling_years_abroad = models.PositiveSmallIntegerField(_("years of schooling abroad"), null=True, blank=True)
    security_marking = models.CharField(
        _("protected identity"),
        max_length=20,
        choices=SecurityMarking.choices,
        default=SecurityMarking.NONE,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.CheckConstraint(
                condition=Q(schooling_years_abroad__lte=20),
                name="student_schooling_years_plausible",
            ),
            models.CheckConstraint(
                condition=Q(first_school_start_in_sweden__isnull=True)
                | Q(first_school_start_in_sweden__gt=models.F("date_of_birth")),
                name="student_school_start_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_protected_identity(self) -> bool:
        return self.security_marking != self.SecurityMarking.NONE

    @property
    def formatted_identity_number(self) -> str:
        n = self.personal_identity_number
        return f"{n[:8]}-{n[8:]}"

    @property
    def identity_kind(self) -> IdentityKind:
        return identity_kind(self.personal_identity_number)

    @property
    def identity_kind_label(self) -> str:
        return str(IDENTITY_KIND_LABELS[self.identity_kind])

    @property
    def has_final_identity_number(self) -> bool:
        """A personnummer or samordningsnummer from Skatteverket, not an interim or reserve number."""
        return self.identity_kind in (IdentityKind.PERSONNUMMER, IdentityKind.COORDINATION)

    def age_on(self, on: datetime.date) -> int:
        return age_on(self.date_of_birth, on)

    def is_adult_on(self, on: datetime.date) -> bool:
        return self.age_on(on) >= AGE_OF_MAJORITY

    @property
    def newly_arrived_until(self) -> datetime.date | None:
        if self.first_school_start_in_sweden is None:
            return None
        return add_years(self.first_school_start_in_sweden, NEWLY_ARRIVED_YEARS)

    def is_newly_arrived_on(self, on: datetime.date) -> bool:
        until = self.newly_arrived_until
        return until is not None and self.first_school_start_in_sweden <= on < until


class Guardian(models.Model):
    """A vårdnadshavare (or other adult with a right to follow the student)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    personal_identity_number = models.CharField(
        _("personal identity number"),
        max_length=12,
        blank=True,
        validators=[validate_identity_number],
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=3, choices=LANGUAGES, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class GuardianLink(models.Model):
    # Set by a service before it saves; django-simple-history writes them on the history row.
    _history_user: Any
    _change_reason: str

    class Relation(models.TextChoices):
        PARENT = "parent", _("Parent")
        APPOINTED = "appointed", _("Appointed guardian (särskilt förordnad)")
        # God man for an unaccompanied minor (lag om god man för ensamkommande barn):
        # appointed by the chief guardian (överförmyndaren) for a period; the
        # appointment ends at the latest when the child turns 18, and no consent
        # carries it on after that.
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative (god man)")
        OTHER = "other", _("Other")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="guardian_links"
    )
    guardian = models.ForeignKey(Guardian, verbose_name=_("guardian"), on_delete=models.CASCADE, related_name="links")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    valid_from = models.DateField(_("valid from"), help_text=_("For a legal representative: the day of appointment."))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("For a legal representative: the day the appointment ends.")
    )
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=100,
        blank=True,
        help_text=_("For a legal representative: the chief guardian's decision (överförmyndarens beslut)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guardian link")
        verbose_name_plural = _("guardian links")
        constraints = [
            models.UniqueConstraint(fields=["student", "guardian"], name="guardian_link_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="guardian_link_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.student}"

    @property
    def is_legal_representative(self) -> bool:
        return self.relation == self.Relation.LEGAL_REPRESENTATIVE

    @property
    def access_ends_on(self) -> datetime.date | None:
        """For a legal representative: the end of the appointment, at the latest the day before 18."""
        if not self.is_legal_representative:
            return self.valid_to
        last = add_years(self.student.date_of_birth, AGE_OF_MAJORITY) - datetime.timedelta(days=1)
        return min(self.valid_to, last) if self.valid_to else last


class GuardianConsent(models.Model):
    """A student of 18 or more lets a former guardian keep following their studies."""

    link = models.ForeignKey(
        GuardianLink,
        verbose_name=_("guardian link"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawal_recorded_at = models.DateTimeField(_("withdrawal recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent to guardian access")
        verbose_name_plural = _("consents to guardian access")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="guardian_consent_dates_ordered",
            ),
        ]
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return f"{self.link}: {self.given_on} – {self.withdrawn_on or ''}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)


class AccessChange(models.Model):
    """One change to who may see a student: a role, a group membership, an enrolment,
    a guardian link or a consent. Written by the service that made the change, with
    who did it, when, what and why; never edited afterwards.

    Kept here, in the lowest area that knows students, so that every service that
    changes access (people, enrolments, access) can write it without importing
    upwards. Names are kept as text too, so the row still says who it was if an
    account or a record goes.
    """

    class Kind(models.TextChoices):
        ROLE_REQUESTED = "role_requested", _("Role requested, awaiting confirmation")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_CONFIRMED = "role_confirmed", _("Role confirmed")
        ROLE_REVOKED = "role_revoked", _("Role ended")
        ROLE_REFUSED = "role_refused", _("Role request refused")
        MEMBERSHIP_STARTED = "membership_started", _("Added to a group")
        MEMBERSHIP_ENDED = "membership_ended", _("Left a group")
        ENROLMENT_STARTED = "enrolment_started", _("Enrolment started")
        ENROLMENT_ENDED = "enrolment_ended", _("Enrolment ended")
        GUARDIAN_LINKED = "guardian_linked", _("Guardian linked")
        GUARDIAN_UNLINKED = "guardian_unlinked", _("Guardian link ended")
        CONSENT_GIVEN = "consent_given", _("Consent given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acting_username = models.CharField(_("changed by (username)"), max_length=150)
    kind = models.CharField(_("change"), max_length=30, choices=Kind.choices)
    # Whose access changed: a staff account (roles) or a student (everything else).
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_username = models.CharField(_("staff member (username)"), max_length=150, blank=True)
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The school unit a role or a group belongs to; changes about a student are found
    # through the student (the principal sees changes at own units and of own students).
    school_unit = models.ForeignKey(
        "organisations.SchoolUnit",
        verbose_name=_("school unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=500)
    reason = models.TextField(_("why"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access change")
        verbose_name_plural = _("access changes")
        indexes = [models.Index(fields=["student", "-at"]), models.Index(fields=["subject_user", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.acting_username} {self.kind}"
