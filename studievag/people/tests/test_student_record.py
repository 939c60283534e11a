"""The student page, registering and changing a student, consent after 18."""

import datetime

import pytest
from django.urls import reverse

from studievag.access.policy import visible_students
from studievag.audit.models import RecordRead
from studievag.demo.services import make_identity_number
from studievag.enrolments.eligibility import latest_im_start
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Programme
from studievag.people.models import GuardianConsent, Student, add_years

pytestmark = pytest.mark.django_db


def detail(student) -> str:
    return reverse("people:student_detail", kwargs={"pk": student.pk})


# --- The student page -------------------------------------------------------------


def test_the_student_page_shows_background_and_enrolments(cast, login, en, today):
    Student.objects.filter(pk=cast.alice.pk).update(
        country_of_birth="SY",
        arrived_in_sweden=today - datetime.timedelta(days=800),
        first_school_start_in_sweden=today - datetime.timedelta(days=700),
        schooling_years_abroad=6,
    )
    html = login(cast.mentor_a).get(detail(cast.alice)).content.decode()

    assert "Alice Andersson" in html
    assert cast.alice.formatted_identity_number in html
    assert "Arabic" in html  # mother tongue
    assert "Syria" in html
    assert (today - datetime.timedelta(days=700)).isoformat() in html
    until = add_years(today - datetime.timedelta(days=700), 4).isoformat()
    assert f"Yes, until {until}" in html  # newly arrived
    assert "Language introduction (IMS)" in html or "(IMS)" in html
    assert "Skola A IM" in html
    assert "Mentorsgrupp A" in html and "Matematik A" in html
    assert "Samira Andersson" in html  # guardians: a mentor sees them


def test_a_teacher_does_not_see_the_guardians(cast, login, en):
    html = login(cast.teacher_a).get(detail(cast.alice)).content.decode()

    assert "Alice Andersson" in html
    assert "Samira" not in html


def test_every_view_of_the_student_page_is_logged(cast, login):
    client = login(cast.mentor_a)

    client.get(detail(cast.alice), REMOTE_ADDR="10.1.2.3")

    reads = RecordRead.objects.filter(student=cast.alice).order_by("part")
    assert [r.part for r in reads] == ["background", "enrolments", "guardians", "record"]
    for r in reads:
        assert r.user == cast.mentor_a
        assert r.username == "mentor_a"
        assert r.user_display == "Maria Mentor"
        assert r.roles == "mentor"
        assert r.path == detail(cast.alice)
        assert r.client_address == "10.1.2.3"
    client.get(detail(cast.alice))
    assert RecordRead.objects.filter(student=cast.alice).count() == 8


def test_the_log_names_every_role_that_gives_access(cast, login):
    from studievag.access.models import Role
    from studievag.testing import assign

    assign(cast.mentor_a, Role.COUNSELLOR, school_unit=cast.unit_a)

    login(cast.mentor_a).get(detail(cast.alice))

    assert set(RecordRead.objects.filter(student=cast.alice).values_list("roles", flat=True)) == {"counsellor,mentor"}


def test_a_student_out_of_scope_is_a_404_and_nothing_is_logged(cast, login):
    response = login(cast.mentor_b).get(detail(cast.alice))

    assert response.status_code == 404
    assert not RecordRead.objects.exists()


def test_a_missing_student_is_the_same_404(cast, login):
    assert login(cast.mentor_a).get(reverse("people:student_detail", kwargs={"pk": 999999})).status_code == 404


# --- Registering a student ------------------------------------------------------------


CREATE = reverse("people:student_create")


def _form(cast, **overrides):
    born = datetime.date(2009, 3, 14)
    data = {
        "personal_identity_number": make_identity_number(born, 982),
        "first_name": "Nour",
        "last_name": "Haddad",
        "gender": "female",
        "mother_tongue": "ar",
        "country_of_birth": "SY",
        "programme": Programme.objects.get(code="IMS").pk,
        "school_unit": cast.unit_a.pk,
        "start_date": "2025-08-20",
        "security_marking": "none",
    }
    data.update(overrides)
    return data


def test_registering_a_student_saves_the_student_and_the_enrolment(cast, login):
    response = login(cast.counsellor_a).post(CREATE, _form(cast))

    student = Student.objects.get(last_name="Haddad")
    assert response.status_code == 302
    assert response["Location"] == detail(student)
    assert student.date_of_birth == datetime.date(2009, 3, 14)
    enrolment = student.enrolments.get()
    assert (enrolment.programme.code, enrolment.school_unit, enrolment.start_date) == (
        "IMS",
        cast.unit_a,
        datetime.date(2025, 8, 20),
    )
    assert student.history.first().history_user == cast.counsellor_a


