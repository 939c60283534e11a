"""No accidental or duplicate writes: grades by explicit choice with a reason to change
them, history of every change, and forms that save once however often they are sent."""

import json
import uuid

from django.urls import reverse

from studievag.progress.models import GradeRecord, ProgressRecord, TeamDecision

from .helpers import maths_step


def api(client, group, payload):
    return client.post(
        reverse("progress:record_api", args=[group.pk]), json.dumps(payload), content_type="application/json"
    )


def test_the_same_grade_twice_is_one_grade(cast, maths, login):
    client = login(cast.teacher_a)
    api(client, maths, {"student": cast.alice.pk, "grade": "A"})
    api(client, maths, {"student": cast.alice.pk, "grade": "A"})
    assert list(GradeRecord.objects.values_list("grade", flat=True)) == ["A"]
    assert GradeRecord.history.count() == 1


def test_changing_a_grade_needs_a_reason_and_keeps_the_history(cast, maths, login):
    client = login(cast.teacher_a)
    api(client, maths, {"student": cast.alice.pk, "grade": "A"})
    response = api(client, maths, {"student": cast.alice.pk, "grade": "B"})
    assert response.status_code == 400
    assert "say why it is changed" in json.dumps(response.json()["errors"])
    assert list(GradeRecord.objects.values_list("grade", flat=True)) == ["A"]

    response = api(client, maths, {"student": cast.alice.pk, "grade": "B", "reason": "Fel elev markerad"})
    assert response.status_code == 200
    assert list(GradeRecord.objects.values_list("grade", flat=True)) == ["B"]
    history = list(
        GradeRecord.history.order_by("history_id").values_list("grade", "history_user", "history_change_reason")
    )
    assert history == [("A", cast.teacher_a.pk, None), ("B", cast.teacher_a.pk, "Fel elev markerad")]


def test_a_grade_can_be_removed_with_a_reason(cast, maths, login):
    client = login(cast.teacher_a)
    api(client, maths, {"student": cast.alice.pk, "grade": "A"})
    assert api(client, maths, {"student": cast.alice.pk, "grade": "remove"}).status_code == 400
    assert GradeRecord.objects.count() == 1
    response = api(client, maths, {"student": cast.alice.pk, "grade": "remove", "reason": "Satt av misstag"})
    assert response.status_code == 200
    assert response.json()["grade"] is None
    assert not GradeRecord.objects.exists()
    removed = GradeRecord.history.latest("history_id")
    assert (removed.history_type, removed.grade, removed.history_change_reason) == ("-", "A", "Satt av misstag")


def test_the_same_step_again_writes_nothing_and_a_correction_keeps_the_earlier_value(cast, maths, login):
    client = login(cast.teacher_a)
    for position in (2, 2, 2, 3):
        api(client, maths, {"student": cast.alice.pk, "step": maths_step(position).pk})
    assert list(ProgressRecord.objects.values_list("step__position", flat=True)) == [3]
    history = list(ProgressRecord.history.order_by("history_id").values_list("step__position", "history_user"))
    assert history == [(2, cast.teacher_a.pk), (3, cast.teacher_a.pk)]


def test_the_grid_page_saves_grades_only_with_the_button(cast, maths, login):
    html = login(cast.teacher_a).get(reverse("progress:grid", args=[maths.pk])).content.decode()
    assert "grade-save" in html
    script = maths and open("studievag/progress/static/progress/grid.js", encoding="utf-8").read()
    # The list's change event (fired by arrow keys on a closed list) saves nothing.
    assert 'classList.contains("grade-select")' not in script
    assert '"ArrowLeft"' in script and '"ArrowRight"' in script


def test_a_team_decision_sent_twice_is_saved_once(cast, login):
    client = login(cast.mentor_a)
    url = reverse(
        "progress:decision_create", kwargs={"kind": "group", "pk": cast.mentor_group_a.pk, "student": cast.alice.pk}
    )
    key = str(uuid.uuid4())
    data = {"kind": "talk", "text": "Samtal om närvaron.", "submission_key": key}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert TeamDecision.objects.count() == 1
    client.post(url, {**data, "submission_key": str(uuid.uuid4())})
    assert TeamDecision.objects.count() == 2


def test_every_decision_form_on_the_overview_has_its_own_key(cast, login):
    html = login(cast.mentor_a).get(reverse("progress:team_group", kwargs={"pk": cast.mentor_group_a.pk})).content
    keys = [line for line in html.decode().split('name="submission_key" value="')[1:]]
    assert len(keys) == 3
    assert len({k[:36] for k in keys}) == 3
