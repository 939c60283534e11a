"""Choosing courses and subject levels in the plan: gy25 by start date, search, names not keys, hours."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from studievag.catalogue.models import Course
from studievag.enrolments.models import Enrolment
from studievag.plans import rules, selectors
from studievag.plans.models import Plan
from studievag.plans.portable import plan_export, plan_import, schema_errors
from studievag.plans.services import local_course_add, plan_create

from .conftest import plan_post

pytestmark = pytest.mark.django_db

LEVEL = "Matematik nivå 1a (MATMAT01a, subject level)"
COURSE = "Matematik 1a (MATMAT01a, course)"
STAGE = "Svenska som andraspråk, årskurs 7–9 (GRGRSVA01, compulsory school)"


def _started(student, day: datetime.date) -> None:
    Enrolment.objects.filter(student=student).update(start_date=day)


@pytest.mark.parametrize(
    ("started", "grading"),
    [
        (datetime.date(2025, 6, 30), "courses"),
        (datetime.date(2025, 7, 1), "levels"),
        (datetime.date(2019, 8, 20), "courses"),
        (None, "levels"),  # no start known: starts now (2026)
    ],
)
def test_students_who_started_from_1_july_2025_read_subjects_at_levels(started, grading):
    assert rules.grading_for(started, on=datetime.date(2026, 11, 29)) == grading
    assert rules.grading_for(None, on=datetime.date(2025, 3, 1)) == "courses"


def test_the_rule_takes_the_plans_own_date_before_the_first_enrolment(cast):
    _started(cast.alice, datetime.date(2025, 8, 18))
    choice = selectors.course_choice_for(cast.alice, None, on=datetime.date(2026, 11, 29))
    expected = ("levels", datetime.date(2025, 8, 18), "enrolment")
    assert (choice.grading, choice.started, choice.started_source) == expected
    plan = plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Start",
        fields={"upper_secondary_started": datetime.date(2024, 8, 19)},
    )
    choice = selectors.course_choice_for(cast.alice, plan, on=datetime.date(2026, 11, 29))
    assert (choice.grading, choice.started_source) == ("courses", "plan")
    assert cast.organiser_a.pk in choice.organiser_ids


def test_a_gy25_student_gets_a_subject_level_chosen_by_name_and_a_course_is_refused(cast, login):
    _started(cast.alice, datetime.date(2025, 8, 18))
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    refused = client.post(url, plan_post(version=0, reason="Start", courses=[{"course": COURSE, "status": "planned"}]))
    assert refused.status_code == 200
    assert (
        "Matematik 1a is a course from before gy25. "
        "This student started upper-secondary education on 2025-08-18" in refused.content.decode()
    )
    assert not Plan.objects.exists()
    saved = client.post(
        url,
        plan_post(
            version=0,
            reason="Start",
            courses=[
                {"course": "matematik nivå 1a", "status": "ongoing", "weekly_hours": "5"},  # typed, not chosen
                {"course": STAGE, "status": "ongoing", "weekly_hours": "12.5"},
            ],
        ),
    )
    assert saved.status_code == 302, [line for line in saved.content.decode().splitlines() if "error" in line]
    rows = {c.course.label: c for c in Plan.objects.get().courses.select_related("course__subject")}
    assert rows["Matematik nivå 1a"].course.kind == "level"
    assert rows["Svenska som andraspråk, årskurs 7–9"].course.school_type == "GR"
    assert rows["Svenska som andraspråk, årskurs 7–9"].weekly_hours == Decimal("12.5")


def test_a_student_who_started_before_gy25_reads_courses_and_the_plans_date_overrides(cast, login):
    _started(cast.alice, datetime.date(2026, 8, 17))
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    # Started at another school in 2024: the date saved in the same form decides.
    response = client.post(
        url,
        plan_post(
            version=0,
            reason="Start",
            upper_secondary_started="2024-08-19",
            courses=[{"course": COURSE, "status": "planned"}],
        ),
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.upper_secondary_started == datetime.date(2024, 8, 19)
    assert plan.courses.get().course.kind == "course"
    refused = client.post(
        url,
        plan_post(
            version=1,
            reason="Mer",
            upper_secondary_started="2024-08-19",
            courses=[
                {"id": plan.courses.get().pk, "course": COURSE, "status": "planned"},
                {"course": LEVEL, "status": "planned"},
            ],
        ),
    )
    assert (
        "Matematik nivå 1a is a subject level (gy25). "
        "This student started upper-secondary education on 2024-08-19" in refused.content.decode()
    )


def test_a_course_already_in_the_plan_stays_when_the_student_reads_levels(cast, login):
    _started(cast.alice, datetime.date(2025, 9, 1))
    course = Course.objects.get(kind="course", code="MATMAT01a")
    plan = plan_create(acting_user=cast.mentor_a, student=cast.alice, reason="Start", courses=[{"course": course}])
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    page = client.get(url).content.decode()
    assert f'value="{COURSE}"' in page
    row = plan.courses.get()
    response = client.post(
        url,
        plan_post(
            version=1,
            reason="Timmar",
            courses=[{"id": row.pk, "course": COURSE, "status": "ongoing", "weekly_hours": "4"}],
        ),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.course, row.weekly_hours) == (course, Decimal("4"))


def test_the_form_shows_names_and_codes_never_internal_keys(cast, login):
    _started(cast.alice, datetime.date(2025, 9, 1))
    stage = Course.objects.get(school_type="GR", code="GRGRSVA01_7-9")
    plan_create(acting_user=cast.mentor_a, student=cast.alice, reason="Start", courses=[{"course": stage}])
    client = login(cast.mentor_a)
    page = client.get(reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})).content.decode()
    assert f'value="{STAGE}"' in page
    assert f'<option value="{LEVEL}">' in page and f'<option value="{COURSE}">' not in page
    assert "GR:GRGRSVA01_7-9" not in page and "GRGRSVA01_7-9" not in page
    detail = client.get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk})).content.decode()
    assert "Svenska som andraspråk, årskurs 7–9" in detail and "GRGRSVA01_7-9" not in detail


def test_an_unknown_or_ambiguous_name_is_named_back(cast, login):
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    page = client.post(url, plan_post(version=0, reason="x", courses=[{"course": "Basket", "status": "planned"}]))
    assert "Nothing in the catalogue is called “Basket”" in page.content.decode()
    # The stage name is the same in the compulsory school and the Sami and special schools:
    # compulsory school comes first.
    ok = client.post(
        url, plan_post(version=0, reason="x", courses=[{"course": "Bild, årskurs 7-9", "status": "planned"}])
    )
    assert ok.status_code == 302
    assert Plan.objects.get().courses.get().course.school_type == "GR"


def test_the_search_finds_by_name_or_code_and_follows_the_grading(cast, login):
    client = login(cast.mentor_a)
    url = reverse("plans:catalogue_search")
    levels = client.get(url, {"q": "matematik 1a", "grading": "levels"}).json()["results"]
    assert [r["choice"] for r in levels][:1] == [LEVEL]
    assert COURSE not in [r["choice"] for r in levels]
    courses = client.get(url, {"q": "MATMAT01a", "grading": "courses"}).json()["results"]
    assert courses[0] == {"choice": COURSE, "label": "Matematik 1a", "code": "MATMAT01a", "what": "course"}
    stage = client.get(url, {"q": "svenska andraspråk 7-9", "grading": "levels"}).json()["results"]
    assert stage[0]["choice"] == STAGE  # compulsory school before the Sami and special schools
    assert all("GRGRSVA01_7-9" not in str(r) for r in stage)
    # Compulsory school's last stage, what an introduction programme reads, before the earlier ones.
    first = client.get(url, {"q": "svenska som andraspråk", "grading": "levels"}).json()["results"][0]
    assert first["choice"] == STAGE
    assert client.get(url, {"q": ""}).json()["results"] == []


def test_the_search_offers_local_courses_only_of_the_users_own_organisers(cast, login):
    for organiser, code in ((cast.organiser_a, "A"), (cast.organiser_b, "B")):
        local_course_add(
            acting_user=cast.principal_a,
            organiser=organiser,
            code=f"TRUCK{code}",
            name=f"Truckkort {code}",
            subject_name="Truck",
        )
    found = login(cast.mentor_a).get(reverse("plans:catalogue_search"), {"q": "truckkort"}).json()["results"]
    assert [(r["label"], r["what"]) for r in found] == [("Truckkort A", "local course")]


@pytest.mark.parametrize("who", ["student", "guardian", "organiser_analyst", "admin"])
def test_the_search_is_for_staff_who_work_with_plans(cast, login, who):
    user = cast.by_role()[who]
    response = login(user).get(reverse("plans:catalogue_search"), {"q": "matematik"})
    assert response.status_code in (403, 404)


def test_the_plan_counts_ongoing_courses_without_hours(cast, login):
    rows = [
        {
            "course": Course.objects.get(kind="level", code="MATMAT01a"),
            "status": "ongoing",
            "weekly_hours": Decimal("20"),
        },
        {"course": Course.objects.get(kind="level", code="ENGENG01"), "status": "ongoing"},
        {"course": Course.objects.get(kind="level", code="SVASVA01"), "status": "ongoing"},
    ]
    plan_create(acting_user=cast.mentor_a, student=cast.alice, reason="Start", courses=rows)
    page = login(cast.mentor_a).get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk}))
    assert page.context["hours_missing"] == 2
    text = page.content.decode()
    assert "Not full-time: 20 hours a week planned in the ongoing courses (full-time is 23)." in text
    assert "2 ongoing courses have no hours a week." in text


def test_a_level_and_a_course_with_the_same_code_survive_export_and_import(cast, login):
    level = Course.objects.get(kind="level", code="MATMAT01a")
    course = Course.objects.get(kind="course", code="MATMAT01a")
    plan = plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Start",
        fields={"upper_secondary_started": datetime.date(2025, 8, 18)},
        courses=[{"course": level, "status": "ongoing"}, {"course": course, "status": "completed"}],
    )
    data = plan_export(plan)
    assert schema_errors(data) == []
    rows = sorted((c["code"], c.get("kind", "")) for c in data["plan"]["courses"])
    assert rows == [("MATMAT01a", ""), ("MATMAT01a", "level")]
    assert data["plan"]["upper_secondary_started"] == "2025-08-18"
    Plan.objects.filter(pk=plan.pk).delete()
    result = plan_import(acting_user=cast.principal_a, student=cast.alice, raw=json.dumps(data).encode())
    assert result.errors == []
    imported = Plan.objects.get(student=cast.alice)
    assert {c.course for c in imported.courses.all()} == {level, course}
    assert imported.upper_secondary_started == datetime.date(2025, 8, 18)


def test_the_form_shows_the_start_override_and_a_save_keeps_it(cast, login):
    _started(cast.alice, datetime.date(2026, 8, 17))
    plan = plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Start",
        fields={"upper_secondary_started": datetime.date(2024, 8, 19)},
    )
    client = login(cast.mentor_a)
    url = reverse("plans:plan_edit", kwargs={"pk": cast.alice.pk})
    page = client.get(url).content.decode()
    assert 'name="upper_secondary_started" value="2024-08-19"' in page
    assert "Courses (before gy25)." in page and "as filled in above" in page
    client.post(url, plan_post(version=1, reason="Ny väg", study_path="Ny", upper_secondary_started="2024-08-19"))
    plan.refresh_from_db()
    assert (plan.version, plan.upper_secondary_started) == (2, datetime.date(2024, 8, 19))
