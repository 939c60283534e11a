"""Writes to the audit log. Called explicitly by the access policy, never by a signal."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from studievag.people.models import Student

from .models import RecordRead


def client_address(request: HttpRequest) -> str | None:
    raw = request.META.get(settings.CLIENT_IP_HEADER, "") or request.META.get("REMOTE_ADDR", "")
    # X-Forwarded-For may hold a list: the first is the client.
    address = raw.split(",")[0].strip()
    return address or None


def audit_record_read(*, request: HttpRequest, student: Student, parts: Iterable[str], roles: Iterable[str]) -> int:
    """Log that this page showed ``parts`` of ``student``'s record (once per page view)."""
    return audit_record_reads(request=request, students=[student], parts=parts, roles=roles)


def audit_record_reads(
    *, request: HttpRequest, students: Iterable[Student], parts: Iterable[str], roles: Iterable[str]
) -> int:
    """Log that this page showed ``parts`` of each of ``students`` (a list, a grid, an overview);
    the number of rows written.

    Once per page view: a part of a student already logged during this request
    is not logged again, however many times the page fetches the student. A call
    through the REST API is marked with the integration's name, which its token
    check puts on the request (``studievag_via``).
    """
    user = request.user
    assert isinstance(user, User), "only a signed-in user reads a record"
    logged: set[tuple[int, str]] = request.__dict__.setdefault("_studievag_reads_logged", set())
    parts = list(dict.fromkeys(parts))
    new = [(s.pk, p) for s in students for p in parts if (s.pk, p) not in logged]
    if not new:
        return 0
    logged.update(new)
    fields = {
        "at": timezone.now(),
        "user_id": user.pk,
        "username": user.get_username(),
        "user_display": user.get_full_name() or user.get_username(),
        "roles": ",".join(sorted(set(roles)))[:200],
        "path": request.get_full_path()[:500],
        "client_address": RecordRead._meta.get_field("client_address").get_prep_value(client_address(request)),
        "via": str(getattr(request, "studievag_via", ""))[:100],
    }
    if connection.vendor == "postgresql":
        _insert_reads(fields, new)
    else:
        RecordRead.objects.bulk_create(RecordRead(student_id=pk, part=part, **fields) for pk, part in new)
    return len(new)


def _insert_reads(fields: dict, rows: list[tuple[int, str]]) -> None:
    """The rows in one statement, the values they share sent once (PostgreSQL).

    A page of a principal's worklist logs three parts of fifty students: ``bulk_create``
    made and prepared 150 model instances for it, 7 ms of the page, where this takes
    well under one.
    """
    meta = RecordRead._meta
    column = {f.attname: f.column for f in meta.concrete_fields}
    shared = [column[name] for name in fields]
    casts = {"at": "::timestamptz", "client_address": "::inet"}
    values = ", ".join(f"%s{casts.get(name, '')}" for name in fields)
    sql = (
        f"INSERT INTO {meta.db_table} ({', '.join(shared)}, student_id, part) "
        f"SELECT {values}, r.student_id, r.part FROM unnest(%s::bigint[], %s::text[]) AS r(student_id, part)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*fields.values(), [pk for pk, _part in rows], [part for _pk, part in rows]])
