"""Staff pages for students: list and search, the student page, register, change."""

import datetime

import pytest
from django.urls import reverse

from studievag.enrolments.models import Enrolment
from studievag.people.models import Student
from studievag.testing import make_student

pytestmark = pytest.mark.django_db
LIST = reverse("people:student_list")


def listed(response) -> list[str]:
    return [s.full_name for s in response.context["page"].object_list]


# --- The list ---------------------------------------------------------------------


def test_a_mentor_lists_their_mentees_and_no_one_else(cast, login, en):
    response = login(cast.mentor_a).get(LIST)

    assert response.status_code == 200
    assert listed(response) == ["Adam Abdi", "Alice Andersson", "Petra Skyddad"]
    assert "Bertil" not in response.content.decode()


def test_the_mentor_at_school_b_lists_only_school_b(cast, login):
    assert listed(login(cast.mentor_b).get(LIST)) == ["Bertil Bengtsson"]


def test_search_by_name_finds_by_first_or_last_name(cast, login):
    client = login(cast.counsellor_a)

    assert listed(client.get(LIST, {"q": "alice"})) == ["Alice Andersson"]
    assert listed(client.get(LIST, {"q": "Abdi"})) == ["Adam Abdi"]
    assert listed(client.get(LIST, {"q": "Alice Andersson"})) == ["Alice Andersson"]
    assert listed(client.get(LIST, {"q": "Bertil"})) == []


@pytest.mark.parametrize("form", ["12", "dash12", "10", "dash10"])
def test_search_by_identity_number_in_any_written_form(cast, login, form):
    n = cast.alice.personal_identity_number
    typed = {"12": n, "dash12": f"{n[:8]}-{n[8:]}", "10": n[2:], "dash10": f"{n[2:8]}-{n[8:]}"}[form]

    assert listed(login(cast.counsellor_a).get(LIST, {"q": typed})) == ["Alice Andersson"]


def test_search_by_the_number_of_a_student_out_of_scope_finds_nothing(cast, login):
    assert listed(login(cast.counsellor_a).get(LIST, {"q": cast.bertil.personal_identity_number})) == []


def test_filter_by_group_and_programme(cast, login):
    client = login(cast.counsellor_a)
    Enrolment.objects.filter(student=cast.adam).update(
        programme=cast.adam.enrolments.get().programme.__class__.objects.get(code="IMY")
    )

    assert listed(client.get(LIST, {"group": cast.course_group_a.pk})) == ["Adam Abdi", "Alice Andersson"]
    assert listed(client.get(LIST, {"programme": "IMY"})) == ["Adam Abdi"]
    assert listed(client.get(LIST, {"programme": "IMS", "group": cast.course_group_a.pk})) == ["Alice Andersson"]


def test_former_students_are_listed_only_on_request(cast, login, today):
    Enrolment.objects.filter(student=cast.adam).update(
        end_date=today - datetime.timedelta(days=10), exit_reason=Enrolment.ExitReason.WORK
    )
    client = login(cast.counsellor_a)

    assert "Adam Abdi" not in listed(client.get(LIST))
    assert "Adam Abdi" in listed(client.get(LIST, {"former": "1"}))


def test_the_list_pages_by_fifty(cast, login):
    for i in range(52):
        make_student(cast.unit_a, first_name=f"Extra{i:02d}", last_name="Zetterlund")
    client = login(cast.counsellor_a)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 55
    assert len(second.context["page"].object_list) == 5
    assert listed(second)[-1] == "Extra51 Zetterlund"


def test_a_protected_student_is_masked_in_the_list_for_staff_elsewhere(cast, mentor_elsewhere, login, en):
    response = login(mentor_elsewhere).get(LIST)
    html = response.content.decode()

    assert "Skyddad" not in html and "Petra" not in html
    assert cast.protected.formatted_identity_number not in html
    assert f"Protected identity #{cast.protected.pk}" in html
    assert "Bertil Bengtsson" in html


def test_a_protected_student_is_shown_by_name_at_their_own_unit(cast, login):
    html = login(cast.mentor_a).get(LIST).content.decode()

    assert "Petra Skyddad" in html
    # Shown by name, with the badge that says the identity is protected (in Swedish).
    row = html[html.index("Petra Skyddad") :].split("</td>", 1)[0]
    assert '<span class="badge protected">Skyddade personuppgifter</span>' in row


def test_the_student_list_has_a_fixed_query_budget(cast, login, django_assert_num_queries):
    client = login(cast.counsellor_a)
    client.get(LIST)  # the session exists
    for total, extra in ((6, 3), (33, 27)):
        for i in range(extra):
            make_student(
                cast.unit_a,
                first_name=f"Budget{total}{i}",
                security_marking=Student.SecurityMarking.PROTECTED_REGISTRATION,
            )
        # session, user; grants: the role assignments carrying the own student and guardian ids;
        # count, one page of students (enrolment as subqueries), protected names (one
        # query for the whole page), groups, programmes, units for the filter and for
        # "register"; one insert of the page's read-log rows; savepoint and release
        # around the request (ATOMIC_REQUESTS).
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(LIST)
        assert response.context["page"].paginator.count == total


LIST_QUERIES = 13
