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
    user = request.user
    assert isinstance(user, User), "only a signed-in user reads a record"
    display = user.get_full_name() or user.get_username()
    return RecordRead.objects.bulk_create(
        RecordRead(
            user=user,
            username=user.get_username(),
            user_display=display,
            roles=",".join(roles),
            student=student,
            part=part,
            path=request.get_full_path()[:500],
            client_address=client_address(request),
        )
        for part in parts
    )
