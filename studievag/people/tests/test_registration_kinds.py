"""Registering a student without a personnummer, linking the number when it comes,
and a legal representative (god man) for an unaccompanied minor."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from studievag.access.policy import visible_students
from studievag.audit.models import RecordRead
from studievag.demo.services import make_identity_number
from studievag.enrolments import services as enrolment_services
from studievag.organisations.models import Programme
from studievag.people import services
from studievag.people.identity import IdentityKind
from studievag.people.models import Guardian, GuardianLink, Student, add_years
from studievag.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _en(english):
    yield


def register(cast, number: str, **fields) -> Student:
    return enrolment_services.student_create(
        acting_user=cast.counsellor_a,
        personal_identity_number=number,
        programme=Programme.objects.get(code="IMS"),
        school_unit=cast.unit_a,
        start_date=datetime.date.today(),
        first_name="Hamid",
        last_name="Karimi",
        gender=Student.Gender.MALE,
        **fields,
    )


def test_a_student_without_a_number_gets_the_next_reserve_number(cast):
    born = add_years(datetime.date.today(), -16)

    first = register(cast, "", date_of_birth=born)
    second = register(cast, "", date_of_birth=born)

    assert first.personal_identity_number == f"{born:%Y%m%d}Z001"
    assert second.personal_identity_number == f"{born:%Y%m%d}Z002"
    assert first.identity_kind == IdentityKind.RESERVE
    assert first.date_of_birth == born


def test_the_registration_page_assigns_a_reserve_number(cast, login):
    born = add_years(datetime.date.today(), -16)
    response = login(cast.counsellor_a).post(
        reverse("people:student_create"),
        {
            "personal_identity_number": "",
            "date_of_birth": born.isoformat(),
            "first_name": "Hamid",
            "last_name": "Karimi",
            "gender": "male",
            "security_marking": "none",
            "programme": Programme.objects.get(code="IMS").pk,
            "school_unit": cast.unit_a.pk,
            "start_date": datetime.date.today().isoformat(),
        },
    )

    student = Student.objects.get(first_name="Hamid")
    assert response.status_code == 302
    assert student.personal_identity_number == f"{born:%Y%m%d}Z001"


def test_the_registration_page_refuses_a_space_for_the_separator_and_saves_nothing(cast, login):
    before = Student.objects.count()
    response = login(cast.counsellor_a).post(
        reverse("people:student_create"),
        {
            "personal_identity_number": "090527 1474",
            "first_name": "Hamid",
            "last_name": "Karimi",
            "gender": "male",
            "security_marking": "none",
            "programme": Programme.objects.get(code="IMS").pk,
            "school_unit": cast.unit_a.pk,
            "start_date": datetime.date.today().isoformat(),
        },
    )

    assert response.status_code == 200
    assert "without spaces" in response.content.decode()
    assert Student.objects.count() == before


def test_linking_to_the_personnummer_keeps_the_record_its_history_and_read_log(cast, login):
    born = add_years(datetime.date.today(), -16) - datetime.timedelta(days=3)
    coordination = make_identity_number(born, 984, coordination=True)
    student = register(cast, coordination)
    client = login(cast.counsellor_a)
    client.get(reverse("people:student_detail", kwargs={"pk": student.pk}))
    reads = RecordRead.objects.filter(student=student).count()
    personnummer = make_identity_number(born, 984)

    response = client.post(
        reverse("people:identity_link", kwargs={"pk": student.pk}),
        {"new_number": personnummer, "reason": "Beslut från Skatteverket"},
    )

    assert response.status_code == 302
    student.refresh_from_db()
    assert student.personal_identity_number == personnummer
    assert student.identity_kind == IdentityKind.PERSONNUMMER
    assert RecordRead.objects.filter(student=student).count() >= reads
    latest = student.history.first()
    assert latest.history_user == cast.counsellor_a
    assert f"{coordination[:8]}-{coordination[8:]}" in latest.history_change_reason
    # The earlier number still finds the record.
    found = client.get(reverse("people:student_list"), {"q": coordination})
    assert [s.pk for s in found.context["page"].object_list] == [student.pk]


def test_a_personnummer_is_never_replaced_and_a_duplicate_is_refused(cast):
    with pytest.raises(ValidationError):
        services.student_identity_number_link(
            acting_user=cast.counsellor_a,
            student=cast.alice,
            new_number=make_identity_number(cast.alice.date_of_birth, 998),
        )
    born = add_years(datetime.date.today(), -16)
    reserve = register(cast, "", date_of_birth=born)
    with pytest.raises(ValidationError) as error:
        services.student_identity_number_link(
            acting_user=cast.counsellor_a, student=reserve, new_number=cast.bertil.personal_identity_number
        )
    assert "already has this number" in str(error.value)
    reserve.refresh_from_db()
    assert reserve.identity_kind == IdentityKind.RESERVE


def test_the_link_page_is_not_offered_for_a_personnummer(cast, login):
    response = login(cast.counsellor_a).get(reverse("people:identity_link", kwargs={"pk": cast.alice.pk}))
    assert response.status_code == 403


# --- God man -----------------------------------------------------------------------


def god_man(cast, student, appointed_on, ends_on=None) -> tuple[GuardianLink, object]:
    user = make_user("godman")
    guardian = Guardian.objects.create(first_name="Göran", last_name="Godman", user=user)
    link = services.legal_representative_appoint(
        acting_user=cast.principal_a,
        student=student,
        guardian=guardian,
        appointed_on=appointed_on,
        ends_on=ends_on,
        decision_reference="ÖF 2026-114",
    )
    return link, user


def test_a_legal_representative_follows_from_the_appointment(cast):
    today = datetime.date.today()
    link, user = god_man(cast, cast.alice, today - datetime.timedelta(days=10))

    assert link.relation == GuardianLink.Relation.LEGAL_REPRESENTATIVE
    assert link.valid_to == add_years(cast.alice.date_of_birth, 18) - datetime.timedelta(days=1)
    assert list(visible_students(user)) == [cast.alice]
    assert link.history.first().history_user == cast.principal_a


def test_not_before_the_appointment_and_not_after_it_ends(cast):
    today = datetime.date.today()
    link, user = god_man(cast, cast.alice, today + datetime.timedelta(days=5))
    assert list(visible_students(user)) == []

    link = GuardianLink.objects.get(guardian__user=user)
    link.valid_from = today - datetime.timedelta(days=30)
    link.save()
    services.legal_representative_end(
        acting_user=cast.principal_a, link=link, ends_on=today - datetime.timedelta(days=1)
    )
    del user._studievag_grants
    assert list(visible_students(user)) == []


def test_access_ends_at_18_and_consent_cannot_carry_it_on(cast):
    # Adam is 19: his appointment ended the day before his 18th birthday.
    eighteen = add_years(cast.adam.date_of_birth, 18)
    link, user = god_man(
        cast, cast.adam, eighteen - datetime.timedelta(days=200), ends_on=eighteen + datetime.timedelta(days=300)
    )

    assert link.valid_to == eighteen - datetime.timedelta(days=1)
    assert list(visible_students(user)) == []
    with pytest.raises(ValidationError):
        services.guardian_consent_give(acting_user=cast.principal_a, link=link, given_on=datetime.date.today())


def test_no_appointment_from_18(cast):
    with pytest.raises(ValidationError):
        god_man(cast, cast.adam, datetime.date.today())


def test_the_page_records_a_god_man_and_a_denied_attempt_changes_nothing(cast, login):
    url = reverse("people:legal_representative", kwargs={"pk": cast.alice.pk})
    data = {
        "first_name": "Göran",
        "last_name": "Berg",
        "appointed_on": (datetime.date.today() - datetime.timedelta(days=5)).isoformat(),
        "decision_reference": "ÖF 2026/118",
    }
    links = GuardianLink.objects.count()

    assert login(cast.mentor_a).post(url, data).status_code == 403
    assert login(cast.mentor_b).post(url, data).status_code == 404
    assert GuardianLink.objects.count() == links

    response = login(cast.principal_a).post(url, data)

    assert response.status_code == 302
    link = GuardianLink.objects.get(guardian__last_name="Berg")
    assert link.relation == GuardianLink.Relation.LEGAL_REPRESENTATIVE
    assert link.decision_reference == "ÖF 2026/118"
    assert link.valid_to == add_years(cast.alice.date_of_birth, 18) - datetime.timedelta(days=1)
    page = login(cast.principal_a).get(reverse("people:student_detail", kwargs={"pk": cast.alice.pk}))
    assert "Legal representative (god man)" in page.content.decode()