def test_the_number_may_be_typed_with_ten_digits_and_is_stored_with_twelve(cast, login):
    n = make_identity_number(datetime.date(2009, 3, 14), 982)

    login(cast.counsellor_a).post(CREATE, _form(cast, personal_identity_number=f"{n[2:8]}-{n[8:]}"))

    assert Student.objects.get(last_name="Haddad").personal_identity_number == n


def test_an_invalid_number_shows_the_field_error_and_saves_nothing(cast, login, en):
    before = (Student.objects.count(), Enrolment.objects.count())
    bad = make_identity_number(datetime.date(2009, 3, 14), 982)[:-1] + "0"
    if bad == make_identity_number(datetime.date(2009, 3, 14), 982):
        bad = bad[:-1] + "1"

    response = login(cast.counsellor_a).post(CREATE, _form(cast, personal_identity_number=bad))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "check the date and the last digit" in errors["personal_identity_number"][0]
    assert "Nothing was saved" in response.content.decode()
    assert (Student.objects.count(), Enrolment.objects.count()) == before


def test_an_already_registered_number_is_refused(cast, login, en):
    before = Student.objects.count()

    response = login(cast.counsellor_a).post(
        CREATE, _form(cast, personal_identity_number=cast.alice.personal_identity_number)
    )

    assert "already registered" in response.context["form"].errors["personal_identity_number"][0]
    assert Student.objects.count() == before


def test_a_start_after_the_age_limit_shows_the_error_on_the_start_date(cast, login, en):
    born = datetime.date(2005, 3, 14)
    late = latest_im_start(born) + datetime.timedelta(days=1)
    before = (Student.objects.count(), Enrolment.objects.count())

    response = login(cast.counsellor_a).post(
        CREATE, _form(cast, personal_identity_number=make_identity_number(born, 984), start_date=late.isoformat())
    )

    assert response.status_code == 200
    message = response.context["form"].errors["start_date"][0]
    assert "2025-06-30" in message and "Adult education" in message
    assert (Student.objects.count(), Enrolment.objects.count()) == before


def test_a_start_on_the_last_day_is_accepted(cast, login):
    born = datetime.date(2005, 3, 14)

    login(cast.counsellor_a).post(
        CREATE, _form(cast, personal_identity_number=make_identity_number(born, 984), start_date="2025-06-30")
    )

    assert Student.objects.filter(date_of_birth=born).exists()


def test_a_student_can_only_be_registered_at_own_units(cast, login):
    before = Student.objects.count()

    response = login(cast.counsellor_a).post(CREATE, _form(cast, school_unit=cast.unit_b.pk))

    assert "school_unit" in response.context["form"].errors
    assert Student.objects.count() == before


# --- Changing a student -------------------------------------------------------------------


def edit(student) -> str:
    return reverse("people:student_edit", kwargs={"pk": student.pk})


def _change(student, **overrides):
    data = {
        "first_name": student.first_name,
        "last_name": student.last_name,
        "gender": student.gender,
        "mother_tongue": student.mother_tongue,
        "country_of_birth": student.country_of_birth,
        "security_marking": student.security_marking,
    }
    data.update(overrides)
    return data


def test_a_change_needs_a_reason_and_saves_nothing_without_one(cast, login, en):
    response = login(cast.counsellor_a).post(edit(cast.alice), _change(cast.alice, mother_tongue="so"))

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    cast.alice.refresh_from_db()
    assert cast.alice.mother_tongue == "ar"


def test_a_change_is_kept_in_the_history_with_who_and_why(cast, login, en):
    client = login(cast.counsellor_a)

    response = client.post(
        edit(cast.alice), _change(cast.alice, mother_tongue="so", reason="Corrected after talking to Alice")
    )

    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.mother_tongue == "so"
    latest = cast.alice.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        cast.counsellor_a,
        "Corrected after talking to Alice",
    )
    html = client.get(detail(cast.alice)).content.decode()
    assert "Sara Syv · Corrected after talking to Alice" in html


def test_a_future_arrival_date_is_refused(cast, login, en, today):
    response = login(cast.counsellor_a).post(
        edit(cast.alice),
        _change(cast.alice, arrived_in_sweden=(today + datetime.timedelta(days=3)).isoformat(), reason="x"),
    )

    assert "arrived_in_sweden" in response.context["form"].errors
    cast.alice.refresh_from_db()
    assert cast.alice.arrived_in_sweden is None


def test_a_mentor_may_read_but_not_change(cast, login):
    client = login(cast.mentor_a)

    assert client.get(edit(cast.alice)).status_code == 403
    response = client.post(edit(cast.alice), _change(cast.alice, mother_tongue="so", reason="x"))
    assert response.status_code == 403
    cast.alice.refresh_from_db()
    assert cast.alice.mother_tongue == "ar"


# --- Consent to guardian access after 18 ------------------------------------------------


def consent_url(student):
    link = student.guardian_links.get()
    return reverse("people:guardian_consent", kwargs={"pk": student.pk, "link_pk": link.pk})


