"""The progression grid: the form, the JSON endpoint, and what a bad post leaves behind."""

import json

from django.urls import reverse

from studievag.progress.models import GradeRecord, ProgressRecord

from .helpers import maths_step


def api(client, group, payload, content_type="application/json"):
    return client.post(
        reverse("progress:record_api", args=[group.pk]),
        json.dumps(payload) if content_type == "application/json" else payload,
        content_type=content_type,
    )


def test_grid_lists_the_group_with_the_maths_scale(cast, maths, login):
    response = login(cast.teacher_a).get(reverse("progress:grid", args=[maths.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Andersson" in html and "Adam Abdi" in html
    assert "Taluppfattning" in html and "★ goal" in html
    assert "Bertil" not in html
    assert "progress/grid.js" in html


def test_json_endpoint_records_a_step_and_answers_the_standing(cast, maths, login, today):
    client = login(cast.teacher_a)
    response = api(client, maths, {"student": cast.alice.pk, "step": maths_step(2).pk})
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["step"] == {"id": maths_step(2).pk, "position": 2, "label": "Grundläggande"}
    assert data["status"] == "in_line"
    assert data["status_label"] == "In line"
    record = ProgressRecord.objects.get()
    assert (record.student, record.step.position, record.recorded_on, record.recorded_by) == (
        cast.alice,
        2,
        today,
        cast.teacher_a,
    )


def test_recording_again_the_same_day_corrects_that_days_record(cast, maths, login, record):
    earlier = record(cast.alice, 1, days_ago=14)
    client = login(cast.teacher_a)
    api(client, maths, {"student": cast.alice.pk, "step": maths_step(2).pk})
    api(client, maths, {"student": cast.alice.pk, "step": maths_step(3).pk})
    rows = list(ProgressRecord.objects.order_by("recorded_on").values_list("recorded_on", "step__position"))
    assert rows == [(earlier.recorded_on, 1), (rows[1][0], 3)]


def test_a_step_from_another_scale_is_refused_and_nothing_saved(cast, maths, login):
    from studievag.scales.models import ProgressionStep

    english_step = ProgressionStep.objects.get(scale__name="Engelska", position=2)
    response = api(login(cast.teacher_a), maths, {"student": cast.alice.pk, "step": english_step.pk})
    assert response.status_code == 400
    assert response.json() == {"ok": False, "errors": {"step": ["That step is not on this course's scale."]}}
    assert not ProgressRecord.objects.exists()


def test_bad_json_and_missing_step_are_clear_errors(cast, maths, login):
    client = login(cast.teacher_a)
    response = client.post(
        reverse("progress:record_api", args=[maths.pk]), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["Send a JSON object."]}
    response = api(client, maths, {"student": cast.alice.pk})
    assert response.status_code == 400
    assert response.json()["errors"] == {"step": ["Send a step or a grade."]}
    assert not ProgressRecord.objects.exists()


def test_a_student_outside_the_group_is_404_and_nothing_saved(cast, maths, login):
    client = login(cast.teacher_a)
    for student in (cast.bertil, cast.protected):  # other school; same school, not in the group
        response = api(client, maths, {"student": student.pk, "step": maths_step(2).pk})
        assert response.status_code == 404
    assert not ProgressRecord.objects.exists()


def test_a_teacher_of_another_group_cannot_post_to_this_one(cast, maths, login):
    from studievag.access.models import Role
    from studievag.enrolments.models import StudentGroup
    from studievag.testing import assign, make_group, make_user

    other = make_user("teacher_b")
    assign(other, Role.TEACHER, group=make_group(cast.unit_b, StudentGroup.Kind.COURSE_GROUP, [cast.bertil]))
    response = api(login(other), maths, {"student": cast.alice.pk, "step": maths_step(2).pk})
    assert response.status_code == 404
    assert not ProgressRecord.objects.exists()


def test_grades_are_recorded_when_awarded(cast, maths, login, today):
    client = login(cast.teacher_a)
    response = api(client, maths, {"student": cast.adam.pk, "grade": "C"})
    assert response.json()["grade"] == "C"
    assert list(GradeRecord.objects.values_list("student", "grade", "awarded_on")) == [(cast.adam.pk, "C", today)]
    response = api(client, maths, {"student": cast.adam.pk, "grade": "G"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"grade": ["A grade is A, B, C, D, E, F or “-”."]}
    assert GradeRecord.objects.count() == 1


def test_the_form_saves_changed_rows_without_javascript(cast, maths, login, record):
    record(cast.adam, 2, days_ago=14)
    client = login(cast.teacher_a)
    response = client.post(
        reverse("progress:grid", args=[maths.pk]),
        {
            f"step-{cast.alice.pk}": maths_step(3).pk,
            f"step-{cast.adam.pk}": maths_step(2).pk,  # unchanged: no new record
            f"grade-{cast.adam.pk}": "",
        },
        follow=True,
    )
    assert "1 change saved." in response.content.decode()
    assert list(
        ProgressRecord.objects.order_by("student__first_name").values_list("student__first_name", "step__position")
    ) == [("Adam", 2), ("Alice", 3)]


def test_a_bad_value_in_the_form_saves_nothing(cast, maths, login):
    client = login(cast.teacher_a)
    response = client.post(
        reverse("progress:grid", args=[maths.pk]),
        {
            f"step-{cast.alice.pk}": maths_step(3).pk,
            f"grade-{cast.adam.pk}": "Q",
        },
    )
    assert response.status_code == 400
    assert "A grade is A, B, C, D, E, F" in response.content.decode()
    assert not ProgressRecord.objects.exists()
    assert not GradeRecord.objects.exists()


def test_the_form_with_an_outside_student_is_404_and_saves_nothing(cast, maths, login):
    client = login(cast.teacher_a)
    response = client.post(
        reverse("progress:grid", args=[maths.pk]),
        {
            f"step-{cast.alice.pk}": maths_step(3).pk,
            f"step-{cast.bertil.pk}": maths_step(3).pk,
        },
    )
    assert response.status_code == 404
    assert not ProgressRecord.objects.exists()


def test_a_starting_level_is_marked_but_not_recorded_by_an_untouched_form(cast, maths, login, today):
    from studievag.intake.models import IntakeMapping, StartingLevel

    mapping = IntakeMapping.objects.create(student=cast.alice, mapped_on=today, recorded_by=cast.counsellor_a)
    StartingLevel.objects.create(mapping=mapping, subject=maths.course.subject, step=maths_step(2))
    client = login(cast.teacher_a)
    html = client.get(reverse("progress:grid", args=[maths.pk])).content.decode()
    alice_row = html.split(f'<tr data-student="{cast.alice.pk}">')[1].split("</tr>")[0]
    assert 'class="start-mark"' in alice_row and " checked" not in alice_row
    client.post(reverse("progress:grid", args=[maths.pk]), {f"grade-{cast.alice.pk}": ""})
    assert not ProgressRecord.objects.exists()
