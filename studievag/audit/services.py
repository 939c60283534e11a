"""Writes to the audit log. Called explicitly by the access policy, never by a signal."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest

from studievag.people.models import Student

from .models import RecordRead


def client_address(request: HttpRequest) -> str | None:
    raw = request.META.get(settings.CLIENT_IP_HEADER, "") or request.META.get("REMOTE_ADDR", "")
    # X-Forwarded-For may hold a list: the first is the client.
    address = raw.split(",")[0].strip()
    return address or None


def audit_record_read(
    *, request: HttpRequest, student: Student, parts: Iterable[str], roles: Iterable[str]
) -> list[RecordRead]:
    """Log that this page showed ``parts`` of ``student``'s record (once per page view)."""
    return audit_record_reads(request=request, students=[student], parts=parts, roles=roles)


def audit_record_reads(
    *, request: HttpRequest, students: Iterable[Student], parts: Iterable[str], roles: Iterable[str]
) -> list[RecordRead]:
    """Log that this page showed ``parts`` of each of ``students`` (a list, a grid, an overview).

    Once per page view: a part of a student already logged during this request
    is not logged again, however many times the page fetches the student. A call
    through the REST API is marked with the integration's name, which its token
    check puts on the request (``studievag_via``).
    """
    user = request.user
    assert isinstance(user, User), "only a signed-in user reads a record"
    logged: set[tuple[int, str]] = request.__dict__.setdefault("_studievag_reads_logged", set())
    parts = list(dict.fromkeys(parts))
    new = [(s, p) for s in students for p in parts if (s.pk, p) not in logged]
    if not new:
        return []
    logged.update((s.pk, p) for s, p in new)
    display = user.get_full_name() or user.get_username()
    roles_text = ",".join(sorted(set(roles)))[:200]
    path = request.get_full_path()[:500]
    address = client_address(request)
    via = str(getattr(request, "studievag_via", ""))[:100]
    return RecordRead.objects.bulk_create(
        RecordRead(
            user=user,
            username=user.get_username(),
            user_display=display,
            roles=roles_text,
            student=student,
            part=part,
            path=path,
            client_address=address,
            via=via,
        )
        for student, part in new
    )
