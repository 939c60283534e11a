"""The weekly team overview: content, decisions, and a query count that does not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from studievag.enrolments.models import GroupMembership, StudentGroup
from studievag.intake.models import IntakeMapping, StartingLevel
from studievag.people.models import Student
from studievag.progress import rules
from studievag.progress.models import AttendanceWeek, ProgressRecord, TeamDecision
from studievag.progress.selectors import Team, team_overview
from studievag.testing import make_group, make_student

from .helpers import maths_step


def build_team(cast, n: int) -> StudentGroup:
    """A mentor group of ``n`` students (one protected) who all read mathematics, each with
    a mapping, records and four weeks of attendance."""
    today = timezone.localdate()
    students = [
        make_student(
            cast.unit_a,
            first_name=f"Lag{n}x{i}",
            security_marking=(
                Student.SecurityMarking.PROTECTED_REGISTRATION if i == 0 else Student.SecurityMarking.NONE
            ),
        )
        for i in range(n)
    ]
    team = make_group(cast.unit_a, StudentGroup.Kind.MENTOR_GROUP, students, name=f"Lag {n}")
    course = cast.course_group_a.course
    for s in students:
        GroupMembership.objects.create(
            group=cast.course_group_a, student=s, start_date=today - datetime.timedelta(days=60)
        )
        mapping = IntakeMapping.objects.create(
            student=s, mapped_on=today - datetime.timedelta(days=55), recorded_by=cast.counsellor_a
        )
        StartingLevel.objects.create(mapping=mapping, subject=course.subject, step=maths_step(1))
        for days_ago, position in ((40, 1), (10, 2)):
            ProgressRecord.objects.create(
                student=s,
                course=course,
                step=maths_step(position),
                recorded_on=today - datetime.timedelta(days=days_ago),
                recorded_by=cast.teacher_a,
            )
        for monday in rules.recent_weeks(today, 4):
            AttendanceWeek.objects.create(
                student=s,
                course=course,
                week_start=monday,
                scheduled_minutes=200,
                invalid_absence_minutes=60,
                recorded_by=cast.teacher_a,
            )
        TeamDecision.objects.create(
            student=s, kind="talk", text="Samtal", decided_on=today, team=team.name, recorded_by=cast.mentor_a
        )
    return team


# The whole overview page, whatever the number of students: the request's savepoint
# and its release (2), session and user (2), grants: the role assignments carrying the
# user's own student and guardian ids (1), the teams the user may open (1), the team's students with
# their latest decision (1), protected names (1), enrolments (1), the memberships' groups
# and the course lines with their first and latest records, starting levels, planned
# terms and grades (2), the scales with their goal steps' positions (1: the page shows
# no other step; it was 2, the scales and then every step), thresholds (1), attendance
# by week (1), plan statuses given the enrolments: plans with their last review, plan
# settings, overdue goals (3), the read-log rows (1 insert).
OVERVIEW_QUERIES = 18


@pytest.mark.parametrize("size", [3, 30])
def test_the_overview_runs_the_same_queries_for_3_and_30_students(cast, maths, login, django_assert_num_queries, size):
    team = build_team(cast, size)
    client = login(cast.principal_a)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(reverse("progress:team_group", args=[team.pk]))
    assert response.content.decode().count('<tr data-student="') == size


def test_the_selector_itself_does_not_grow_with_the_team(cast, maths, django_assert_num_queries):
    today = timezone.localdate()
    small, large = build_team(cast, 3), build_team(cast, 30)
    counts = []
    team_overview(cast.principal_a, Team("group", small.pk, "", cast.unit_a), on=today)  # grants
    for group in (small, large):
        team = Team("group", group.pk, group.name, group.school_unit)
        with CaptureQueriesContext(connection) as queries:
            overview = team_overview(cast.principal_a, team, on=today)
        counts.append(len(queries))
        assert len(overview.rows) == group.memberships.count()
    assert counts[0] == counts[1]


def test_the_overview_shows_colours_attendance_and_signals(cast, maths, login, record, today):
    record(cast.alice, 1, days_ago=70)  # start at 1, no step since: far behind and no progress
    record(cast.adam, 2, days_ago=3)
    for monday in rules.recent_weeks(today, 4):
        AttendanceWeek.objects.create(
            student=cast.alice,
            course=maths.course,
            week_start=monday,
            scheduled_minutes=100,
            invalid_absence_minutes=38,
            recorded_by=cast.teacher_a,
        )
    response = login(cast.mentor_a).get(reverse("progress:team_group", args=[cast.mentor_group_a.pk]))
    html = response.content.decode()
    alice_row = html.split(f'<tr data-student="{cast.alice.pk}">')[1].split("</tr>")[0]
    assert "status-far_behind" in alice_row and "Far behind" in alice_row
    assert "Attendance 62 % over the last 4 weeks (threshold 80 %)" in alice_row
    assert "No progression step in Matematik for 10 weeks" in alice_row
    assert "No plan" in alice_row or "Review due" in alice_row or "–" in alice_row
    adam_row = html.split(f'<tr data-student="{cast.adam.pk}">')[1].split("</tr>")[0]
    assert "In line" in adam_row
    # Protected identity: the mentor at the student's own unit sees the name.
    assert "Petra Skyddad" in html


def test_students_with_signals_come_first(cast, maths, login, record):
    record(cast.adam, 2, days_ago=3)
    record(cast.alice, 1, days_ago=50)
    overview = team_overview(
        cast.mentor_a, Team("group", cast.mentor_group_a.pk, "", cast.unit_a), on=timezone.localdate()
    )
    assert overview.rows[0].student == cast.alice


def test_a_decision_lands_in_the_students_record(cast, maths, login, today):
    client = login(cast.mentor_a)
    url = reverse("progress:decision_create", args=["group", cast.mentor_group_a.pk, cast.alice.pk])
    response = client.post(
        url, {"kind": "support", "text": "Studiehandledning i matematik.", "follow_up_on": "2026-12-15"}, follow=True
    )
    assert "The decision about Alice Andersson was recorded." in response.content.decode()
    decision = TeamDecision.objects.get()
    assert (decision.student, decision.kind, decision.decided_on, decision.team, decision.recorded_by) == (
        cast.alice,
        "support",
        today,
        "Mentorsgrupp A",
        cast.mentor_a,
    )
    page = client.get(reverse("progress:student", args=[cast.alice.pk])).content.decode()
    assert "Studiehandledning i matematik." in page and "Mentorsgrupp A" in page


def test_an_empty_decision_is_refused(cast, login):
    client = login(cast.mentor_a)
    url = reverse("progress:decision_create", args=["group", cast.mentor_group_a.pk, cast.alice.pk])
    response = client.post(url, {"kind": "support", "text": ""}, follow=True)
    assert "The decision was not saved" in response.content.decode()
    assert not TeamDecision.objects.exists()


@pytest.mark.parametrize("who", ["bertil", "outsider"])
def test_a_decision_about_a_student_outside_the_team_is_404(cast, login, who):
    student = cast.bertil if who == "bertil" else make_student(cast.unit_a, first_name="Utanför")
    url = reverse("progress:decision_create", args=["group", cast.mentor_group_a.pk, student.pk])
    response = login(cast.mentor_a).post(url, {"kind": "talk", "text": "x"})
    assert response.status_code == 404
    assert not TeamDecision.objects.exists()


def test_a_team_of_another_school_is_404(cast, login):
    url = reverse("progress:decision_create", args=["group", cast.mentor_group_b.pk, cast.bertil.pk])
    assert login(cast.mentor_a).post(url, {"kind": "talk", "text": "x"}).status_code == 404
    assert login(cast.mentor_a).get(reverse("progress:team_group", args=[cast.mentor_group_b.pk])).status_code == 404
    assert not TeamDecision.objects.exists()


def test_the_overview_hides_a_protected_name_from_staff_outside_the_unit(cast, login):
    """A mentor scoped to a group at another unit sees the student masked."""
    from studievag.access.models import Role
    from studievag.testing import assign, make_user

    group = make_group(cast.unit_b, StudentGroup.Kind.WORK_TEAM, [cast.protected], name="Lag B")
    outsider = make_user("mentor_lag_b")
    assign(outsider, Role.MENTOR, group=group)
    html = login(outsider).get(reverse("progress:team_group", args=[group.pk])).content.decode()
    assert "Petra" not in html and "Skyddad" not in html
    assert "Protected identity #" in html


def test_the_unit_overview_shows_every_current_student(cast, login):
    html = login(cast.principal_a).get(reverse("progress:team_unit", args=[cast.unit_a.pk])).content.decode()
    for s in (cast.alice, cast.adam, cast.protected):
        assert f'<tr data-student="{s.pk}">' in html
    assert f'<tr data-student="{cast.bertil.pk}">' not in html


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_overview_says_what_the_follow_up_of_each_student_says(cast, maths, seed):
    """The overview's set-based reads give each student the same lines, standings, grades,
    attendance, plan status and signals as the per-student follow-up (the progression page
    and the grid), over students with and without starting levels, records, grades,
    planned terms, enrolment ends, attendance and overdue goals."""
    import random

    from studievag.plans.models import GoalStatus, Plan, PlanCourse, PlanGoal
    from studievag.progress.models import GradeRecord
    from studievag.progress.selectors import follow_up_for

    rnd = random.Random(seed)
    today = timezone.localdate()
    course = cast.course_group_a.course
    students = [make_student(cast.unit_a, first_name=f"Lika{seed}x{i}") for i in range(12)]
    team = make_group(cast.unit_a, StudentGroup.Kind.MENTOR_GROUP, students, name=f"Lika {seed}")
    for s in students:
        joined = today - datetime.timedelta(days=rnd.randint(10, 200))
        GroupMembership.objects.create(group=cast.course_group_a, student=s, start_date=joined)
        if rnd.random() < 0.5:
            mapping = IntakeMapping.objects.create(student=s, mapped_on=joined, recorded_by=cast.counsellor_a)
            StartingLevel.objects.create(mapping=mapping, subject=course.subject, step=maths_step(rnd.randint(1, 3)))
        for days_ago in sorted(rnd.sample(range(0, 150), rnd.randint(0, 4)), reverse=True):
            ProgressRecord.objects.create(
                student=s,
                course=course,
                step=maths_step(rnd.randint(1, 5)),
                recorded_on=today - datetime.timedelta(days=days_ago),
                recorded_by=cast.teacher_a,
            )
        if rnd.random() < 0.2:
            GradeRecord.objects.create(
                student=s, course=course, grade="C", awarded_on=today, recorded_by=cast.teacher_a
            )
        if rnd.random() < 0.6:
            plan = Plan.objects.create(student=s)
            if rnd.random() < 0.5:
                PlanCourse.objects.create(plan=plan, course=course, term=rnd.choice(["HT 2026", "VT 2027", "VT 2026"]))
            if rnd.random() < 0.5:
                PlanGoal.objects.create(
                    plan=plan,
                    title="Läsa kapitel 3",
                    target_date=today - datetime.timedelta(days=5),
                    status=GoalStatus.PLANNED,
                )
        if rnd.random() < 0.3:
            s.enrolments.update(end_date=today + datetime.timedelta(days=rnd.randint(1, 400)), exit_reason="other")
        for monday in rules.recent_weeks(today, rnd.randint(0, 8)):
            AttendanceWeek.objects.create(
                student=s,
                course=course,
                week_start=monday,
                scheduled_minutes=200,
                invalid_absence_minutes=rnd.choice([0, 40, 120]),
                recorded_by=cast.teacher_a,
            )
    overview = team_overview(cast.principal_a, Team("group", team.pk, team.name, cast.unit_a), on=today)
    follow = follow_up_for(students, on=today)
    assert len(overview.rows) == len(students)
    for row in overview.rows:
        expected = follow[row.student.pk]
        assert [(c.subject, c.standing, c.position, c.grade) for c in row.courses] == [
            (
                c.course.subject.name,
                c.standing,
                c.current_step.position if c.current_step else None,
                c.grade.grade if c.grade else None,
            )
            for c in expected.courses
        ]
        assert (row.series, row.recent_attendance, row.trend, row.sparkline_points) == (
            expected.series,
            expected.recent_attendance,
            expected.trend,
            expected.sparkline_points,
        )
        assert row.plan_status == expected.plan_status
        assert row.signals == expected.signals
        assert row.worst_status == expected.worst_status
