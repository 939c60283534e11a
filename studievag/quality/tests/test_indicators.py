"""Every indicator against a small population counted by hand.

The period is the autumn term 2025 (1 Aug – 31 Dec), reported on 15 January
2026, so "the day" of day-based indicators is 31 December 2025.
"""

import datetime
from dataclasses import dataclass

import pytest

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.enrolments.models import Enrolment
from studievag.intake.models import IntakeMapping
from studievag.organisations.models import Programme
from studievag.plans.models import Plan, PlanGoal, PlanReview
from studievag.progress.models import (
    AttendanceWeek,
    GradeRecord,
    ProgressRecord,
)
from studievag.quality.facts import facts_refresh
from studievag.quality.indicators import INDICATORS, Category
from studievag.quality.periods import Period
from studievag.quality.selectors import ReportRequest, report_cells, run_report
from studievag.quality.suppression import Thresholds
from studievag.scales.models import ProgressionScale
from studievag.testing import make_organiser, make_student, make_unit, make_user

D = datetime.date
HT2025 = Period("ht", 2025)
TODAY = D(2026, 1, 15)


@dataclass
class World:
    unit: object
    other_unit: object
    s: list  # twelve students at the unit, current in HT 2025


def _at(day: D) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


@pytest.fixture
def world(db) -> World:
    organiser = make_organiser()
    unit = make_unit(organiser)
    other = make_unit(make_organiser())
    students = []
    for i in range(12):
        start = D(2025, 8, 20) if i < 3 else D(2025, 1, 10)  # three started this term
        students.append(
            make_student(
                unit,
                start=start,
                female=i % 2 == 0,
                country_of_birth="SE" if i >= 4 else "SY",
                first_school_start_in_sweden=D(2023, 1, 10) if i < 4 else None,
            )
        )
    # Not in the population: left before the term, and a student of another unit.
    make_student(unit, start=D(2024, 1, 10))
    gone = Enrolment.objects.order_by("-pk").first()
    gone.end_date, gone.exit_reason = D(2025, 6, 1), "work"
    gone.save()
    make_student(other, start=D(2025, 8, 20))
    return World(unit=unit, other_unit=other, s=students)


def cells(world, *, dims=(), programme=""):
    facts_refresh(HT2025, today=TODAY)  # the background job's work, done here at once
    return report_cells(
        ReportRequest(
            period=HT2025,
            unit_ids=[world.unit.pk],
            thresholds=Thresholds(),
            dims=dims,
            programme=programme,
            today=TODAY,
        )
    )


def total(data, indicator_id):
    return data[indicator_id][("__total__", "__total__")]


def test_students_counts_each_student_once_in_the_units_of_the_scope(world):
    # One of the twelve changed programme during the term: still one student.
    s = world.s[5]
    s.enrolments.update(end_date=D(2025, 9, 30), exit_reason="other_im")
    Enrolment.objects.create(
        student=s, programme=Programme.objects.get(code="IMY"), school_unit=world.unit, start_date=D(2025, 10, 1)
    )
    data = cells(world)
    assert total(data, "students") == {"num": 12}
    by_programme = cells(world, dims=("programme",))["students"]
    assert by_programme[("IMS", "__total__")]["num"] == 11
    assert by_programme[("IMY", "__total__")]["num"] == 1


def test_newly_arrived_are_those_whose_first_school_start_in_sweden_is_within_four_years(world):
    assert total(cells(world), "newly_arrived") == {"num": 4, "den": 12}


def test_breakdown_by_background_splits_born_abroad_and_in_sweden(world):
    data = cells(world, dims=("background",))["students"]
    assert data[("abroad", "__total__")]["num"] == 4
    assert data[("sweden", "__total__")]["num"] == 8


def test_exits_by_reason_are_shares_of_those_who_left_during_the_period(world):
    for s, reason in zip(world.s[:3], ["national_programme", "national_programme", "dropped_out"], strict=True):
        s.enrolments.update(end_date=D(2025, 11, 1), exit_reason=reason)
    data = cells(world)
    assert total(data, "exit_national_programme") == {"num": 2, "den": 3}
    # "Dropped out" is an earlier code: counted with the unknown destinations.
    assert total(data, "exit_unknown") == {"num": 1, "den": 3}
    assert total(data, "exit_work") == {"num": 0, "den": 3}


