"""The demo data set: it builds, its numbers cannot be real, every login works."""

import datetime

import pytest
from django.db.models import Min
from django.urls import reverse

from studievag.demo.services import (
    DEMO_PASSWORD,
    DEMO_USERS,
    demo_seed,
    is_demo_identity_number,
)
from studievag.enrolments.eligibility import latest_im_start
from studievag.enrolments.models import Enrolment
from studievag.people.identity import parse_identity_number
from studievag.people.models import Guardian, GuardianConsent, Student
from studievag.testing import shared_by_a_module

pytestmark = [pytest.mark.django_db, pytest.mark.demo]
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Built once for the module; each test's changes are rolled back.
    with shared_by_a_module(django_db_blocker):
        yield demo_seed(students=40, today=TODAY)


def test_a_small_demo_builds_with_skaraborgs_organisers(demo):
    assert demo.organisers == 16  # 15 municipalities and one independent organiser
    assert demo.school_units == 10
    assert demo.current_students == 40
    assert demo.students > demo.current_students  # former students too
    assert demo.guardians > 0
    assert demo.users == [u for u, *_ in DEMO_USERS]


def test_the_municipalities_have_their_official_names(demo):
    from studievag.organisations.models import Organiser

    # As SCB's register writes them: no genitive -s after a vowel ("Skövdes kommun",
    # "Hjos kommun", "Essungas kommun" are not names).
    assert set(Organiser.objects.filter(kind=Organiser.Kind.MUNICIPAL).values_list("name", flat=True)) == {
        "Skövde kommun",
        "Lidköpings kommun",
        "Falköpings kommun",
        "Mariestads kommun",
        "Skara kommun",
        "Tidaholms kommun",
        "Vara kommun",
        "Götene kommun",
        "Hjo kommun",
        "Tibro kommun",
        "Töreboda kommun",
        "Gullspångs kommun",
        "Karlsborgs kommun",
        "Grästorps kommun",
        "Essunga kommun",
    }


def test_every_identity_number_is_valid_and_in_the_demo_series(demo):
    numbers = list(Student.objects.values_list("personal_identity_number", "date_of_birth"))
    numbers += [
        (n, None)
        for n in Guardian.objects.exclude(personal_identity_number="").values_list(
            "personal_identity_number", flat=True
        )
    ]
    for value, born in numbers:
        parsed = parse_identity_number(value)
        assert parsed.value == value
        assert is_demo_identity_number(value), value
        if born:
            assert parsed.date_of_birth == born


def test_some_demo_students_have_a_coordination_number_and_some_protected_identity(demo):
    students = list(Student.objects.all())

    assert (
        any(parse_identity_number(s.personal_identity_number).is_coordination_number for s in Student.objects.all())
        or len(students) < 60
    )
    assert any(s.has_protected_identity for s in students)


def test_no_student_started_after_the_age_rule_allows(demo):
    first_starts = Enrolment.objects.values("student_id").annotate(first=Min("start_date"))
    born = dict(Student.objects.values_list("pk", "date_of_birth"))
    for row in first_starts:
        assert row["first"] <= latest_im_start(born[row["student_id"]]), row


def test_no_student_is_younger_than_15_at_start_or_starts_before_school_start_in_sweden(demo):
    for e in Enrolment.objects.select_related("student"):
        assert e.student.age_on(e.start_date) >= 14, e
        if e.student.first_school_start_in_sweden:
            assert e.start_date >= e.student.first_school_start_in_sweden, e


def test_consent_is_only_recorded_for_adults(demo):
    for consent in GuardianConsent.objects.select_related("link__student"):
        assert consent.link.student.is_adult_on(consent.given_on)


def test_the_demo_refuses_a_database_that_has_data(demo):
    with pytest.raises(RuntimeError):
        demo_seed(students=40, today=TODAY)


EXPECTED_LANDING = {
    "mentor": "mentees",
    "teacher": "teacher_groups",
    "counsellor": "units",
    "student_health": "units",
    "principal": "units",
    "organiser_analyst": "overview",
    "regional_coordinator": "overview",
    "sending_school": "sending_units",
    "admin": "setup",
    "kaa_contact": "kaa",
}


def test_every_demo_login_works_and_lands_on_a_sensible_start_page(demo, client):
    # One demo, every login in turn (building the demo is the slow part).
    for username, *_ in DEMO_USERS:
        client.logout()
        # Through the log-in page, as a person would (log-in throttling needs the request).
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username

        response = client.get(reverse("core:home"), follow=True)

        assert response.status_code == 200, username
        if username in ("student", "guardian"):
            student = response.context["student"]
            assert student.user.username == "student", username
            assert response.context["is_self"] is (username == "student")
            assert not student.is_adult_on(datetime.date.today())
        else:
            content = response.context[EXPECTED_LANDING[username]]
            assert content, f"{username}'s start page shows nothing"
