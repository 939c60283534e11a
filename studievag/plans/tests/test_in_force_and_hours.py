"""The plan for education in force on the plan's date; planned hours and full-time study;
guidance linked to the plan."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.organisations.models import Programme
from studievag.plans import rules
from studievag.plans.models import EducationPlan, Guidance
from studievag.plans.services import guidance_record, plan_create, plan_revise

D = datetime.date


@dataclass
class V:
    version: int
    valid_from: datetime.date


def test_the_version_in_force_is_the_latest_started_one():
    versions = [V(1, D(2025, 8, 1)), V(2, D(2026, 1, 1)), V(3, D(2027, 1, 1))]
    assert rules.in_force(versions, D(2025, 7, 31)) is None
    assert rules.in_force(versions, D(2025, 8, 1)).version == 1
    assert rules.in_force(versions, D(2025, 12, 31)).version == 1
    assert rules.in_force(versions, D(2026, 1, 1)).version == 2
    # Version 3 is published ahead: not in force until it starts.
    assert rules.in_force(versions, D(2026, 11, 29)).version == 2
    # Two versions from the same day: the higher number wins.
    assert rules.in_force([V(4, D(2026, 1, 1)), V(5, D(2026, 1, 1))], D(2026, 2, 1)).version == 5
    # A later version made valid from an earlier day does not replace one that started after it.
    assert rules.in_force([V(1, D(2026, 1, 1)), V(2, D(2025, 8, 1))], D(2026, 2, 1)).version == 1


def test_a_plan_shows_the_version_in_force_on_its_date(cast, login):
    ims = Programme.objects.get(code="IMS")
    for version, valid_from in [(1, D(2025, 8, 1)), (2, D(2026, 1, 1)), (3, D(2099, 1, 1))]:
        EducationPlan.objects.create(
            organiser=cast.organiser_a,
            programme=ims,
            version=version,
            title=f"Plan v{version}",
            body="…",
            valid_from=valid_from,
        )
    at = datetime.datetime(2025, 10, 1, 12, tzinfo=datetime.UTC)
    plan = plan_create(acting_user=cast.mentor_a, student=cast.alice, reason="Första", at=at)
    assert plan.education_plan().version == 1
    assert plan.revisions.get(version=1).snapshot["education_plan"] == "Plan v1 (v1)"
    plan_revise(
        acting_user=cast.mentor_a,
        plan=plan,
        expected_version=1,
        reason="Ny termin",
        fields={"study_path": "Svenska först"},
        at=datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC),
    )
    plan.refresh_from_db()
    assert plan.education_plan().version == 2
    assert plan.education_plan(on=D(2025, 9, 1)).version == 1
    page = login(cast.mentor_a).get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk}))
    assert page.context["education_plan"].version == 2


@pytest.mark.parametrize(
    ("courses", "hours", "load"),
    [
        ([("ongoing", Decimal("12")), ("ongoing", Decimal("11"))], 23.0, "full_time"),
        ([("ongoing", Decimal("12")), ("ongoing", Decimal("10.5")), ("planned", Decimal("8"))], 22.5, "part_time"),
        ([("ongoing", None), ("completed", Decimal("20"))], None, "not_planned"),
        ([], None, "not_planned"),
    ],
)
def test_full_time_is_23_planned_hours_a_week_in_the_ongoing_courses(courses, hours, load):
    assert rules.weekly_hours(courses) == hours
    assert rules.study_load(rules.weekly_hours(courses)) == load


def test_hours_are_saved_compared_and_shown(cast, login):
    catalogue_ensure_core()
    courses = list(Course.objects.filter(school_type="GR", code__in=["GRGRMAT01_7-9", "GRGRSVA01_7-9"]))
    assert len(courses) == 2
    plan = plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Första",
        courses=[
            {"course": courses[0], "status": "ongoing", "weekly_hours": Decimal("15")},
            {"course": courses[1], "status": "ongoing", "weekly_hours": Decimal("8.5")},
        ],
    )
    snapshot = plan.revisions.get().snapshot
    assert sorted(c["weekly_hours"] for c in snapshot["courses"]) == ["15.0", "8.5"]
    page = login(cast.mentor_a).get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk}))
    assert page.context["study_load"] == "full_time"
    assert page.context["weekly_hours"] == 23.5
    assert "Full-time study: 23.5 hours a week" in page.content.decode()


def test_group_guidance_is_linked_to_every_participants_plan(cast, login):
    alice = plan_create(acting_user=cast.mentor_a, student=cast.alice, reason="Första")
    adam = plan_create(acting_user=cast.mentor_a, student=cast.adam, reason="Första")
    client = login(cast.counsellor_a)
    url = reverse("plans:guidance_create", kwargs={"pk": cast.alice.pk})
    form = client.get(url).context["form"]
    # Students at the same school unit with a plan the counsellor may see.
    assert [pk for pk, _label in form.fields["others"].choices] == [cast.adam.pk]
    response = client.post(
        url, {"kind": "group", "held_on": "2026-02-03", "topic": "Nationella program", "others": [cast.adam.pk]}
    )
    assert response.status_code == 302
    guidance = Guidance.objects.get()
    assert sorted(guidance.participants.values_list("plan_id", flat=True)) == sorted([alice.pk, adam.pk])
    # Group guidance with no one else is refused, and nothing is written.
    response = client.post(url, {"kind": "group", "held_on": "2026-02-03", "topic": "X"})
    assert response.status_code == 200
    assert Guidance.objects.count() == 1
    # The mentor may not record guidance.
    assert (
        login(cast.mentor_a).post(url, {"kind": "individual", "held_on": "2026-02-03", "topic": "X"}).status_code == 403
    )
    assert Guidance.objects.count() == 1
    with pytest.raises(ValidationError):
        guidance_record(
            acting_user=cast.counsellor_a, plans=[alice], kind="individual", held_on=D(2099, 1, 1), topic="X"
        )


def test_hours_take_a_decimal_comma_in_swedish(db):
    from django.utils import translation

    from studievag.plans.forms import CourseCatalogue, CourseForm
    from studievag.plans.selectors import CourseChoice

    catalogue_ensure_core()
    catalogue = CourseCatalogue(CourseChoice("levels", None, "", ()))
    with translation.override("sv"):
        typed = {"course": "matematik, årskurs 7-9", "status": "ongoing", "weekly_hours": "7,5"}
        form = CourseForm(typed, catalogue=catalogue)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["weekly_hours"] == Decimal("7.5")
        assert form.cleaned_data["course"].label == "Matematik, årskurs 7–9"
        too_many = {"course": "GRGRMAT01_7-9", "status": "ongoing", "weekly_hours": "41"}
        assert not CourseForm(too_many, catalogue=catalogue).is_valid()


def test_the_student_reads_the_planned_hours_in_arabic(cast, client, settings):
    catalogue_ensure_core()
    course = Course.objects.get(school_type="GR", code="GRGRMAT01_7-9")
    plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Första",
        courses=[{"course": course, "status": "ongoing", "weekly_hours": Decimal("10")}],
    )
    client.force_login(cast.student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(reverse("plans:family_plan", kwargs={"pk": cast.alice.pk})).content.decode()
    assert "ليست بدوام كامل" in page  # not full-time: 10 hours a week
    pdf = client.get(reverse("plans:family_plan_pdf", kwargs={"pk": cast.alice.pk}))
    assert pdf.status_code == 200