def test_transfer_within_one_year_follows_the_cohort_that_started_a_year_earlier(world):
    cohort = [make_student(world.unit, start=D(2024, 8, 25)) for _ in range(4)]
    # Two moved on to a national programme before the end of HT 2025, one after it.
    for s, end in zip(cohort[:3], [D(2025, 6, 10), D(2025, 12, 20), D(2026, 1, 10)], strict=True):
        s.enrolments.update(end_date=end, exit_reason="national_programme")
    # A student who first started in 2023 is not in the HT 2024 cohort.
    earlier = make_student(world.unit, start=D(2023, 8, 25))
    earlier.enrolments.update(end_date=D(2024, 8, 1), exit_reason="other_im")
    Enrolment.objects.create(
        student=earlier, programme=Programme.objects.get(code="IMY"), school_unit=world.unit, start_date=D(2024, 8, 25)
    )
    data = cells(world)
    assert total(data, "transfer_1y") == {"num": 2, "den": 4}


@pytest.fixture
def recorder(db):
    return make_user("recorder")


def test_zero_merit_value_is_a_share_of_students_with_a_merit_value(world, recorder):
    for s, merit in zip(world.s[:5], [0, 0, 120, 200, None], strict=True):
        IntakeMapping.objects.create(student=s, mapped_on=D(2025, 2, 1), merit_value=merit, recorded_by=recorder)
    assert total(cells(world), "zero_merit") == {"num": 2, "den": 4}


def test_breakdown_by_merit_value_and_parents_education(world, recorder):
    IntakeMapping.objects.create(
        student=world.s[0],
        mapped_on=D(2025, 2, 1),
        merit_value=0,
        parents_education="post_secondary",
        recorded_by=recorder,
    )
    data = cells(world, dims=("merit_value", "parents_education"))["students"]
    assert data[("zero", "post_secondary")]["num"] == 1
    assert data[("unknown", "unknown")]["num"] == 11


@pytest.fixture
def course(db):
    catalogue_ensure_core()
    return Course.objects.get(school_type="GR", code="GRGRMAT01_7-9")


def test_attendance_is_minutes_present_over_minutes_scheduled_in_the_period(world, course, recorder):
    a, b = world.s[0], world.s[1]
    rows = [
        (a, D(2025, 9, 1), 100, 10, 0),
        (a, D(2025, 9, 8), 100, 0, 20),
        (b, D(2025, 9, 1), 100, 25, 25),
        (b, D(2025, 6, 2), 100, 100, 0),  # before the period
    ]
    for s, week, scheduled, valid, invalid in rows:
        AttendanceWeek.objects.create(
            student=s,
            course=course,
            week_start=week,
            scheduled_minutes=scheduled,
            valid_absence_minutes=valid,
            invalid_absence_minutes=invalid,
            recorded_by=recorder,
        )
    assert total(cells(world), "attendance") == {"num": 220, "den": 300, "base": 2}


def _steps():
    scale = ProgressionScale.objects.get(organiser=None, is_generic=True)
    steps = list(scale.steps.order_by("position"))
    goal = next(s for s in steps if s.is_goal)
    return steps, goal


def test_moved_a_step_and_in_line_with_the_course_goal(world, course, recorder):
    steps, goal = _steps()
    a, b, c = world.s[:3]

    def record(s, day, step):
        ProgressRecord.objects.create(student=s, course=course, step=step, recorded_on=day, recorded_by=recorder)

    # a: first step before the term, the goal step in it: moved, and at the goal (in line).
    record(a, D(2025, 5, 1), steps[0])
    record(a, D(2025, 10, 1), goal)
    # b: the first step long ago and still on it: did not move, and behind the line.
    record(b, D(2025, 1, 20), steps[0])
    record(b, D(2025, 10, 1), steps[0])
    # c: started on the first step two weeks before the end: the line barely rose; in line.
    record(c, D(2025, 12, 17), steps[0])
    data = cells(world)
    assert total(data, "moved_step") == {"num": 1, "den": 3}
    assert total(data, "in_line") == {"num": 2, "den": 3}


