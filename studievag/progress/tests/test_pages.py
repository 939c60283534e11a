"""The progression pages (staff and family), the settings page and the definitions."""

from decimal import Decimal

from django.urls import reverse

from studievag.audit.models import RecordRead
from studievag.progress.models import FollowUpSettings


def test_the_staff_page_shows_steps_the_line_and_attendance(cast, maths, login, record):
    record(cast.alice, 1, days_ago=40)
    record(cast.alice, 2, days_ago=10)
    response = login(cast.teacher_a).get(reverse("progress:student", args=[cast.alice.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="progress-data"' in html and "chart.umd.min.js" in html
    data = response.context["chart_data"]
    [course] = data["courses"]
    assert course["name"] == "Matematik"
    assert [r["position"] for r in course["records"]] == [1, 2]
    assert [p["position"] for p in course["line"]] == [1, 5]
    assert "1. Taluppfattning" in html and "2. Grundläggande" in html
    assert RecordRead.objects.filter(student=cast.alice, part="progress", user=cast.teacher_a).exists()


def test_the_family_page_speaks_arabic_right_to_left(cast, maths, login, record):
    record(cast.alice, 2, days_ago=3)
    client = login(cast.guardian)
    response = client.get(reverse("progress:family_student", args=[cast.alice.pk]), HTTP_ACCEPT_LANGUAGE="ar")
    client.cookies["django_language"] = "ar"
    response = client.get(reverse("progress:family_student", args=[cast.alice.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "Matematik" in html
    assert RecordRead.objects.filter(student=cast.alice, part="progress", user=cast.guardian).exists()


def test_the_student_reads_their_own_page(cast, maths, login):
    html = login(cast.student).get(reverse("progress:family_student", args=[cast.alice.pk])).content.decode()
    assert "How your studies are going" in html


def test_settings_are_saved_per_organiser_and_change_the_signals(cast, login):
    client = login(cast.principal_a)
    response = client.post(
        reverse("progress:settings"),
        {
            "behind_steps": "0.8",
            "far_behind_steps": "2.0",
            "default_course_weeks": "18",
            "attendance_percent": "85",
            "attendance_weeks": "3",
            "no_progress_weeks": "5",
        },
        follow=True,
    )
    assert "The thresholds were saved." in response.content.decode()
    saved = FollowUpSettings.objects.get(organiser=cast.organiser_a)
    assert (saved.behind_steps, saved.far_behind_steps, saved.attendance_percent, saved.updated_by) == (
        Decimal("0.8"),
        Decimal("2.0"),
        85,
        cast.principal_a,
    )


def test_far_behind_nearer_than_behind_is_refused(cast, login):
    response = login(cast.analyst).post(
        reverse("progress:settings"),
        {
            "behind_steps": "2",
            "far_behind_steps": "1",
            "default_course_weeks": "20",
            "attendance_percent": "80",
            "attendance_weeks": "4",
            "no_progress_weeks": "4",
        },
    )
    assert response.status_code == 200
    assert "Far behind must be at least as far as behind." in response.content.decode()
    assert not FollowUpSettings.objects.exists()


def test_settings_list_the_shipped_scales(cast, login):
    html = login(cast.analyst).get(reverse("progress:settings")).content.decode()
    for name in ("Svenska som andraspråk", "Matematik", "Engelska", "Allmän skala"):
        assert name in html


def test_the_definitions_page_explains_the_rule_and_thresholds(cast, login):
    html = login(cast.teacher_a).get(reverse("progress:help")).content.decode()
    assert "In line with the course goal" in html
    assert "more than 1.5 steps below the line" in html
    assert "below 80 % over the last 4 complete weeks" in html
