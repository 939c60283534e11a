"""What the read endpoints answer, and the read log they leave (once per call, the parts read,
the integration named)."""

from django.urls import reverse

from studievag.audit.models import RecordRead
from studievag.quality.linked import level_figures
from studievag.quality.periods import term_of
from studievag.quality.selectors import Level

from .endpoints import alice_with_plan, handover


def _reads(**filters) -> list[tuple[int, str]]:
    return sorted(RecordRead.objects.filter(**filters).values_list("student_id", "part"))


def test_one_student_is_logged_once_per_call_with_the_parts_read(api, cast, integration, issue):
    token = issue("students:read")
    url = reverse("api:student", kwargs={"id": cast.alice.pk})
    body = api.get(url, token).json()
    assert body["first_name"] == "Alice"
    assert [e["school_unit"]["name"] for e in body["enrolments"]] == ["Skola A IM"]
    assert {g["name"] for g in body["groups"]} == {"Mentorsgrupp A", "Matematik A"}
    row = RecordRead.objects.filter(student=cast.alice).first()
    assert (row.user, row.via, row.roles, row.username) == (
        integration.account,
        "Skolplattformen",
        "principal",
        integration.account.username,
    )
    assert _reads() == [(cast.alice.pk, "enrolments"), (cast.alice.pk, "record")]
    api.get(url, token)
    assert len(_reads()) == 4  # a second call is a second read


def test_the_list_logs_the_students_of_the_page_it_returns(api, cast, issue):
    token = issue("students:read")
    body = api.get(reverse("api:students"), token, {"limit": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert _reads() == sorted((s["id"], "record") for s in body["results"])


def test_the_list_filters_as_the_page_does(api, cast, issue):
    token = issue("students:read")
    body = api.get(reverse("api:students"), token, {"q": "Alice"}).json()
    assert [s["id"] for s in body["results"]] == [cast.alice.pk]
    body = api.get(reverse("api:students"), token, {"group": cast.course_group_a.pk}).json()
    assert {s["id"] for s in body["results"]} == {cast.alice.pk, cast.adam.pk}


def test_an_unknown_parameter_is_a_400_naming_it(api, cast, issue):
    response = api.get(reverse("api:students"), issue("students:read"), {"programm": "IMS"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "programm", "message": "This endpoint takes no such parameter."}]
    assert _reads() == []


def test_the_plan_is_the_portable_document_and_logged(api, cast, issue):
    url = reverse("api:plan", kwargs=alice_with_plan(cast))
    body = api.get(url, issue("plans:read")).json()
    assert body["format"] == "studievag.plan/1"
    assert body["plan"]["study_path"] == "SvA först"
    assert _reads() == [(cast.alice.pk, "plan")]


def test_no_plan_is_404(api, cast, issue):
    response = api.get(reverse("api:plan", kwargs={"id": cast.adam.pk}), issue("plans:read"))
    assert response.status_code == 404
    assert response.json()["detail"] == "The student has no study plan yet."


def test_progression_is_logged_as_record_and_progress(api, cast, issue):
    body = api.get(reverse("api:progress", kwargs={"id": cast.alice.pk}), issue("progress:read")).json()
    assert body["student_id"] == cast.alice.pk
    assert _reads() == [(cast.alice.pk, "progress"), (cast.alice.pk, "record")]


def test_handovers_received_with_content_and_the_linked_student_logged(api, cast, issue):
    token = issue("handovers:read")
    pk = handover(cast)["id"]
    listed = api.get(reverse("api:handovers"), token).json()
    assert [h["id"] for h in listed] == [pk]
    assert "grades" not in listed[0]
    one = api.get(reverse("api:handover", kwargs={"id": pk}), token).json()
    assert one["grades"] == "Ma E, En C, SvA E"
    assert one["student_id"] == cast.alice.pk
    assert _reads(part="handover") == [(cast.alice.pk, "handover"), (cast.alice.pk, "handover")]


def test_report_figures_are_the_pages_figures_with_small_numbers_hidden(api, cast, integration, issue):
    token = issue("reports:read")
    levels = api.get(reverse("api:report_levels"), token).json()
    assert [lv["code"] for lv in levels] == [f"unit:{cast.unit_a.pk}"]
    body = api.get(reverse("api:report"), token, {"dim1": "gender"}).json()
    students = next(i for i in body["indicators"] if i["id"] == "students")
    page = level_figures(
        integration.account,
        Level("unit", cast.unit_a.pk, ""),
        term_of(cast.alice.enrolments.first().start_date.today()),
        dims=("gender",),
    )["students"]
    assert [[c["text"] for c in row] for row in students["cells"]] == [[f.text for f in row] for row in page.cells]
    total = students["cells"][-1][-1]
    # Three students at school A: under the limit of five, so hidden, with no value given away.
    assert (total["text"], total["hidden"], total["value"]) == ("..", True, None)


def test_a_level_the_account_may_not_see_is_404(api, cast, issue):
    response = api.get(reverse("api:report"), issue("reports:read"), {"level": f"unit:{cast.unit_b.pk}"})
    assert response.status_code == 404