def test_grades_earned_counts_students_with_a_pass_grade_in_the_period(world, course, recorder):
    for s, grade, day in [
        (world.s[0], "C", D(2025, 12, 15)),
        (world.s[1], "F", D(2025, 12, 15)),
        (world.s[2], "E", D(2025, 6, 1)),
        (world.s[0], "D", D(2025, 12, 16)),
    ]:
        GradeRecord.objects.create(student=s, course=course, grade=grade, awarded_on=day, recorded_by=recorder)
    assert total(cells(world), "grades_earned") == {"num": 1, "den": 12}


def _plan(student, created: D) -> Plan:
    return Plan.objects.create(
        student=student, programme=Programme.objects.get(code="IMS"), created_at=_at(created), updated_at=_at(created)
    )


def test_plan_goals_met_leaves_out_goals_no_longer_pursued(world, recorder):
    plan = _plan(world.s[0], D(2025, 2, 1))
    for status, target in [
        ("met", D(2025, 10, 1)),
        ("in_progress", D(2025, 11, 1)),
        ("dropped", D(2025, 11, 1)),
        ("met", D(2026, 3, 1)),
    ]:
        PlanGoal.objects.create(plan=plan, term="short", kind="course", title="Mål", target_date=target, status=status)
    assert total(cells(world), "plan_goals_met") == {"num": 1, "den": 2, "base": 1}


def test_plan_set_up_within_four_weeks_of_the_start(world, recorder):
    # The first three students started on 20 August 2025.
    _plan(world.s[0], D(2025, 8, 30))  # 10 days: in time
    _plan(world.s[1], D(2025, 9, 29))  # 40 days: late
    # world.s[2] has no plan; a student who started earlier is not in the base.
    _plan(world.s[5], D(2025, 9, 29))
    assert total(cells(world), "plan_in_time") == {"num": 1, "den": 3}


def test_plan_reviewed_within_the_month_before_the_day(world, recorder):
    a = _plan(world.s[0], D(2025, 2, 1))
    b = _plan(world.s[1], D(2025, 2, 1))
    PlanReview.objects.create(
        plan=a, held_on=D(2025, 12, 20), participants="m", notes="n", plan_version=1, recorded_by=recorder
    )
    PlanReview.objects.create(
        plan=b, held_on=D(2025, 10, 20), participants="m", notes="n", plan_version=1, recorded_by=recorder
    )
    assert total(cells(world), "plan_reviewed") == {"num": 1, "den": 2}


def _handover(student, *, sent: D, received: D | None, recorder) -> None:
    from studievag.handover.models import Handover, Status

    Handover.objects.create(
        sending_unit=student.enrolments.get().school_unit,
        first_name=student.first_name,
        last_name=student.last_name,
        date_of_birth=student.date_of_birth,
        student=student,
        status=Status.RECEIVED if received else Status.SENT,
        sent_at=_at(sent),
        received_at=_at(received) if received else None,
        created_by=recorder,
    )


def test_handover_received_before_the_first_day(world, recorder):
    # The first three students started on 20 August 2025.
    _handover(world.s[0], sent=D(2025, 5, 2), received=D(2025, 5, 10), recorder=recorder)  # before: counts
    _handover(world.s[1], sent=D(2025, 8, 1), received=D(2025, 8, 20), recorder=recorder)  # on the first day: late
    _handover(world.s[2], sent=D(2025, 8, 1), received=None, recorder=recorder)  # never received
    # A student who started before the period is not in the base.
    _handover(world.s[5], sent=D(2024, 12, 1), received=D(2024, 12, 2), recorder=recorder)
    assert total(cells(world), "handover_before_start") == {"num": 1, "den": 3}


