"""Writes of the interop area: connections, sync runs and decisions on conflicts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.organisations.models import Organiser
from studievag.people.models import Guardian, Student

from . import tasks
from .models import Conflict, Connection, SyncRun
from .sync import GUARDIAN_SYNC_FIELDS, STUDENT_SYNC_FIELDS


@transaction.atomic
def connection_save(
    *,
    acting_user,
    organiser: Organiser,
    base_url: str,
    credential_name: str,
    enabled: bool = True,
    page_size: int = 200,
) -> Connection:
    """Create or change an organiser's link to its student register (no secret is stored)."""
    connection = Connection.objects.filter(organiser=organiser).first() or Connection(organiser=organiser)
    if connection.pk and connection.base_url != base_url:
        # Another register: its ids and times mean nothing to the old watermarks.
        connection.watermarks, connection.deletions_read_at = {}, None
    connection.base_url = base_url
    connection.credential_name = credential_name
    connection.enabled = enabled
    connection.page_size = page_size
    connection.full_clean()
    connection.save()
    return connection


def sync_run_request(*, acting_user, connection: Connection, dry_run: bool = False, full: bool = False) -> SyncRun:
    """Queue a sync (or a dry run) of one organiser's register; only one runs at a time per register."""
    try:
        with transaction.atomic():
            run = SyncRun.objects.create(connection=connection, dry_run=dry_run, full=full, requested_by=acting_user)
    except IntegrityError:
        raise ValidationError(_("A sync of this register is already queued or running.")) from None
    tasks.enqueue_sync(run)
    return run


@transaction.atomic
def conflict_decide(*, acting_user, conflict: Conflict, take_register_value: bool) -> Conflict:
    """Settle a conflict: take the register's value (with history) or keep Studieväg's.

    Either way the register's value is remembered as applied, so the same
    difference is not raised again; a later change in the register is.
    """
    conflict = Conflict.objects.select_for_update().select_related("record").get(pk=conflict.pk)
    if conflict.status != Conflict.Status.OPEN:
        raise ValidationError(_("This conflict has already been decided."))
    record = conflict.record
    if take_register_value:
        _apply_register_value(acting_user, conflict)
    record.received = {**record.received, conflict.field.removeprefix("guardian."): conflict.register_value}
    record.save(update_fields=["received"])
    conflict.status = Conflict.Status.TAKEN if take_register_value else Conflict.Status.KEPT
    conflict.decided_by, conflict.decided_at = acting_user, timezone.now()
    conflict.save(update_fields=["status", "decided_by", "decided_at"])
    return conflict


def _apply_register_value(acting_user, conflict: Conflict) -> None:
    record = conflict.record
    value: object = conflict.register_value
    if conflict.field.startswith("guardian."):
        name = conflict.field.removeprefix("guardian.")
        if name not in GUARDIAN_SYNC_FIELDS:
            raise ValidationError(_("This field is not kept in step with the register."))
        guardian = Guardian.objects.get(pk=record.local_id)
        setattr(guardian, name, value)
        guardian.full_clean()
        guardian.save()
        return
    if conflict.field not in STUDENT_SYNC_FIELDS:
        raise ValidationError(_("This field is not kept in step with the register."))
    student = Student.objects.get(pk=record.local_id)
    if conflict.field == "date_of_birth":
        value = datetime.date.fromisoformat(conflict.register_value)
    setattr(student, conflict.field, value)
    student._history_user = acting_user
    student._change_reason = _("Value from the student register chosen")
    student.full_clean()
    student.save()