def _fresh_guardian(cast):
    from django.contrib.auth.models import User

    return User.objects.get(pk=cast.guardian.pk)


def test_the_counsellor_records_consent_and_the_guardian_then_follows(cast, login, en, today):
    client = login(cast.counsellor_a)
    assert cast.adam not in visible_students(cast.guardian)

    response = client.post(consent_url(cast.adam), {"action": "give", "date": today.isoformat()}, follow=True)

    consent = GuardianConsent.objects.get()
    assert (consent.link.student, consent.given_on, consent.recorded_by) == (cast.adam, today, cast.counsellor_a)
    html = response.content.decode()
    assert "Consent recorded: Samira Andersson follows the studies" in html
    assert f"Consent given {today.isoformat()} (recorded by Sara Syv)" in html
    assert cast.adam in visible_students(_fresh_guardian(cast))


def test_the_principal_records_the_withdrawal_and_access_ends(cast, login, en, today):
    GuardianConsent.objects.create(
        link=cast.adam.guardian_links.get(),
        given_on=today - datetime.timedelta(days=30),
        recorded_by=cast.counsellor_a,
    )
    assert cast.adam in visible_students(_fresh_guardian(cast))

    response = login(cast.principal_a).post(
        consent_url(cast.adam), {"action": "withdraw", "date": today.isoformat()}, follow=True
    )

    consent = GuardianConsent.objects.get()
    assert (consent.withdrawn_on, consent.withdrawal_recorded_by) == (today, cast.principal_a)
    assert f"withdrawn {today.isoformat()} (recorded by Rut Rektor)" in response.content.decode()
    assert cast.adam not in visible_students(_fresh_guardian(cast))


def test_consent_for_a_student_under_18_is_refused(cast, login, en, today):
    response = login(cast.counsellor_a).post(
        consent_url(cast.alice), {"action": "give", "date": today.isoformat()}, follow=True
    )

    assert "Nothing was saved: The student is under 18" in response.content.decode()
    assert not GuardianConsent.objects.exists()


@pytest.mark.parametrize("days", [1, 30])
def test_consent_dated_in_the_future_is_refused(cast, login, today, days):
    login(cast.counsellor_a).post(
        consent_url(cast.adam),
        {"action": "give", "date": (today + datetime.timedelta(days=days)).isoformat()},
    )

    assert not GuardianConsent.objects.exists()


def test_a_second_open_consent_is_refused(cast, login, today):
    client = login(cast.counsellor_a)
    client.post(consent_url(cast.adam), {"action": "give", "date": today.isoformat()})
    client.post(consent_url(cast.adam), {"action": "give", "date": today.isoformat()})

    assert GuardianConsent.objects.count() == 1


def test_a_withdrawal_before_the_consent_is_refused(cast, login, today):
    GuardianConsent.objects.create(link=cast.adam.guardian_links.get(), given_on=today, recorded_by=cast.counsellor_a)

    login(cast.counsellor_a).post(
        consent_url(cast.adam),
        {"action": "withdraw", "date": (today - datetime.timedelta(days=1)).isoformat()},
    )

    assert GuardianConsent.objects.get().withdrawn_on is None


@pytest.mark.parametrize("who", ["mentor_a", "teacher_a", "health_a", "guardian", "student"])
def test_others_cannot_record_consent(cast, login, today, who):
    response = login(getattr(cast, who)).post(consent_url(cast.adam), {"action": "give", "date": today.isoformat()})

    assert response.status_code in (403, 404)
    assert not GuardianConsent.objects.exists()


def test_the_consent_form_is_shown_only_for_adults_and_to_those_who_may_record(cast, login, en):
    assert "Record consent" in login(cast.counsellor_a).get(detail(cast.adam)).content.decode()
    assert "Record consent" not in login(cast.counsellor_a).get(detail(cast.alice)).content.decode()
    assert "Record consent" not in login(cast.mentor_a).get(detail(cast.adam)).content.decode()


def test_staff_elsewhere_see_neither_the_protected_name_nor_the_guardians(cast, mentor_elsewhere, login, en):
    from studievag.people.models import Guardian, GuardianLink

    guardian = Guardian.objects.create(first_name="Greta", last_name="Skyddad", phone="070-1")
    GuardianLink.objects.create(
        student=cast.protected,
        guardian=guardian,
        relation=GuardianLink.Relation.PARENT,
        valid_from=cast.protected.date_of_birth,
    )

    response = login(mentor_elsewhere).get(detail(cast.protected))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Protected identity #{cast.protected.pk}" in html
    assert "Skyddad" not in html and "Petra" not in html and "Greta" not in html
    assert cast.protected.personal_identity_number[:8] not in html
    # At her own school the mentor sees the guardian, but not the phone number.
    html = login(cast.mentor_a).get(detail(cast.protected)).content.decode()
    assert "Greta Skyddad" in html and "070-1" not in html