def test_placed_within_two_weeks_of_the_handover(world, recorder):
    _handover(world.s[0], sent=D(2025, 5, 2), received=D(2025, 5, 16), recorder=recorder)  # 14 days: quick
    _handover(world.s[1], sent=D(2025, 5, 2), received=D(2025, 5, 17), recorder=recorder)  # 15 days
    # world.s[2] came without a handover: not in the base.
    assert total(cells(world), "time_to_placement") == {"num": 1, "den": 2}


def test_plan_begun_before_the_first_day(world, recorder):
    _plan(world.s[0], D(2025, 5, 20))  # a draft in the spring of year 9
    _plan(world.s[1], D(2025, 8, 20))  # on the first day: not before
    _plan(world.s[5], D(2024, 12, 1))  # started before the period: not in the base
    assert total(cells(world), "plan_before_enrolment") == {"num": 1, "den": 3}


def test_the_handover_indicators_are_suppressed_like_every_other_share(world, recorder):
    _handover(world.s[0], sent=D(2025, 5, 2), received=D(2025, 5, 10), recorder=recorder)
    tables = run_report(
        ReportRequest(period=HT2025, unit_ids=[world.unit.pk], thresholds=Thresholds(), dims=("gender",), today=TODAY)
    )
    # Three students in the base: every cell rests on too few.
    assert {f.text for row in tables["handover_before_start"].cells for f in row} <= {"..", "–"}


def test_small_groups_are_suppressed_and_nothing_can_be_recovered_from_the_total(world):
    tables = run_report(
        ReportRequest(
            period=HT2025, unit_ids=[world.unit.pk], thresholds=Thresholds(), dims=("background",), today=TODAY
        )
    )
    students = {
        label: f.text for (_k, label), f in zip(tables["students"].rows, tables["students"].row_margin, strict=True)
    }
    # 4 born abroad (< 5) is hidden, so is the next smallest group (0 "not known" is
    # shown as 0 and does not protect): the 8 born in Sweden must go too.
    assert students["Born abroad"] == ".."
    assert students["Born in Sweden"] == ".."
    assert students["Total"] == "12"
    # A share over 4 students is hidden (base < 10); the total share over 12 is shown.
    newly = tables["newly_arrived"]
    assert newly.row_margin[-1].text == "33"


def test_the_experience_category_holds_the_survey_themes_and_response_rate():
    assert Category.EXPERIENCE in Category.LABELS
    assert sorted(i.id for i in INDICATORS.values() if i.category == Category.EXPERIENCE) == [
        "survey_engagement",
        "survey_influence",
        "survey_response_rate",
        "survey_safety",
        "survey_study_climate",
        "survey_support",
    ]


def test_every_indicator_has_a_name_description_and_counting_rule():
    for indicator in INDICATORS.values():
        assert str(indicator.name) and str(indicator.description)
        assert str(indicator.numerator_text)
        assert indicator.missing is not None or indicator.numerator is not None or indicator.external is not None


