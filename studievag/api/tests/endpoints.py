"""Every API endpoint with a call that succeeds for the cast's integration (principal at school A).

Each entry: (URL name, method, kwargs of the cast, body of the cast, scopes that allow it).
A URL of the API without an entry here fails ``test_every_endpoint_is_in_the_matrix``.
"""

import datetime

from django.utils import timezone

from studievag.handover.models import Handover, Status
from studievag.handover.tests.factories import make_handover
from studievag.plans.services import plan_create
from studievag.progress.tests.helpers import ensure_course, step_id


def _monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7)


def alice(c) -> dict:
    return {"id": c.alice.pk}


def alice_with_plan(c) -> dict:
    plan_create(acting_user=c.mentor_a, student=c.alice, reason="Första planen", fields={"study_path": "SvA först"})
    return {"id": c.alice.pk}


def course_group(c) -> dict:
    return {"id": ensure_course(c).course_group_a.pk}


def handover(c) -> dict:
    h = make_handover(c, Status.RECEIVED)
    Handover.objects.filter(pk=h.pk).update(student=c.alice)
    return {"id": h.pk}


def progress_body(c) -> dict:
    return {"records": [{"student": c.alice.pk, "step": step_id(c, 3)}]}


def attendance_body(c) -> dict:
    return {
        "rows": [
            {
                "student": c.alice.pk,
                "week_start": _monday().isoformat(),
                "scheduled_minutes": 600,
                "valid_absence_minutes": 60,
                "invalid_absence_minutes": 0,
            }
        ]
    }


ENDPOINTS = [
    ("api:students", "get", None, None, {"students:read"}),
    ("api:student", "get", alice, None, {"students:read"}),
    ("api:plan", "get", alice_with_plan, None, {"plans:read"}),
    ("api:progress", "get", alice, None, {"progress:read"}),
    ("api:course_groups", "get", None, None, {"progress:write", "attendance:write"}),
    ("api:progress_write", "post", course_group, progress_body, {"progress:write"}),
    ("api:attendance_write", "post", course_group, attendance_body, {"attendance:write"}),
    ("api:handovers", "get", None, None, {"handovers:read"}),
    ("api:handover", "get", handover, None, {"handovers:read"}),
    ("api:report_levels", "get", None, None, {"reports:read"}),
    ("api:report", "get", None, None, {"reports:read"}),
]
