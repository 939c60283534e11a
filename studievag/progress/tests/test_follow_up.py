"""What :func:`follow_up_for` reads: the overview and the grid get each course's first and
latest record and the recent weeks summed over courses; the progression page gets it all."""

import datetime

from django.utils import timezone

from studievag.catalogue.models import Course
from studievag.enrolments.models import GroupMembership, StudentGroup
from studievag.progress import rules
from studievag.progress.models import AttendanceWeek, FollowUpSettings, GradeRecord
from studievag.progress.selectors import TREND_WEEKS, follow_up_for, student_signals
from studievag.testing import make_group


def test_without_history_a_line_reads_its_first_and_latest_record(cast, maths, record):
    first = record(cast.alice, 1, days_ago=60)
    record(cast.alice, 2, days_ago=40)
    record(cast.alice, 2, days_ago=20)
    latest = record(cast.alice, 3, days_ago=5)
    record(cast.alice, 4, days_ago=-3)  # after the day asked about: not read
    today = timezone.localdate()

    line = follow_up_for([cast.alice], on=today)[cast.alice.pk].courses[0]
    full = follow_up_for([cast.alice], on=today, history=True)[cast.alice.pk].courses[0]

    assert [r.pk for r in line.records] == [first.pk, latest.pk]
    assert len(full.records) == 4 and full.records[0].pk == first.pk and full.latest.pk == latest.pk
    # Without a starting level the line starts at the first record, on its day, either way.
    assert line.start_step.position == full.start_step.position == 1
    assert line.start_date == full.start_date == first.recorded_on
    assert line.current_step.position == full.current_step.position == 3
    assert line.standing == full.standing


def test_a_single_record_is_both_the_first_and_the_latest(cast, maths, record):
    only = record(cast.adam, 2, days_ago=10)
    line = follow_up_for([cast.adam], on=timezone.localdate())[cast.adam.pk].courses[0]
    assert [r.pk for r in line.records] == [only.pk]
    assert line.start_step.position == line.current_step.position == 2


def test_attendance_is_summed_over_courses_per_week(cast, maths):
    today = timezone.localdate()
    other = Course.objects.exclude(pk=maths.course.pk).first()
    mondays = rules.recent_weeks(today, 4)
    for monday in mondays:
        AttendanceWeek.objects.create(
            student=cast.alice,
            course=maths.course,
            week_start=monday,
            scheduled_minutes=100,
            invalid_absence_minutes=50,
            recorded_by=cast.teacher_a,
        )
        AttendanceWeek.objects.create(
            student=cast.alice,
            course=other,
            week_start=monday,
            scheduled_minutes=300,
            valid_absence_minutes=10,
            recorded_by=cast.teacher_a,
        )
    follow = follow_up_for([cast.alice], on=today)[cast.alice.pk]
    assert [w.week_start for w in follow.weeks] == mondays
    assert follow.weeks[0] == rules.WeekMinutes(mondays[0], 400, 10, 50)
    assert follow.series[-4:] == [85.0] * 4
    assert follow.recent_attendance == 85.0
    assert not [s for s in follow.signals if s.kind == "attendance"]  # 85 % ≥ the default 80 %


def test_the_weeks_read_reach_as_far_back_as_the_organisers_window(cast, maths):
    """The trend reads 8 weeks; an organiser judging attendance over 12 gets 12."""
    today = timezone.localdate()
    assert FollowUpSettings().attendance_weeks < TREND_WEEKS < 12
    mondays = rules.recent_weeks(today, 12)
    for n, monday in enumerate(mondays):
        AttendanceWeek.objects.create(
            student=cast.alice,
            course=maths.course,
            week_start=monday,
            scheduled_minutes=100,
            invalid_absence_minutes=0 if n else 100,
            recorded_by=cast.teacher_a,
        )
    follow = follow_up_for([cast.alice], on=today)[cast.alice.pk]
    assert follow.recent_attendance == 100.0 and follow.series == [100.0] * TREND_WEEKS

    FollowUpSettings.objects.create(organiser=cast.organiser_a, attendance_weeks=12, attendance_percent=95)
    follow = follow_up_for([cast.alice], on=today)[cast.alice.pk]
    assert follow.weeks[0].week_start == mondays[0]
    assert round(follow.recent_attendance, 2) == round(1100 / 12, 2)
    assert any(s.kind == "attendance" for s in follow.signals)
    history = follow_up_for([cast.alice], on=today, history=True)[cast.alice.pk]
    assert history.weeks == follow.weeks


def test_the_worklists_signals_are_the_follow_ups(cast, maths, record):
    """:func:`student_signals` (plain rows, for the start page's worklists) gives each student
    the signals and plan status that :func:`follow_up_for` gives, whatever the case."""
    today = timezone.localdate()
    english = Course.objects.exclude(subject=maths.course.subject).order_by("pk").first()
    second = make_group(cast.unit_a, StudentGroup.Kind.COURSE_GROUP, name="Engelska A")
    second.course = english
    second.save(update_fields=["course"])
    started = today - datetime.timedelta(days=60)
    for student in (cast.alice, cast.adam):
        GroupMembership.objects.create(group=second, student=student, start_date=started)
    for student in (cast.adam, cast.protected, cast.bertil):
        GroupMembership.objects.create(group=maths, student=student, start_date=started)
    # Alice: no step in mathematics for ten weeks, none in English since the start: one signal for both.
    record(cast.alice, 1, days_ago=70)
    # Adam: graded in mathematics after an old step (done: no signal), low attendance.
    record(cast.adam, 2, days_ago=80)
    GradeRecord.objects.create(
        student=cast.adam, course=maths.course, grade="E", awarded_on=today, recorded_by=cast.teacher_a
    )
    for monday in rules.recent_weeks(today, 4):
        AttendanceWeek.objects.create(
            student=cast.adam,
            course=maths.course,
            week_start=monday,
            scheduled_minutes=100,
            invalid_absence_minutes=40,
            recorded_by=cast.teacher_a,
        )
    # The protected student: a step last week. Bertil: another organiser, which waits twelve weeks.
    record(cast.protected, 2, days_ago=7)
    record(cast.bertil, 1, days_ago=63)
    FollowUpSettings.objects.create(organiser=cast.organiser_b, no_progress_weeks=12)
    students = [cast.alice, cast.adam, cast.protected, cast.bertil]

    follow = follow_up_for(students, on=today)
    light = student_signals([s.pk for s in students], on=today)

    for s in students:
        assert light[s.pk].signals == follow[s.pk].signals, s
        assert light[s.pk].plan_status == follow[s.pk].plan_status, s
    kinds = {s.pk: [sig.kind for sig in light[s.pk].signals if sig.kind != "plan_review"] for s in students}
    # Adam's English has had no step since the start; his mathematics is graded.
    assert kinds == {
        cast.alice.pk: ["no_progress"],
        cast.adam.pk: ["attendance", "no_progress"],
        cast.protected.pk: [],
        cast.bertil.pk: [],
    }

    def no_progress(student):
        [signal] = [s for s in light[student.pk].signals if s.kind == "no_progress"]
        return signal.message

    alices, adams = no_progress(cast.alice), no_progress(cast.adam)
    assert maths.course.subject.name in alices and english.subject.name in alices
    assert english.subject.name in adams and maths.course.subject.name not in adams