def in_line_case(world, course, recorder):
    """Six students of two organisers, each reading one course; a and f are behind.

    The day is 31 December 2025. Each student reads the course in a course group;
    the scale is the one the overview picks for the course's subject. Returns the
    report request over both units and the overview's status per student.
    """
    from decimal import Decimal

    from studievag.enrolments.models import GroupMembership, StudentGroup
    from studievag.intake.models import StartingLevel
    from studievag.plans.models import PlanCourse
    from studievag.progress.models import FollowUpSettings
    from studievag.progress.selectors import ScaleBook, follow_up_for

    day = D(2025, 12, 31)
    other = world.other_unit
    scale = ScaleBook([world.unit.organiser_id]).for_subject(world.unit.organiser_id, course.subject.code)
    steps = list(scale.steps.order_by("position"))
    first, goal = steps[0], next(s for s in steps if s.is_goal)
    assert goal.position - first.position <= 4  # the long plans below keep the line gentle
    # The other unit's organiser tolerates being far below the line.
    FollowUpSettings.objects.create(
        organiser=other.organiser, behind_steps=Decimal("9.0"), far_behind_steps=Decimal("9.5")
    )
    c = make_student(other, start=D(2025, 1, 10))
    a, b, d, e, f = world.s[:5]
    groups = {
        u.pk: StudentGroup.objects.create(school_unit=u, name="Ma", course=course, kind=StudentGroup.Kind.COURSE_GROUP)
        for u in (world.unit, other)
    }

    def follow(s, joined, *records):
        unit_id = s.enrolments.get().school_unit_id
        GroupMembership.objects.create(group=groups[unit_id], student=s, start_date=joined)
        for on, step in records:
            ProgressRecord.objects.create(student=s, course=course, step=step, recorded_on=on, recorded_by=recorder)

    def starting_level(s, step):
        mapping = IntakeMapping.objects.create(student=s, mapped_on=D(2025, 8, 1), recorded_by=recorder)
        StartingLevel.objects.create(mapping=mapping, subject=course.subject, step=step)

    # a: mapped on the first step at intake, in the group since 20 August, first record
    # in December still on it: the line started in August, so behind (from the first
    # record alone it would be in line).
    starting_level(a, first)
    follow(a, D(2025, 8, 20), (D(2025, 12, 1), first))
    # b: on the first step since August, but the plan reads the course until VT 2029: in line.
    follow(b, D(2025, 8, 1), (D(2025, 8, 1), first), (D(2025, 12, 15), first))
    plan = Plan.objects.create(student=b, created_at=_at(D(2025, 8, 5)), updated_at=_at(D(2025, 8, 5)))
    PlanCourse.objects.create(plan=plan, course=course, term="VT 2029")
    # c: the same steps, at the organiser with the wide threshold: in line.
    follow(c, D(2025, 8, 1), (D(2025, 8, 1), first), (D(2025, 12, 15), first))
    # d: the same steps, the enrolment ends in June 2029: in line.
    follow(d, D(2025, 8, 1), (D(2025, 8, 1), first), (D(2025, 12, 15), first))
    d.enrolments.update(end_date=D(2029, 6, 30), exit_reason="other")
    # e: mapped on the goal step and still there: in line.
    starting_level(e, goal)
    follow(e, D(2025, 8, 20), (D(2025, 11, 1), goal))
    # f: none of these, the same steps: the default 20 weeks are over, so behind.
    follow(f, D(2025, 8, 1), (D(2025, 8, 1), first), (D(2025, 12, 15), first))

    overview = follow_up_for([a, b, c, d, e, f], on=day)
    statuses = {s: overview[s.pk].worst_status for s in (a, b, c, d, e, f)}
    request = ReportRequest(
        period=HT2025,
        unit_ids=[world.unit.pk, other.pk],
        thresholds=Thresholds(),
        today=TODAY,
    )
    facts_refresh(HT2025, today=TODAY)
    return request, statuses, (a, b, c, d, e, f)


def test_in_line_is_the_team_overviews_rule(world, course, recorder):
    """The indicator and the weekly overview (progress.rules) agree student by student."""
    from studievag.progress.rules import Status

    request, statuses, (a, b, c, d, e, f) = in_line_case(world, course, recorder)
    behind = {Status.BEHIND, Status.FAR_BEHIND}
    assert statuses[a] in behind and statuses[f] in behind
    assert {statuses[s] for s in (b, c, d, e)} == {Status.IN_LINE}
    in_line = sum(status == Status.IN_LINE for status in statuses.values())
    facts_refresh(HT2025, today=TODAY)
    assert total(report_cells(request), "in_line") == {"num": in_line, "den": 6} == {"num": 4, "den": 6}
    # Per request (without the period's facts), student by student: a and f are behind.
    from studievag.quality.indicators import Context
    from studievag.quality.selectors import population

    ctx = Context(period=HT2025, population_period=HT2025, today=TODAY)
    rows = (
        population(request, "period", HT2025).annotate(**INDICATORS["in_line"].annotations(ctx)).filter(assessed=True)
    )
    assert rows.count() == 6
    assert (
        set(rows.filter(behind_somewhere=True).values_list("student_id", flat=True))
        == {s.pk for s, status in statuses.items() if status != Status.IN_LINE}
        == {a.pk, f.pk}
    )
