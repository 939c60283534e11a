from studievag.testing import ALL_ROLES, Route

from .helpers import ensure_course, own_scale, scale_post, step_id

RECORDERS = frozenset({"teacher", "principal"})
A_STAFF = frozenset({"mentor", "teacher", "counsellor", "student_health", "principal"})
SETTINGS = frozenset({"principal", "organiser_analyst"})
TEAM_A = frozenset({"mentor", "counsellor", "student_health", "principal"})


def group_a(c):
    return {"pk": ensure_course(c).course_group_a.pk}


def _attendance_file(cast) -> dict:
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    text = (
        "personal_identity_number,week_start,scheduled_minutes,valid_absence_minutes,invalid_absence_minutes\n"
        f"{cast.alice.personal_identity_number},{monday},600,60,0\n"
    )
    return {"file": SimpleUploadedFile("attendance.csv", text.encode(), content_type="text/csv")}


ROUTES = [
    Route("progress:groups", RECORDERS),
    Route("progress:grid", RECORDERS, kwargs=group_a),
    Route(
        "progress:grid", RECORDERS, kwargs=group_a, method="post", data=lambda c: {f"step-{c.alice.pk}": step_id(c, 3)}
    ),
    Route(
        "progress:record_api",
        RECORDERS,
        kwargs=group_a,
        method="post",
        data=lambda c: {"student": c.alice.pk, "step": step_id(c, 2)},
    ),
    Route("progress:attendance", RECORDERS, kwargs=group_a),
    Route(
        "progress:attendance",
        RECORDERS,
        kwargs=group_a,
        method="post",
        data=lambda c: {"week": "2026-09-07", f"scheduled-{c.alice.pk}": "240"},
    ),
    Route("progress:attendance_import", RECORDERS, kwargs=group_a, method="post", data=_attendance_file),
    Route("progress:attendance_template", RECORDERS, kwargs=group_a),
    Route("progress:attendance_template_xlsx", RECORDERS, kwargs=group_a),
    Route("progress:teams", A_STAFF | {"mentor_other_school"}),
    Route("progress:team_group", TEAM_A, kwargs=lambda c: {"pk": c.mentor_group_a.pk}),
    Route(
        "progress:team_group",
        frozenset({"mentor_other_school"}),
        kwargs=lambda c: {"pk": c.mentor_group_b.pk},
        label="b",
    ),
    Route(
        "progress:team_unit",
        frozenset({"counsellor", "student_health", "principal"}),
        kwargs=lambda c: {"pk": c.unit_a.pk},
    ),
    Route(
        "progress:decision_create",
        TEAM_A,
        method="post",
        kwargs=lambda c: {"kind": "group", "pk": c.mentor_group_a.pk, "student": c.alice.pk},
        data=lambda c: {"kind": "talk", "text": "Samtal med eleven om närvaron."},
    ),
    Route("progress:student", A_STAFF, kwargs=lambda c: {"pk": c.alice.pk}),
    Route("progress:student", frozenset({"mentor_other_school"}), kwargs=lambda c: {"pk": c.bertil.pk}, label="bertil"),
    Route("progress:family_student", frozenset({"student", "guardian"}), kwargs=lambda c: {"pk": c.alice.pk}),
    Route("progress:family_student", frozenset(), kwargs=lambda c: {"pk": c.adam.pk}, label="adam"),
    Route("progress:settings", SETTINGS),
    Route(
        "progress:settings",
        SETTINGS,
        method="post",
        data=lambda c: {
            "behind_steps": 1,
            "far_behind_steps": 2,
            "default_course_weeks": 20,
            "attendance_percent": 80,
            "attendance_weeks": 4,
            "no_progress_weeks": 6,
        },
    ),
    Route("progress:scale_create", SETTINGS),
    Route(
        "progress:scale_create",
        SETTINGS,
        method="post",
        data=lambda c: scale_post(
            name="Egen skala",
            subject_codes="ENGENG01",
            steps=[{"label": "Början", "colour": "#fde2e2"}, {"label": "Mål", "colour": "#d8f0d8", "is_goal": "on"}],
        ),
    ),
    Route("progress:scale_edit", SETTINGS, kwargs=lambda c: {"pk": own_scale(c).pk}),
    Route(
        "progress:scale_edit",
        SETTINGS,
        kwargs=lambda c: {"pk": own_scale(c).pk},
        method="post",
        data=lambda c: scale_post(
            name="Egen matematik",
            subject_codes="GRGRMAT01",
            steps=[
                {"id": s.pk, "label": s.label, "colour": s.colour, "is_goal": "on" if s.is_goal else ""}
                for s in own_scale(c).steps.all()
            ],
        ),
        # Known gap: the steps posted here do not validate ("a scale needs at least two
        # steps"), so this row checks access only; the scale tests cover a valid edit.
        writes=False,
    ),
    Route("progress:help", ALL_ROLES - {"no_role"}),
]
