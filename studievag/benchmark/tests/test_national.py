"""The national data set at a small scale, and the benchmark's hand-written SQL."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from studievag.benchmark import bench
from studievag.benchmark.national import generate
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.people.models import Student
from studievag.quality.facts import facts_refresh
from studievag.quality.periods import term_of
from studievag.quality.selectors import report_cells

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def national(db):
    summary = generate(students=80, seed=7, today=TODAY)
    facts_refresh(term_of(TODAY), today=TODAY)  # the background job's work
    return summary


def test_generates_a_country_of_organisers_units_and_five_years_of_students(national):
    assert Organiser.objects.count() == 290
    assert 700 <= SchoolUnit.objects.count() <= 1300  # about a thousand, by the seed
    current = Enrolment.objects.active_on(TODAY).values("student_id").distinct().count()
    assert national.current_students == current
    assert 50 <= current <= 115
    assert Student.objects.count() > 2 * current  # five years of history
    oldest = Enrolment.objects.order_by("start_date").first().start_date
    assert oldest >= TODAY.replace(year=TODAY.year - 5)
    assert national.rows["progress_attendanceweek"] > 10 * national.students
    assert national.rows["progress_progressrecord"] > 0
    assert national.rows["plans_planreview"] > 0


def test_identity_numbers_cannot_belong_to_real_people(national):
    from studievag.demo.services import is_demo_identity_number

    for number in Student.objects.values_list("personal_identity_number", flat=True):
        assert is_demo_identity_number(number) or number.startswith("99")


def test_the_same_seed_gives_the_same_students(db):
    from studievag.benchmark.national import Generator

    def plan():
        g = Generator(students=80, seed=3, today=TODAY)
        g.units_flat = [type("U", (), {"pk": k})() for k in range(5)]
        g.unit_weights = [1] * 5
        return [(p.born, p.female, p.enrolments[0][1:]) for p in g.plan_students()]

    assert plan() == plan()


def test_the_command_refuses_a_database_that_has_students(cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_national", "--students", "60")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="hand-written SQL is PostgreSQL")
def test_hand_written_sql_agrees_with_the_application(national):
    for units, dims in [
        (None, ("gender", "background")),
        (None, ()),
        (list(SchoolUnit.objects.values_list("pk", flat=True)[:300]), ("programme",)),
    ]:
        req = bench.request_for(term_of(TODAY), units, dims, TODAY)
        assert bench.agree(bench.orm_raw(req), bench.run_hand_sql(req))
    assert report_cells(bench.request_for(term_of(TODAY), None, (), TODAY))["students"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="hand-written SQL is PostgreSQL")
def test_the_benchmarks_survey_wave_gives_the_reports_the_hand_written_figures(national):
    from studievag.benchmark import surveys as bench_surveys

    assert bench_surveys.generate_wave(today=TODAY, seed=3) > 0
    figures: dict[str, object] = {}
    bench_surveys.lines(today=TODAY, line=lambda name, value, unit: figures.__setitem__(name, value))
    assert figures["survey_report_national_same_figures"] == 1


def test_a_data_set_ending_today_has_no_record_saved_after_now(db):
    """Generated in the morning, "saved that afternoon" would lie in the future: every
    incremental facts refresh until then would take those students as changed."""
    from django.utils import timezone

    from studievag.intake.models import IntakeMapping
    from studievag.progress.models import AttendanceWeek, ProgressRecord

    today = timezone.localdate()
    generate(students=40, seed=5, today=today)
    now = timezone.now()
    for model, field in (
        (AttendanceWeek, "recorded_at"),
        (ProgressRecord, "recorded_at"),
        (IntakeMapping, "updated_at"),
    ):
        assert model.objects.exists()
        assert not model.objects.filter(**{f"{field}__gt": now}).exists(), model.__name__
