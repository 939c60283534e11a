"""The start page's worklists: the mentor's mentees and the principal's school units,
with plan status, early signals and plan talks, sorted by what needs doing."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from studievag.access.models import Role
from studievag.audit.models import RecordRead
from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.core import selectors
from studievag.core.selectors import WorkStatus
from studievag.plans.models import Plan, PlanReview
from studievag.progress.models import AttendanceWeek
from studievag.progress.rules import recent_weeks
from studievag.testing import assign, make_student, make_user

pytestmark = pytest.mark.django_db
HOME = reverse("core:home")


def _plan(
    student, *, days_ago: int, version: int = 1, approved: int | None = None, talk_days_ago=None, by=None
) -> Plan:
    today = timezone.localdate()
    created = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(9))
    )
    plan = Plan.objects.create(
        student=student,
        created_at=created,
        updated_at=created,
        version=version,
        approved_version=approved,
        approved_on=today if approved else None,
    )
    if talk_days_ago is not None:
        PlanReview.objects.create(
            plan=plan,
            held_on=today - datetime.timedelta(days=talk_days_ago),
            participants="Mentor, elev",
            notes="Samtal",
            plan_version=version,
            recorded_by=by or User.objects.get(username="mentor_a"),
        )
    return plan


def _join(cast, student):
    cast.mentor_group_a.memberships.create(student=student, start_date=student.enrolments.get().start_date)
    return student


@pytest.fixture
def mixed(cast, today):
    """The mentor's group with one student in each state.

    alice: plan 40 days old, never talked about → plan talk due.
    adam: plan approved at its version, talk 5 days ago → approved.
    petra (protected): no plan, started 60 days ago → late.
    cecilia: plan changed since approval, talk 10 days ago.
    dina: started 10 days ago, no plan yet (within the deadline).
    """
    _plan(cast.alice, days_ago=40)
    _plan(cast.adam, days_ago=90, version=2, approved=2, talk_days_ago=5)
    cecilia = _join(cast, make_student(cast.unit_a, first_name="Cecilia", last_name="Ceder"))
    _plan(cecilia, days_ago=50, version=3, approved=2, talk_days_ago=10)
    dina = _join(
        cast, make_student(cast.unit_a, first_name="Dina", last_name="Dahl", start=today - datetime.timedelta(days=10))
    )
    return {"cecilia": cecilia, "dina": dina}


def test_every_status_is_read_from_the_plan(cast, mixed, today):
    lists = selectors.worklists(cast.mentor_a, on=today)

    by_name = {row.student.first_name: row for row in lists.mentees}
    assert by_name["Alice"].statuses == [WorkStatus.REVIEW_DUE, WorkStatus.NOT_APPROVED]
    assert by_name["Adam"].statuses == [WorkStatus.APPROVED]
    assert by_name["Petra"].statuses == [WorkStatus.LATE]
    assert by_name["Cecilia"].statuses == [WorkStatus.CHANGED]
    assert by_name["Dina"].statuses == [WorkStatus.NO_PLAN]
    # The next talk: the last one (or the plan's creation) plus the organiser's 30 days.
    assert by_name["Adam"].last_talk == today - datetime.timedelta(days=5)
    assert by_name["Adam"].next_talk == today + datetime.timedelta(days=25)
    assert by_name["Alice"].last_talk is None
    assert by_name["Alice"].next_talk == today - datetime.timedelta(days=10)
    assert by_name["Alice"].talk_overdue
    assert by_name["Petra"].next_talk is None


def test_the_mentor_sees_the_most_urgent_first_with_a_link_to_what_to_do(cast, mixed, login, en):
    response = login(cast.mentor_a).get(HOME)

    rows = response.context["worklist"]
    assert [r.student.first_name for r in rows] == ["Petra", "Alice", "Cecilia", "Dina", "Adam"]
    assert [r.action[1] for r in rows] == [
        reverse("plans:plan_edit", args=[cast.protected.pk]),
        reverse("plans:review_create", args=[cast.alice.pk]),
        reverse("plans:plan_detail", args=[mixed["cecilia"].pk]),
        reverse("plans:plan_edit", args=[mixed["dina"].pk]),
        reverse("plans:plan_detail", args=[cast.adam.pk]),
    ]
    html = response.content.decode()
    # Each status is written out, not only coloured.
    for text in ("Plan late", "Plan talk due", "Changed since approval", "No plan yet", "Approved"):
        assert text in html
    assert "Record the plan talk" in html and "Draw up the plan" in html
    assert "(overdue)" in html
    # Names in the order shown.
    shown = re.findall(r'class="wl-name"><a href="[^"]+">([^<]+)</a>', html)
    assert shown == ["Petra Skyddad", "Alice Andersson", "Cecilia Ceder", "Dina Dahl", "Adam Abdi"]


def test_the_mentor_filters_and_sorts_without_script(cast, mixed, login, en):
    client = login(cast.mentor_a)

    due = client.get(HOME, {"status": "review_due"}).context["worklist"]
    assert [r.student.first_name for r in due] == ["Alice"]
    by_name = client.get(HOME, {"sort": "name"}).context["worklist"]
    assert [r.student.first_name for r in by_name] == ["Adam", "Alice", "Cecilia", "Dina", "Petra"]
    by_talk = client.get(HOME, {"sort": "talk"}).context["worklist"]
    assert [r.student.first_name for r in by_talk][:3] == ["Alice", "Cecilia", "Adam"]
    # Nonsense in the address gives the default list, not an error.
    odd = client.get(HOME, {"status": "<script>", "sort": "x"})
    assert odd.status_code == 200
    assert len(odd.context["worklist"]) == 5
    html = client.get(HOME, {"status": "review_due"}).content.decode()
    assert '<option value="review_due" selected>' in html
    assert "1 mentee shown" in html


def test_early_signals_are_shown_and_count_in_the_order(cast, mixed, login, en, today):
    # Dina's attendance has fallen: every recent week half absent.
    catalogue_ensure_core()
    course = Course.objects.first()
    for monday in recent_weeks(today, 4):
        AttendanceWeek.objects.create(
            student=mixed["dina"],
            course=course,
            week_start=monday,
            scheduled_minutes=600,
            invalid_absence_minutes=300,
            recorded_by=cast.teacher_a,
        )
    rows = login(cast.mentor_a).get(HOME).context["worklist"]

    dina = next(r for r in rows if r.student.first_name == "Dina")
    assert [s.kind for s in dina.signals] == ["attendance"]
    # Plan signals are the status column's, never repeated as signals.
    assert all(s.kind != "plan_review" for r in rows for s in r.signals)
    signals_only = login(cast.mentor_a).get(HOME, {"status": "signals"}).context["worklist"]
    assert [r.student.first_name for r in signals_only] == ["Dina"]


def test_duplicate_names_are_told_apart_by_date_of_birth(cast, login, en):
    twin = _join(cast, make_student(cast.unit_a, first_name="Alice", last_name="Andersson"))
    html = login(cast.mentor_a).get(HOME).content.decode()

    assert html.count("Alice Andersson</a>") == 2
    assert f"born {cast.alice.date_of_birth:%Y-%m-%d}" in html
    assert f"born {twin.date_of_birth:%Y-%m-%d}" in html
    assert f"born {cast.adam.date_of_birth:%Y-%m-%d}" not in html


def test_the_start_page_logs_what_it_showed_of_each_student(cast, mixed, login):
    login(cast.mentor_a).get(HOME)

    reads = set(RecordRead.objects.filter(user=cast.mentor_a).values_list("student_id", "part"))
    students = {cast.alice.pk, cast.adam.pk, cast.protected.pk, mixed["cecilia"].pk, mixed["dina"].pk}
    assert reads == {(pk, part) for pk in students for part in ("record", "plan", "progress")}
    assert set(RecordRead.objects.values_list("roles", flat=True)) == {"mentor"}


def test_only_the_rows_shown_are_logged(cast, mixed, login):
    login(cast.mentor_a).get(HOME, {"status": "review_due"})

    assert set(RecordRead.objects.values_list("student_id", flat=True)) == {cast.alice.pk}


@pytest.mark.parametrize("extra", [0, 27])
def test_the_worklist_costs_the_same_queries_for_3_and_30_mentees(cast, login, extra, django_assert_num_queries, today):
    for i in range(extra):
        student = _join(cast, make_student(cast.unit_a, first_name=f"Budget{i}"))
        if i % 2:
            _plan(student, days_ago=i, talk_days_ago=1)
    _plan(cast.alice, days_ago=40)
    client = login(cast.mentor_a)
    client.get(HOME)
    # session, user; grants: the role assignments carrying the own student and guardian
    # ids; mentees; protected names; the early signals (the progress area's constant
    # number, plain rows: enrolments, the course memberships' groups, the course lines with
    # their latest record's day and grade, settings, attendance, plans with their last
    # talk, plan settings, overdue goals); the read log (one insert for every row and
    # part); savepoint and release around the request. (20 before the worklist read plain
    # rows: the follow-up's records, starting levels, scales and steps and course terms,
    # which it does not show, are no longer read.)
    with django_assert_num_queries(16):
        response = client.get(HOME)
    assert len(response.context["worklist"]) == 3 + extra


def test_another_mentor_sees_none_of_these_students(cast, mixed, login, en):
    html = login(cast.mentor_b).get(HOME).content.decode()

    assert "Alice" not in html and "Cecilia" not in html
    assert "Bertil Bengtsson" in html


@pytest.mark.parametrize("role", ["teacher_a", "counsellor_a", "health_a", "analyst", "admin"])
def test_roles_without_a_worklist_get_none(cast, mixed, login, role):
    response = login(getattr(cast, role)).get(HOME)

    assert response.status_code == 200
    assert "worklist" not in response.context and "unit_worklists" not in response.context
    assert not RecordRead.objects.filter(path=HOME).exists()


# --- The principal ------------------------------------------------------------------


def test_the_principal_sees_counts_per_status_and_the_list_per_school_unit(cast, mixed, login, en):
    response = login(cast.principal_a).get(HOME)

    (unit,) = response.context["unit_worklists"]
    assert unit.unit == cast.unit_a
    assert {badge.key: n for badge, n in unit.counts} == {
        "late": 1,
        "review_due": 1,
        "changed": 1,
        "not_approved": 0,
        "no_plan": 1,
        "approved": 1,
    }
    rows = response.context["unit_page"].object_list
    assert [r.student.first_name for r in rows] == ["Petra", "Alice", "Cecilia", "Dina", "Adam"]
    # The principal approves: the changed plan's link goes to the approval.
    cecilia = rows[2]
    assert cecilia.action[1] == reverse("plans:plan_detail", args=[mixed["cecilia"].pk]) + "#approval"
    html = response.content.decode()
    assert "Study plans at my school units" in html and "Skola A IM" in html
    assert "Bertil" not in html
    changed = login(cast.principal_a).get(HOME, {"unit": cast.unit_a.pk, "status": "changed"})
    assert [r.student.first_name for r in changed.context["unit_page"].object_list] == ["Cecilia"]


def test_a_principal_of_two_units_chooses_one(cast, mixed, login, en):
    principal = make_user()
    assign(principal, Role.PRINCIPAL, school_unit=cast.unit_a)
    assign(principal, Role.PRINCIPAL, school_unit=cast.unit_b)
    client = login(principal)

    units = client.get(HOME).context["unit_worklists"]
    assert [u.unit.name for u in units] == ["Skola A IM", "Skola B IM"]
    only_b = client.get(HOME, {"unit": cast.unit_b.pk}).context["unit_page"].object_list
    assert [(r.student.first_name, r.unit_name) for r in only_b] == [("Bertil", "Skola B IM")]
    # A unit that is not the principal's is ignored: every own unit is listed.
    other = client.get(HOME, {"unit": 999999}).context["unit_page"].object_list
    assert len(other) == 6


def test_the_principal_list_is_paged_and_only_the_page_is_logged(cast, login, monkeypatch):
    monkeypatch.setattr("studievag.core.views.UNIT_PAGE_SIZE", 2)
    client = login(cast.principal_a)

    first = client.get(HOME).context["unit_page"]
    assert first.paginator.count == 3 and len(first.object_list) == 2
    assert RecordRead.objects.filter(part="plan").count() == 2
    second = client.get(HOME, {"page": 2}).context["unit_page"]
    assert len(second.object_list) == 1
