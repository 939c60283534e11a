"""Writes: integrations, their tokens, and the check of a token on each API call.

Only an administrator (``api.manage``) creates integrations and issues or
revokes tokens; each change writes one :class:`~.models.IntegrationEvent`.
What an integration may see is not decided here: its service account gets
roles through ``access/services.py`` like any account.
"""

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from studievag.access.policy import may
from studievag.enrolments.models import StudentGroup
from studievag.organisations.models import Organiser
from studievag.progress.models import ProgressRecord
from studievag.progress.services import AttendanceRow, attendance_save, progress_record

from .models import Integration, IntegrationEvent, IntegrationToken, Scope

TOKEN_PREFIX = "svi"
TOKEN_RE = re.compile(r"^svi_([0-9a-f]{10})_([A-Za-z0-9_-]{32,64})$")
# The longest a token is valid: an integration's credentials are rotated at least yearly.
MAX_TOKEN_DAYS = 366
# How often "last used" is written: at most once a minute per token.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_manager(acting_user) -> None:
    if not may(acting_user, "api.manage"):
        raise PermissionDenied(_("Only a system administrator manages integrations."))


def _event(*, acting_user, integration: Integration, kind: str, what: str, token=None, reason: str = "") -> None:
    IntegrationEvent.objects.create(
        acting_user=acting_user,
        acting_username=acting_user.get_username(),
        integration=integration,
        token=token,
        kind=kind,
        what=what[:500],
        reason=reason[:500],
    )


@transaction.atomic
def integration_create(*, acting_user, name: str, organiser: Organiser, description: str = "") -> Integration:
    """A new integration and its service account (which cannot log in to the pages)."""
    _require_manager(acting_user)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the integration a name.")})
    if Integration.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("An integration with this name already exists.")})
    base = f"integration-{slugify(name)[:100] or 'x'}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    account = User(username=username, first_name=name[:150], is_active=True, is_staff=False)
    account.set_unusable_password()
    account.save()
    integration = Integration.objects.create(
        name=name, organiser=organiser, description=description.strip(), account=account, created_by=acting_user
    )
    _event(
        acting_user=acting_user,
        integration=integration,
        kind=IntegrationEvent.Kind.CREATED,
        what=_("%(name)s for %(organiser)s, service account %(account)s")
        % {"name": name, "organiser": organiser.name, "account": username},
    )
    return integration


def _check_scopes(scopes) -> list[str]:
    chosen = list(dict.fromkeys(scopes))
    unknown = [s for s in chosen if s not in Scope.values]
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}})
    if not chosen:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    return sorted(chosen)


@transaction.atomic
def token_issue(
    *,
    acting_user,
    integration: Integration,
    scopes,
    expires_on: datetime.date,
    token: str | None = None,
) -> tuple[IntegrationToken, str]:
    """Issue a token with ``scopes``; returns the row and the token, which is shown once only.

    ``token`` is for the demo data set, which prints a known token; otherwise a
    random one is made.
    """
    _require_manager(acting_user)
    chosen = _check_scopes(scopes)
    today = timezone.localdate()
    if expires_on < today:
        raise ValidationError({"expires_on": _("The token would already have expired.")})
    if expires_on > today + datetime.timedelta(days=MAX_TOKEN_DAYS):
        raise ValidationError({"expires_on": _("A token is valid for at most a year: issue a new one then.")})
    if token is None:
        token = f"{TOKEN_PREFIX}_{secrets.token_hex(5)}_{secrets.token_urlsafe(32)}"
    match = TOKEN_RE.match(token)
    if match is None:
        raise ValidationError({"token": _("Not a token of the form svi_<10 hex digits>_<secret>.")})
    if IntegrationToken.objects.filter(prefix=match.group(1)).exists():
        raise ValidationError({"token": _("A token with this prefix already exists.")})
    row = IntegrationToken.objects.create(
        integration=integration,
        prefix=match.group(1),
        digest=_digest(token),
        scopes=chosen,
        expires_on=expires_on,
        created_by=acting_user,
    )
    _event(
        acting_user=acting_user,
        integration=integration,
        token=row,
        kind=IntegrationEvent.Kind.TOKEN_ISSUED,
        what=_("Token %(prefix)s… with %(scopes)s, valid until %(day)s")
        % {"prefix": row.prefix, "scopes": ", ".join(chosen), "day": expires_on.isoformat()},
    )
    return row, token


