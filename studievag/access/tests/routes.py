import datetime

from django.utils import timezone

from studievag.access.models import Role, RoleAssignment
from studievag.enrolments.models import GroupMembership
from studievag.testing import Route


def _pending_role(cast) -> RoleAssignment:
    """A teacher's role asked for by the administrator, waiting for the principal."""
    return RoleAssignment.objects.create(
        user=cast.nobody,
        role=Role.TEACHER,
        group=cast.course_group_a,
        valid_from=datetime.date(2026, 1, 1),
        pending=True,
        granted_by=cast.admin,
        reason="Ny lärare",
    )


def _adams_course_membership(cast) -> GroupMembership:
    return GroupMembership.objects.get(group=cast.course_group_a, student=cast.adam)


ROUTES = [
    Route("access:staff", frozenset({"principal"})),
    Route(
        "access:staff",
        frozenset({"principal"}),
        method="post",
        data=lambda cast: {
            "username": "nobody",
            "role": "teacher",
            "group": cast.course_group_a.pk,
            "valid_from": "2026-01-01",
            "reason": "Ny lärare i matematik",
        },
        label="give a role",
    ),
    Route(
        "access:confirm",
        frozenset({"principal"}),
        method="post",
        kwargs=lambda cast: {"pk": _pending_role(cast).pk},
    ),
    Route(
        "access:revoke",
        frozenset({"principal"}),
        method="post",
        kwargs=lambda cast: {"pk": cast.teacher_a.role_assignments.get().pk},
        data=lambda cast: {"reason": "Slutar"},
    ),
    Route("access:changes", frozenset({"principal"})),
    Route("access:groups", frozenset({"principal"})),
    Route(
        "access:groups_add",
        frozenset({"principal"}),
        method="post",
        kwargs=lambda cast: {"pk": cast.course_group_a.pk},
        data=lambda cast: {
            f"g{cast.course_group_a.pk}-student": cast.protected.pk,
            f"g{cast.course_group_a.pk}-start_date": timezone.localdate().isoformat(),
            f"g{cast.course_group_a.pk}-reason": "Läser matematik från i dag",
        },
    ),
    Route(
        "access:groups_end",
        frozenset({"principal"}),
        method="post",
        kwargs=lambda cast: {"pk": _adams_course_membership(cast).pk},
        data=lambda cast: {
            f"m{_adams_course_membership(cast).pk}-end_date": timezone.localdate().isoformat(),
            f"m{_adams_course_membership(cast).pk}-reason": "Har klarat kursen",
        },
    ),
]
