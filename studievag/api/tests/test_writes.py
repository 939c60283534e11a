"""Progression and attendance from a learning platform: the pages' services, all or nothing."""

import datetime

from django.urls import reverse
from django.utils import timezone

from studievag.enrolments.models import StudentGroup
from studievag.progress.models import AttendanceWeek, ProgressRecord
from studievag.progress.tests.helpers import ensure_course, step_id
from studievag.testing import make_group


def _monday(weeks_back: int = 1) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7 * weeks_back)


def test_course_groups_list_members_and_the_scale(api, cast, issue):
    ensure_course(cast)
    body = api.get(reverse("api:course_groups"), issue("progress:write")).json()
    group = next(g for g in body if g["id"] == cast.course_group_a.pk)
    assert {m["id"] for m in group["members"]} == {cast.alice.pk, cast.adam.pk}
    assert [s["position"] for s in group["steps"]] == sorted(s["position"] for s in group["steps"])
    assert sum(s["is_goal"] for s in group["steps"]) == 1


def test_progress_is_recorded_and_a_repeat_changes_nothing(api, cast, integration, issue):
    token = issue("progress:write")
    url = reverse("api:progress_write", kwargs={"id": ensure_course(cast).course_group_a.pk})
    body = {"records": [{"student": cast.alice.pk, "step": step_id(cast, 3)}]}
    first = api.post(url, token, body)
    assert first.status_code == 200, first.content
    assert first.json()["changed"] == 1
    again = api.post(url, token, body).json()
    assert (again["changed"], again["unchanged"]) == (0, 1)
    record = ProgressRecord.objects.get()
    assert (record.student, record.step_id, record.recorded_by) == (cast.alice, step_id(cast, 3), integration.account)


def test_a_bad_row_saves_nothing_and_is_named(api, cast, issue):
    token = issue("progress:write")
    url = reverse("api:progress_write", kwargs={"id": ensure_course(cast).course_group_a.pk})
    body = {
        "records": [
            {"student": cast.alice.pk, "step": step_id(cast, 3)},
            {"student": cast.adam.pk, "step": 99_999},
            {"student": cast.bertil.pk, "step": step_id(cast, 2)},
        ]
    }
    response = api.post(url, token, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"records[1].step", "records[2].student"}
    assert not ProgressRecord.objects.exists()


def test_a_future_day_is_refused(api, cast, issue):
    url = reverse("api:progress_write", kwargs={"id": ensure_course(cast).course_group_a.pk})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api.post(
        url,
        issue("progress:write"),
        {"recorded_on": tomorrow.isoformat(), "records": [{"student": cast.alice.pk, "step": step_id(cast, 3)}]},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "recorded_on"


def _week(student, **minutes) -> dict:
    return {
        "student": student.pk,
        "week_start": _monday().isoformat(),
        "scheduled_minutes": 600,
        "valid_absence_minutes": 60,
        "invalid_absence_minutes": 30,
    } | minutes


def test_attendance_is_saved_and_a_repeat_overwrites(api, cast, integration, issue):
    token = issue("attendance:write")
    url = reverse("api:attendance_write", kwargs={"id": ensure_course(cast).course_group_a.pk})
    assert api.post(url, token, {"rows": [_week(cast.alice), _week(cast.adam)]}).json() == {"saved": 2}
    assert api.post(url, token, {"rows": [_week(cast.alice)]}).json() == {"saved": 1}
    week = AttendanceWeek.objects.get(student=cast.alice)
    assert (week.scheduled_minutes, week.invalid_absence_minutes, week.recorded_by) == (600, 30, integration.account)
    assert AttendanceWeek.objects.count() == 2


def test_bad_attendance_rows_save_nothing_and_are_named(api, cast, issue):
    token = issue("attendance:write")
    url = reverse("api:attendance_write", kwargs={"id": ensure_course(cast).course_group_a.pk})
    tuesday = (_monday() + datetime.timedelta(days=1)).isoformat()
    rows = [_week(cast.alice), _week(cast.adam, week_start=tuesday), _week(cast.bertil), _week(cast.alice)]
    response = api.post(url, token, {"rows": rows})
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert messages == ["Row 4: the same student and week as row 1"]
    response = api.post(url, token, {"rows": rows[:3]})
    messages = [e["message"] for e in response.json()["errors"]]
    # The attendance service's own messages, each naming the row.
    assert len(messages) == 2
    assert messages[0].startswith("Row 2:") and "Monday" in messages[0]
    assert messages[1].startswith("Row 3:") and "not in this course group" in messages[1]
    assert not AttendanceWeek.objects.exists()


def test_a_group_of_another_school_is_404(api, cast, issue):
    ensure_course(cast)
    other = make_group(cast.unit_b, StudentGroup.Kind.COURSE_GROUP, [cast.bertil])
    other.course = cast.course_group_a.course
    other.save()
    response = api.post(
        reverse("api:attendance_write", kwargs={"id": other.pk}),
        issue("attendance:write"),
        {"rows": [_week(cast.bertil)]},
    )
    assert response.status_code == 404
    assert not AttendanceWeek.objects.exists()
