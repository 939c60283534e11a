"""Start page per role, log-in and log-out, the health check and the admin."""

import json

import pytest
from django.urls import reverse

from studievag.access.models import Role
from studievag.enrolments.models import StudentGroup
from studievag.testing import assign, make_group, make_student, make_user

pytestmark = pytest.mark.django_db
HOME = reverse("core:home")


def test_the_mentor_sees_their_mentees_on_the_start_page(cast, login, en):
    response = login(cast.mentor_a).get(HOME)

    assert sorted(r.student.full_name for r in response.context["mentees"]) == [
        "Adam Abdi",
        "Alice Andersson",
        "Petra Skyddad",
    ]
    html = response.content.decode()
    assert "My mentees" in html
    assert reverse("people:student_detail", kwargs={"pk": cast.alice.pk}) in html
    assert "Bertil" not in html


def test_the_principal_sees_their_units_with_student_counts(cast, login, en):
    response = login(cast.principal_a).get(HOME)

    assert response.context["units"] == [(cast.unit_a, 3)]
    html = response.content.decode()
    assert "Skola A IM" in html and "3 current students" in html
    assert "Skola B IM" not in html
    assert reverse("audit:read_log") in html


def test_the_teacher_sees_their_course_groups(cast, login, en):
    html = login(cast.teacher_a).get(HOME).content.decode()

    assert "Matematik A" in html and "2 students" in html
    assert f"?group={cast.course_group_a.pk}" in html


def test_the_student_is_sent_to_their_own_page(cast, login):
    response = login(cast.student).get(HOME)

    assert response.status_code == 302
    assert response["Location"] == reverse("people:family_home")


def test_the_analyst_sees_group_level_figures_only(cast, login, en):
    for _ in range(4):
        make_student(cast.unit_a)
    html = login(cast.analyst).get(HOME).content.decode()

    assert "never individual records" in html
    assert reverse("quality:overview") in html
    assert "Alice" not in html
    # 7 current students at school A (the cast's 3 and 4 more), one unit in scope.
    assert "<dd>7</dd>" in html and "<dd>1</dd>" in html


def test_the_coordinator_sees_small_totals_suppressed(cast, login, en):
    html = login(cast.coordinator).get(HOME).content.decode()

    assert "<dd>2</dd>" in html  # units A and B
    assert "<dd>4</dd>" not in html and "<dd>..</dd>" in html  # 4 students: too few to show


def test_the_sending_school_sees_its_unit_and_no_students(cast, login, en):
    html = login(cast.sending).get(HOME).content.decode()

    assert "Grundskola A" in html
    assert "does not give access to students' records" in html
    assert reverse("people:student_list") not in html


def test_the_admin_sees_the_set_up_with_counts_and_links(cast, login, en):
    html = login(cast.admin).get(HOME).content.decode()

    assert reverse("admin:organisations_schoolunit_changelist") in html
    assert reverse("admin:access_roleassignment_changelist") in html
    setup = {str(label): n for label, n, _url in login(cast.admin).get(HOME).context["setup"]}
    assert setup["School units"] == 3
    assert setup["Organisers"] == 2
    assert setup["Regions"] == 1
    assert reverse("people:student_list") not in html


def test_an_account_without_a_role_is_told_so(cast, login, en):
    html = login(cast.nobody).get(HOME).content.decode()

    assert "Your account has no role yet" in html


def test_a_mentor_with_an_empty_group_gets_a_clear_message(cast, login, en):
    user = make_user()
    assign(user, Role.MENTOR, group=make_group(cast.unit_a, StudentGroup.Kind.MENTOR_GROUP))

    html = login(user).get(HOME).content.decode()

    assert "You have no mentees right now." in html


@pytest.mark.parametrize("extra", [0, 27])
def test_the_start_page_has_a_fixed_query_budget(cast, login, extra, django_assert_num_queries):
    for i in range(extra):
        student = make_student(cast.unit_a, first_name=f"Budget{i}")
        cast.mentor_group_a.memberships.create(student=student, start_date=student.enrolments.get().start_date)
    user = make_user()
    assign(user, Role.MENTOR, group=cast.mentor_group_a)
    assign(user, Role.TEACHER, group=cast.course_group_a)
    assign(user, Role.PRINCIPAL, school_unit=cast.unit_a)
    client = login(user)
    client.get(HOME)
    # session, user; grants: the role assignments carrying the own student and guardian ids;
    # the worklists: mentees, the principal's units and their students, protected names,
    # the early signals of all of them at once (plain rows: enrolments, the course
    # memberships' groups, course lines with their latest record's day and grade, settings,
    # attendance, plans, plan settings, overdue goals), the read log (one insert); teacher
    # groups with counts, unit cards and counts; the principal's follow-up interviews due
    # now (their attempts only when there are some); menu: nothing more (grants are
    # cached); savepoint and release around the request. (26 before the worklists read
    # plain rows instead of the whole follow-up: records, starting levels, scales, steps
    # and course terms, which the start page does not show, are no longer read.)
    with django_assert_num_queries(22):
        response = client.get(HOME)
    assert len(response.context["mentees"]) == 3 + extra
    assert response.context["unit_page"].paginator.count == 3 + extra


# --- Log-in and log-out -------------------------------------------------------------


def test_log_in_with_username_and_password_and_log_out(cast, client):
    cast.mentor_a.set_password("a-long-test-password")
    cast.mentor_a.save()

    response = client.post(reverse("login"), {"username": "mentor_a", "password": "a-long-test-password"})
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(HOME)["Location"].startswith(reverse("login"))


def test_a_wrong_password_is_refused_with_a_message(cast, client, en):
    response = client.post(reverse("login"), {"username": "mentor_a", "password": "wrong"})

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


# --- Health check and admin ---------------------------------------------------------


def test_the_health_check_answers_json(client, db):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "ok" and body["database"] in ("sqlite", "postgresql")


def test_the_health_check_says_503_and_nothing_more_when_the_database_is_down(client, db, monkeypatch, caplog):
    from django.db import OperationalError, connection

    def broken():
        raise OperationalError('connection to "db-secret-host" failed: password authentication failed for "sv"')

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "error", "database": "unavailable"}
    assert "db-secret-host" not in response.content.decode()
    assert "db-secret-host" in caplog.text  # for the operator, in the log


def test_the_admin_is_for_the_admin_role_only(cast, login):
    assert login(cast.admin).get(reverse("admin:index")).status_code == 200
    for who in ("principal_a", "mentor_a", "analyst", "student", "nobody"):
        user = getattr(cast, who)
        user.is_staff = True  # even a staff flag does not open it without the role
        user.save()
        assert login(user).get(reverse("admin:index")).status_code == 403, who


def test_an_admin_whose_role_has_ended_is_refused(cast, login, today):
    import datetime

    cast.admin.role_assignments.update(valid_to=today - datetime.timedelta(days=1))

    assert login(cast.admin).get(reverse("admin:index")).status_code == 403


def test_the_admin_sets_up_a_school_unit(cast, login):
    from django.contrib.auth.models import Permission

    from studievag.organisations.models import SchoolUnit

    cast.admin.user_permissions.set(Permission.objects.filter(codename="add_schoolunit"))
    response = login(cast.admin).post(
        reverse("admin:organisations_schoolunit_add"),
        {
            "code": "12345678",
            "name": "Ny skola IM",
            "organiser": cast.organiser_a.pk,
            "school_type": SchoolUnit.SchoolType.UPPER_SECONDARY,
            "municipality": "A",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert SchoolUnit.objects.filter(code="12345678", organiser=cast.organiser_a).exists()
