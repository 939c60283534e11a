"""Regions, organisers (huvudmän), school units and the introduction programmes."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

school_unit_code_validator = RegexValidator(r"^\d{8}$", _("A school unit code is exactly eight digits."))
organisation_number_validator = RegexValidator(
    r"^\d{6}-?\d{4}$", _("An organisation number is ten digits, e.g. 212000-1645.")
)


class Region(models.Model):
    """A group of organisers that cooperate, e.g. Skaraborg's 15 municipalities."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Organiser(models.Model):
    """A huvudman: a municipality or an independent organiser."""

    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        INDEPENDENT = "independent", _("Independent")
        REGIONAL = "regional", _("Regional")

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        unique=True,
        validators=[organisation_number_validator],
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="organisers",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")

    def __str__(self) -> str:
        return self.name


class SchoolUnit(models.Model):
    """A skolenhet, identified by Skolverket's eight-digit school unit code."""

    class SchoolType(models.TextChoices):
        UPPER_SECONDARY = "GY", _("Upper secondary school")
        COMPULSORY = "GR", _("Compulsory school")

    code = models.CharField(
        _("school unit code"),
        max_length=8,
        unique=True,
        validators=[school_unit_code_validator],
    )
    name = models.CharField(_("name"), max_length=200)
    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="school_units",
    )
    school_type = models.CharField(
        _("school type"),
        max_length=2,
        choices=SchoolType.choices,
        default=SchoolType.UPPER_SECONDARY,
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school unit")
        verbose_name_plural = _("school units")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Programme(models.Model):
    """An introduction programme, by Skolverket's code (IMA, IMS, IMV, IMY).

    Codes from before 2019 (IMPRE, IMPRO, IMYRK, IMIND, IMSPR) are kept as
    inactive programmes so that old records stay readable; see
    ``LEGACY_CODES`` for what each maps to today.
    """

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("offered since 2019"), default=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For programmes removed in 2019: the programme that replaced it."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# Skolverket's codes. Names are Swedish proper names of the programmes.
CURRENT_PROGRAMMES = {
    "IMA": "Individuellt alternativ",
    "IMS": "Språkintroduktion",
    "IMV": "Programinriktat val",
    "IMY": "Yrkesintroduktion",
}
LEGACY_PROGRAMMES = {
    "IMPRE": ("Preparandutbildning", "IMV"),
    "IMPRO": ("Programinriktat individuellt val", "IMV"),
    "IMYRK": ("Yrkesintroduktion (före 2019)", "IMY"),
    "IMIND": ("Individuellt alternativ (före 2019)", "IMA"),
    "IMSPR": ("Språkintroduktion (före 2019)", "IMS"),
}


class StaffTraining(models.Model):
    """Staff development: training a member of staff has completed in a topic the
    organiser follows up as an organisational indicator, e.g. language-developing
    methods or meeting students who arrived late in the Swedish school system."""

    class Topic(models.TextChoices):
        LANGUAGE_DEVELOPING = "language_developing", _("Language-developing methods")
        LATE_ARRIVALS = "late_arrivals", _("Meeting students who arrived late")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member of staff"), on_delete=models.CASCADE, related_name="trainings"
    )
    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, related_name="staff_trainings"
    )
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    title = models.CharField(_("training"), max_length=200, help_text=_("E.g. the name of the course or programme."))
    provider = models.CharField(_("given by"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = _("staff training")
        verbose_name_plural = _("staff trainings")
        indexes = [models.Index(fields=["topic", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_topic_display()} ({self.completed_on})"
