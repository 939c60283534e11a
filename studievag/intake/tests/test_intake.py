"""The mapping at intake: recorded by staff with access, shown on the record; support needs
only to those with need to know, every read logged."""

import pytest
from django.urls import reverse

from studievag.audit.models import RecordRead
from studievag.enrolments.models import GroupMembership
from studievag.intake.models import IntakeMapping
from studievag.progress.tests.helpers import ensure_course, maths_step
from studievag.support.models import SupportNeedsEntry

FORM = {
    "mapped_on": "2026-09-01",
    "compulsory_school_completed": "false",
    "compulsory_grades": "Ma E, En C",
    "merit_value": "145.5",
    "parents_education": "upper_secondary",
    "literacy": "functional",
    "literacy_languages": "arabiska, svenska",
    "numeracy": "emerging",
    "earlier_work": "Butik",
    "interests": "Fotboll",
    "own_goals": "Bli behörig till VO",
    "well_being": "good",
    "well_being_note": "",
}


def test_the_counsellor_records_the_mapping_with_a_starting_level(cast, login):
    ensure_course(cast)
    subject = cast.course_group_a.course.subject
    client = login(cast.counsellor_a)
    form = client.get(reverse("intake:edit", args=[cast.alice.pk])).content.decode()
    assert "Starting level in Matematik" in form
    response = client.post(
        reverse("intake:edit", args=[cast.alice.pk]), {**FORM, f"level_{subject.pk}": maths_step(2).pk}, follow=True
    )
    html = response.content.decode()
    assert "The mapping at intake was saved." in html
    mapping = IntakeMapping.objects.get(student=cast.alice)
    assert (mapping.merit_value, mapping.parents_education, mapping.recorded_by) == (
        145.5,
        "upper_secondary",
        cast.counsellor_a,
    )
    assert [(lv.subject, lv.step.position) for lv in mapping.starting_levels.all()] == [(subject, 2)]
    # Shown on the student's record.
    assert "Mapping at intake" in html and "2. Grundläggande" in html and "145.5" in html


def test_a_merit_value_above_340_is_refused(cast, login):
    response = login(cast.mentor_a).post(reverse("intake:edit", args=[cast.alice.pk]), {**FORM, "merit_value": "341"})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 340." in response.content.decode()
    assert not IntakeMapping.objects.exists()


def test_a_starting_level_from_another_scale_is_refused(cast, login):
    from studievag.scales.models import ProgressionStep

    ensure_course(cast)
    subject = cast.course_group_a.course.subject
    english_step = ProgressionStep.objects.get(scale__name="Engelska", position=1)
    response = login(cast.counsellor_a).post(
        reverse("intake:edit", args=[cast.alice.pk]), {**FORM, f"level_{subject.pk}": english_step.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not IntakeMapping.objects.exists()


def test_a_teacher_reads_the_mapping_but_cannot_record_it(cast, login):
    client = login(cast.teacher_a)
    assert client.post(reverse("intake:edit", args=[cast.alice.pk]), FORM).status_code == 403
    assert not IntakeMapping.objects.exists()
    html = client.get(reverse("people:student_detail", args=[cast.alice.pk])).content.decode()
    assert "No mapping at intake has been recorded." in html
    assert reverse("intake:edit", args=[cast.alice.pk]) not in html
    assert reverse("support:needs", args=[cast.alice.pk]) not in html


def test_mentor_b_cannot_map_a_student_at_school_a(cast, login):
    response = login(cast.mentor_b).post(reverse("intake:edit", args=[cast.alice.pk]), FORM)
    assert response.status_code == 404
    assert not IntakeMapping.objects.exists()


def test_support_needs_are_recorded_and_every_read_is_logged(cast, login):
    client = login(cast.health_a)
    client.post(
        reverse("support:needs", args=[cast.alice.pk]),
        {"text": "Behöver uppläst text vid prov.", "reason": "Kartläggning"},
    )
    assert SupportNeedsEntry.objects.get(student=cast.alice).author == cast.health_a
    mentor = login(cast.mentor_a)
    html = mentor.get(reverse("support:needs", args=[cast.alice.pk])).content.decode()
    assert "Behöver uppläst text vid prov." in html
    assert RecordRead.objects.filter(student=cast.alice, part="support_needs", user=cast.mentor_a).count() == 1


@pytest.mark.parametrize("who", ["counsellor_a", "teacher_a", "mentor_b"])
def test_support_needs_are_not_for_others(cast, login, who):
    SupportNeedsEntry.objects.create(student=cast.alice, text="Känsligt", author=cast.health_a, reason="EHT")
    response = login(getattr(cast, who)).get(reverse("support:needs", args=[cast.alice.pk]))
    assert response.status_code == 404
    assert not RecordRead.objects.filter(part="support_needs").exists()
    html = login(getattr(cast, who)).get(reverse("people:student_detail", args=[cast.alice.pk]))
    assert "Känsligt" not in html.content.decode()


def test_the_mapping_page_offers_levels_only_for_the_students_courses(cast, login):
    ensure_course(cast)
    GroupMembership.objects.filter(student=cast.alice, group=cast.course_group_a).delete()
    html = login(cast.counsellor_a).get(reverse("intake:edit", args=[cast.alice.pk])).content.decode()
    assert "Starting level in" not in html
    assert "The student is in no course group yet" in html
