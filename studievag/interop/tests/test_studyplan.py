"""The individual study plan as an SS 12000 StudyPlan, validated against the standard's schema."""

import datetime
import json

import pytest

from studievag.catalogue.models import Course, Subject
from studievag.interop.models import Connection, ExternalRecord
from studievag.interop.ss12000 import schema
from studievag.interop.studyplan import study_plan
from studievag.plans.models import CourseStatus
from studievag.plans.services import plan_create

pytestmark = pytest.mark.django_db


def courses():
    subject, _ = Subject.objects.get_or_create(
        school_type="GY", kind="courses", code="SVA", defaults={"name": "Svenska som andraspråk"}
    )
    grade, _ = Subject.objects.get_or_create(school_type="GR", code="MA", defaults={"name": "Matematik"})
    return [
        Course.objects.get_or_create(
            school_type="GY",
            kind="course",
            code="SVASVA01",
            defaults={"subject": subject, "name": "Svenska som andraspråk 1", "points": 100},
        )[0],
        Course.objects.get_or_create(
            school_type="GY",
            kind="course",
            code="SVASVA02",
            defaults={"subject": subject, "name": "Svenska som andraspråk 2", "points": 100},
        )[0],
        Course.objects.get_or_create(
            school_type="GR", code="GRGRMAT01", defaults={"subject": grade, "name": "Matematik"}
        )[0],
    ]


def make_plan(cast, student):
    courses_ = courses()
    return plan_create(
        acting_user=cast.mentor_a,
        student=student,
        reason="Första planen",
        fields={
            "study_path": "Svenska som andraspråk först, sedan yrkeskurser",
            "planned_start": datetime.date(2026, 8, 17),
            "planned_end": datetime.date(2027, 6, 11),
            "other_measures": "Studiehandledning på arabiska",
            "student_voice": "Jag vill bli undersköterska",
        },
        goals=[
            {"term": "short", "kind": "language", "title": "Svenska 1", "target_date": datetime.date(2026, 12, 20)},
            {"term": "long", "kind": "job", "title": "Bli undersköterska"},
        ],
        courses=[
            {"course": courses_[0], "term": "HT 2026", "status": CourseStatus.ONGOING},
            {"course": courses_[1], "term": "VT 2027", "status": CourseStatus.PLANNED},
            {"course": courses_[2], "term": "", "status": CourseStatus.DROPPED},
        ],
        internships=[{"workplace": "Skaraborgs sjukhus", "start_date": datetime.date(2027, 3, 1)}],
    )


def test_the_plan_is_a_valid_studyplan_with_goals_courses_and_notes(cast):
    plan = make_plan(cast, cast.alice)
    document = study_plan(plan)
    assert schema.errors("StudyPlan", document) == []
    assert (document["startDate"], document["endDate"]) == ("2026-08-17", "2027-06-11")
    assert document["student"]["displayName"] == "Alice Andersson"
    assert document["student"]["securityMarking"] == "Ingen"
    notes = [(n["type"], n["note"]) for n in document["notes"]]
    assert ("Elevens mål med studierna", "Short-term goal: Svenska 1 (2026-12-20)") in notes
    assert ("Elevens mål med studierna", "Long-term goal: Bli undersköterska") in notes
    assert ("Andra insatser som är gynnsamma för elevens kunskapsutveckling", "Studiehandledning på arabiska") in notes
    assert (
        "Andra insatser som är gynnsamma för elevens kunskapsutveckling",
        "Internship: Skaraborgs sjukhus, 2027-03-01–",
    ) in notes
    syllabuses = [s for block in document["content"] for s in block["syllabuses"]]
    assert len(syllabuses) == 3
    gy = next(b for b in document["content"] if b["title"] == "Upper secondary school")
    assert gy["points"] == 200
    assert [s["note"] for s in gy["syllabuses"]] == ["Ongoing, HT 2026", "Planned, VT 2027"]
    removed = [b for b in document["content"] if b.get("type") == "Borttagna"]
    assert len(removed) == 1 and len(removed[0]["syllabuses"]) == 1
    # Exported twice: the same document (stable ids).
    assert study_plan(plan) == document


def test_a_protected_student_is_exported_without_a_name(cast):
    document = study_plan(make_plan(cast, cast.protected))
    assert "displayName" not in document["student"]
    assert document["student"]["securityMarking"] in ("Sekretessmarkering", "Skyddad folkbokföring")
    text = json.dumps(document, ensure_ascii=False)
    assert cast.protected.full_name not in text and cast.protected.personal_identity_number not in text
    assert cast.protected.first_name not in text


def test_the_student_is_referred_to_by_the_registers_id_when_linked(cast):
    connection = Connection.objects.create(
        organiser=cast.organiser_a, base_url="https://r.example.se", credential_name="A"
    )
    ExternalRecord.objects.create(
        connection=connection,
        entity_type="person",
        external_id="7d3c0b8a-1e2f-4a5b-9c8d-0e1f2a3b4c05",
        local_kind="student",
        local_id=cast.alice.pk,
    )
    assert study_plan(make_plan(cast, cast.alice))["student"]["id"] == "7d3c0b8a-1e2f-4a5b-9c8d-0e1f2a3b4c05"


def test_support_needs_and_identity_numbers_never_leave(cast):
    text = json.dumps(study_plan(make_plan(cast, cast.alice)), ensure_ascii=False)
    assert cast.alice.personal_identity_number not in text


def test_the_export_page_sends_the_document_and_logs_the_read(cast, client):
    make_plan(cast, cast.alice)
    client.force_login(cast.mentor_a)
    response = client.get(f"/students/{cast.alice.pk}/plan/ss12000.json")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # personal data: never kept in a cache
    assert schema.errors("StudyPlan", response.json()) == []
    assert cast.alice.reads.filter(user=cast.mentor_a, part="plan").count() == 1


def test_a_student_without_a_plan_has_nothing_to_export(cast, client):
    client.force_login(cast.mentor_a)
    assert client.get(f"/students/{cast.adam.pk}/plan/ss12000.json").status_code == 404
