"""The link to an organiser's student register (SS 12000) and what each sync did.

- ``Connection``: one per organiser — where the register is and which
  credential name to look up (the secret itself lives in the environment or a
  secrets file, never here), plus the delta watermarks.
- ``SyncRun``: one run (or dry run) with its status, counts and events.
- ``SyncEvent``: a change made (or that a dry run would make), an entity the
  sync refused and why, or a conflict found.
- ``ExternalRecord``: which Studieväg row an entity of the register became,
  and the register's values as last applied, so a later change made by a
  person in Studieväg is told apart from a change in the register.
- ``Conflict``: a value a person entered in Studieväg that the register now
  wants to change; listed for someone to decide, never overwritten silently.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser
from studievag.people.models import Guardian, Student

credential_name_validator = RegexValidator(
    r"^[A-Z][A-Z0-9_]{0,39}$", _("Capital letters A–Z, digits and underscores, starting with a letter.")
)


class Connection(models.Model):
    organiser = models.OneToOneField(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, related_name="ss12000_connection"
    )
    base_url = models.URLField(
        _("address of the register"), help_text=_("The SS 12000 API's base address, e.g. https://sis.example.se/v2.0")
    )
    credential_name = models.CharField(
        _("credential name"),
        max_length=40,
        validators=[credential_name_validator],
        help_text=_(
            "The name under which the token is found in the environment (STUDIEVAG_SS12000_<NAME>_TOKEN) "
            "or in the secrets file. The token itself is never stored in the database."
        ),
    )
    enabled = models.BooleanField(_("scheduled sync on"), default=True)
    page_size = models.PositiveSmallIntegerField(_("page size"), default=200)
    # Per collection ("/persons" …): the newest meta.modified applied; the next run asks for later changes.
    watermarks = models.JSONField(_("changes read up to"), default=dict, blank=True)
    deletions_read_at = models.DateTimeField(_("deletions read up to"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("student register connection")
        verbose_name_plural = _("student register connections")

    def __str__(self) -> str:
        return f"{self.organiser} – {self.base_url}"


class SyncRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    connection = models.ForeignKey(
        Connection, verbose_name=_("connection"), on_delete=models.CASCADE, related_name="runs"
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    full = models.BooleanField(_("everything, not only changes"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    requests_made = models.PositiveIntegerField(_("requests to the register"), default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        constraints = [
            # One run at a time per register: a second would read the same changes.
            models.UniqueConstraint(
                fields=["connection"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_open_sync_run_per_connection",
            )
        ]

    def __str__(self) -> str:
        return f"{self.connection.organiser} {self.requested_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


# What the run's counts and events call each kind of entity (the keys are the engine's).
ENTITY_LABELS = {
    "organisations": _("School units and organisers"),
    "programmes": _("Programmes"),
    "persons": _("Students"),
    "enrolments": _("Enrolments"),
    "guardians": _("Guardians"),
    "groups": _("Groups"),
    "memberships": _("Group memberships"),
    "duties": _("Staff roles"),
}


def entity_label(key: str) -> str:
    return str(ENTITY_LABELS.get(key, key))


class SyncEvent(models.Model):
    class Kind(models.TextChoices):
        CHANGE = "change", _("Change")
        REFUSED = "refused", _("Refused")
        CONFLICT = "conflict", _("Conflict")
        NOTICE = "notice", _("Notice")

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    entity_type = models.CharField(_("entity"), max_length=30)
    entity_id = models.CharField(_("id in the register"), max_length=200, blank=True)
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("what"))

    @property
    def entity_label(self) -> str:
        return entity_label(self.entity_type)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("sync event")
        verbose_name_plural = _("sync events")
        indexes = [models.Index(fields=["run", "kind"])]


class ExternalRecord(models.Model):
    """An entity of the register (or a part of one, e.g. an enrolment) and the row it became here."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="records")
    entity_type = models.CharField(max_length=30)
    # The register's UUID; for parts without an id of their own, a key built from their parents' ids.
    external_id = models.CharField(max_length=200)
    local_kind = models.CharField(max_length=30)
    local_id = models.BigIntegerField()
    received = models.JSONField(default=dict, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "entity_type", "external_id", "local_kind"], name="external_record_unique"
            )
        ]
        indexes = [models.Index(fields=["local_kind", "local_id"])]

    def __str__(self) -> str:
        return f"{self.entity_type} {self.external_id} → {self.local_kind} {self.local_id}"


class Conflict(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To decide")
        KEPT = "kept", _("Studieväg's value kept")
        TAKEN = "taken", _("The register's value taken")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="conflicts")
    record = models.ForeignKey(ExternalRecord, on_delete=models.CASCADE, related_name="conflicts")
    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+")
    field = models.CharField(_("field"), max_length=40)
    local_value = models.TextField(_("value in Studieväg"), blank=True)
    register_value = models.TextField(_("value in the register"), blank=True)
    found_in = models.ForeignKey(SyncRun, on_delete=models.SET_NULL, null=True, related_name="+")
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["found_at", "pk"]
        verbose_name = _("conflict with the register")
        verbose_name_plural = _("conflicts with the register")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "field"], condition=models.Q(status="open"), name="one_open_conflict_per_field"
            )
        ]

    def _model_field(self):
        if self.field.startswith("guardian."):
            return Guardian._meta.get_field(self.field.removeprefix("guardian."))
        return Student._meta.get_field(self.field)

    @property
    def field_label(self) -> str:
        label = str(self._model_field().verbose_name)
        if self.field.startswith("guardian."):
            return _("Guardian's %(field)s") % {"field": label}
        return label

    def _display(self, value: str) -> str:
        choices = dict(self._model_field().choices or ())
        return str(choices.get(value, value))

    @property
    def local_display(self) -> str:
        return self._display(self.local_value)

    @property
    def register_display(self) -> str:
        return self._display(self.register_value)
