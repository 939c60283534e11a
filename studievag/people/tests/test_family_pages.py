"""The student's and guardian's own pages: own record, who read it, languages."""

import pytest
from django.conf import settings
from django.urls import reverse

from studievag.audit.models import RecordRead

pytestmark = pytest.mark.django_db


def own_page(student) -> str:
    return reverse("people:family_student", kwargs={"pk": student.pk})


def test_a_student_is_taken_from_the_start_page_to_their_own_page(cast, login):
    response = login(cast.student).get(reverse("core:home"), follow=True)

    assert response.redirect_chain[-1][0] == own_page(cast.alice)
    assert response.context["student"] == cast.alice
    assert response.context["is_self"] is True


def test_a_guardian_of_one_child_under_18_lands_on_the_childs_page(cast, login):
    response = login(cast.guardian).get(reverse("people:family_home"), follow=True)

    assert response.redirect_chain[-1][0] == own_page(cast.alice)
    assert response.context["is_self"] is False


def test_the_guardian_does_not_see_the_adult_child_without_consent(cast, login):
    response = login(cast.guardian).get(own_page(cast.adam))

    assert response.status_code == 404
    assert not RecordRead.objects.filter(student=cast.adam).exists()


def test_the_student_page_shows_programme_and_background(cast, login, en):
    html = login(cast.student).get(own_page(cast.alice)).content.decode()

    assert "Hello Alice!" in html
    assert "Skola A IM" in html
    assert "Arabic" in html


def test_reading_the_own_page_is_logged_too(cast, login):
    login(cast.guardian).get(own_page(cast.alice))

    assert set(RecordRead.objects.values_list("username", "roles", "part")) == {
        ("guardian", "guardian", "record"),
        ("guardian", "guardian", "background"),
        ("guardian", "guardian", "enrolments"),
    }


def test_the_student_sees_who_read_their_record(cast, login, client, en):
    login(cast.mentor_a).get(reverse("people:student_detail", kwargs={"pk": cast.alice.pk}))
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = login(cast.student).get(reverse("people:family_reads"))

    html = response.content.decode()
    rows = list(response.context["page"].object_list)
    assert {(r.username, r.part) for r in rows} == {
        ("mentor_a", "record"),
        ("mentor_a", "background"),
        ("mentor_a", "enrolments"),
        ("mentor_a", "guardians"),
    }
    assert "Maria Mentor" in html and "Mentor" in html and "Background" in html


def test_the_student_does_not_see_reads_of_other_students(cast, login):
    login(cast.counsellor_a).get(reverse("people:student_detail", kwargs={"pk": cast.adam.pk}))

    response = login(cast.student).get(reverse("people:family_reads"))

    assert list(response.context["page"].object_list) == []


def test_student_pages_offer_arabic_and_render_right_to_left(cast, login):
    client = login(cast.student)
    html = client.get(own_page(cast.alice)).content.decode()
    assert 'option value="ar"' in html

    client.post(reverse("set_language"), {"language": "ar", "next": own_page(cast.alice)})
    html = client.get(own_page(cast.alice)).content.decode()

    assert '<html lang="ar" dir="rtl">' in html


def test_staff_pages_offer_only_swedish_and_english(cast, login):
    html = login(cast.mentor_a).get(reverse("core:home")).content.decode()

    assert 'option value="sv"' in html and 'option value="en"' in html
    assert 'option value="ar"' not in html


def test_switching_to_english_changes_the_interface(cast, login):
    client = login(cast.mentor_a)
    assert '<html lang="sv"' in client.get(reverse("people:student_list")).content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("people:student_list")).content.decode()

    assert '<html lang="en" dir="ltr">' in html
    assert "<h1>Students</h1>" in html


def test_a_guardian_whose_only_child_is_adult_without_consent_is_told_why(cast, login, en):
    from studievag.people.models import GuardianLink

    GuardianLink.objects.filter(student=cast.alice).delete()

    response = login(cast.guardian).get(reverse("people:family_home"))

    assert response.status_code == 200
    assert response.context["students"] == []
    html = response.content.decode()
    assert "until the child turns 18" in html
    assert "Adam" not in html


def test_a_guardian_with_consent_from_an_adult_child_chooses_between_the_children(cast, login, today):
    from studievag.people.models import GuardianConsent

    GuardianConsent.objects.create(link=cast.adam.guardian_links.get(), given_on=today, recorded_by=cast.counsellor_a)

    response = login(cast.guardian).get(reverse("people:family_home"))

    assert response.status_code == 200
    assert {s.first_name for s in response.context["students"]} == {"Alice", "Adam"}
    html = response.content.decode()
    assert own_page(cast.alice) in html and own_page(cast.adam) in html