@transaction.atomic
def token_revoke(*, acting_user, token: IntegrationToken, reason: str) -> IntegrationToken:
    """Revoke a token at once; revoking it again changes nothing."""
    _require_manager(acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the token is revoked.")})
    token = IntegrationToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at, token.revoked_by = timezone.now(), acting_user
    token.save(update_fields=["revoked_at", "revoked_by"])
    _event(
        acting_user=acting_user,
        integration=token.integration,
        token=token,
        kind=IntegrationEvent.Kind.TOKEN_REVOKED,
        what=_("Token %(prefix)s… revoked") % {"prefix": token.prefix},
        reason=reason.strip(),
    )
    return token


def token_check(raw: str) -> IntegrationToken | None:
    """The valid token behind ``raw`` (not revoked, not expired, its account active), else None.

    Marks the token used (at most once a minute, so a busy integration does not write on every call).
    """
    match = TOKEN_RE.match(raw)
    if match is None:
        return None
    token = (
        IntegrationToken.objects.select_related("integration__account", "integration__organiser")
        .filter(prefix=match.group(1))
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(raw)):
        return None
    now = timezone.now()
    if not token.is_valid_on(timezone.localdate(now)) or not token.integration.account.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- Writes from a learning platform, through the pages' own services ----------------------


@dataclass
class ProgressRow:
    student_id: int
    step_id: int


@transaction.atomic
def progress_batch_record(
    *, acting_user, group: StudentGroup, rows: list[ProgressRow], on: datetime.date
) -> tuple[int, int]:
    """Record each row through ``progress.services.progress_record``; all or nothing.

    Every bad row is named (``records[2].step``) and nothing is saved if any is bad.
    Recording the same step again changes nothing, so a batch can be sent twice.
    Returns (rows changed, rows already so).
    """
    if group.course_id is None:
        raise ValidationError({"course_group": _("The group reads no course.")})
    errors: dict[str, list[str]] = {}
    seen: dict[int, int] = {}
    changed = unchanged = 0
    for i, row in enumerate(rows):
        if row.student_id in seen:
            errors[f"records[{i}].student"] = [
                _("The same student as records[%(other)s].") % {"other": seen[row.student_id]}
            ]
            continue
        seen[row.student_id] = i
        try:
            with transaction.atomic():
                before = ProgressRecord.objects.filter(
                    student_id=row.student_id, course_id=group.course_id, recorded_on=on, step_id=row.step_id
                ).exists()
                progress_record(
                    acting_user=acting_user, group=group, student_id=row.student_id, step_id=row.step_id, on=on
                )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(f"records[{i}].{field}", []).extend(messages)
            continue
        if before:
            unchanged += 1
        else:
            changed += 1
    if errors:
        raise ValidationError(errors)
    return changed, unchanged


@transaction.atomic
def attendance_batch_save(*, acting_user, group: StudentGroup, rows: list[AttendanceRow], on: datetime.date) -> int:
    """Save attendance weeks through ``progress.services.attendance_save``; all or nothing.

    A row is named by its place in ``rows`` counted from 1, as the service's messages do.
    Saving the same week again overwrites it with the same numbers, so a batch can be sent twice.
    """
    seen: dict[tuple[int, datetime.date], int] = {}
    errors = []
    for i, row in enumerate(rows, start=1):
        key = (row.student_id, row.week_start)
        if key in seen:
            errors.append(_("Row %(row)s: the same student and week as row %(other)s") % {"row": i, "other": seen[key]})
        seen[key] = i
        row.line = i
    if errors:
        raise ValidationError({"rows": errors})
    try:
        return attendance_save(acting_user=acting_user, group=group, rows=rows, on=on)
    except ValidationError as error:
        raise ValidationError({"rows": error.messages}) from None
