"""The facts behind the reports are computed by the background job, never in a request."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from studievag.jobs.models import JobRun
from studievag.jobs.services import job_lock
from studievag.progress.models import AttendanceWeek
from studievag.quality.facts import offered_periods, refresh_offered_periods
from studievag.quality.models import PeriodFactsStatus, StudentPeriodFacts
from studievag.quality.tasks import FACTS_REFRESH, facts_refresh_task
from studievag.quality.tests.test_indicators import HT2025, TODAY, cells, course, recorder, total, world  # noqa: F401


def test_the_form_offers_ten_terms_and_five_school_years_and_the_job_keeps_them_all():
    codes = [p.code for p in offered_periods(datetime.date(2026, 1, 15))]
    assert codes[:3] == ["vt2026", "ht2025", "vt2025"]
    # The form's ten terms and five school years first, then the earlier ones their trends reach.
    assert len([c for c in codes[:15] if c[:2] in ("ht", "vt")]) == 10
    assert [c for c in codes[:15] if c.startswith("sy")] == ["sy2025", "sy2024", "sy2023", "sy2022", "sy2021"]
    assert len([c for c in codes if c[:2] in ("ht", "vt")]) == 15


def test_first_full_then_only_the_students_whose_records_changed(world, course, recorder):  # noqa: F811
    first = refresh_offered_periods(today=TODAY)
    assert len(first) == 25 and all(r.full for r in first)
    assert PeriodFactsStatus.objects.count() == 25
    ht = PeriodFactsStatus.objects.get(period="ht2025")
    assert ht.students == 13  # every school unit: twelve here, one at the other unit
    assert total(cells_without_refresh(world), "attendance") == {"base": 0}

    AttendanceWeek.objects.create(
        student=world.s[0],
        course=course,
        week_start=datetime.date(2025, 9, 1),
        scheduled_minutes=100,
        invalid_absence_minutes=25,
        recorded_by=recorder,
    )
    second = {r.period.code: r for r in refresh_offered_periods(today=TODAY)}
    assert not any(r.full for r in second.values())
    # The periods ending on or after the week picked the student up, the ones before it did not.
    assert {code: r.students for code, r in second.items() if r.students} == {
        "ht2025": 1,
        "vt2026": 1,
        "sy2025": 1,
    }
    assert PeriodFactsStatus.objects.get(period="ht2025").students == 13
    assert StudentPeriodFacts.objects.filter(period="ht2025").count() == 13
    figure = total(cells_without_refresh(world), "attendance")
    assert (figure["num"], figure["den"]) == (75, 100)


def test_nothing_changed_nothing_written(world):  # noqa: F811
    refresh_offered_periods(today=TODAY)
    again = refresh_offered_periods(today=TODAY)
    # Nothing dated was saved: nothing is written again.
    assert all(not r.full for r in again)
    assert sum(r.students for r in again) == 0


def cells_without_refresh(world):  # noqa: F811
    from studievag.quality.selectors import ReportRequest, report_cells
    from studievag.quality.suppression import Thresholds

    return report_cells(ReportRequest(period=HT2025, unit_ids=[world.unit.pk], thresholds=Thresholds(), today=TODAY))


def report_url(cast):
    return reverse("quality:report") + f"?level=organiser:{cast.unit_a.organiser_id}&period=vt2026"


def test_a_report_before_the_first_refresh_computes_nothing_and_asks_the_job(cast, client):
    client.force_login(cast.analyst)
    page = client.get(report_url(cast))
    assert page.status_code == 200
    text = page.content.decode()
    assert "are being computed" in text
    assert not StudentPeriodFacts.objects.exists()
    assert not PeriodFactsStatus.objects.exists()
    assert DBTaskResult.objects.filter(task_path=facts_refresh_task.module_path).count() == 1
    attendance = page.context["report"].tables["attendance"]
    assert attendance.total.missing
    client.get(report_url(cast))  # asking again does not queue a second run
    assert DBTaskResult.objects.filter(task_path=facts_refresh_task.module_path).count() == 1

    facts_refresh_task.call()
    page = client.get(report_url(cast))
    status = PeriodFactsStatus.objects.get(period=page.context["report"].period.code)
    assert page.context["report"].facts_computed_at == status.computed_at
    assert "computed" in page.content.decode() and "are being computed" not in page.content.decode()
    run = JobRun.objects.get(name=FACTS_REFRESH)
    assert (run.status, run.items_total, run.items_done) == ("succeeded", 25, 25)


def _hold_lock_elsewhere(started: threading.Event, release: threading.Event):
    try:
        with job_lock(FACTS_REFRESH) as acquired:
            assert acquired
            started.set()
            release.wait(10)
    finally:
        connections.close_all()


def test_a_second_refresh_while_one_runs_is_skipped(db):
    if connection.vendor == "postgresql":
        # An advisory lock held by another session (another worker).
        started, release = threading.Event(), threading.Event()
        holder = threading.Thread(target=_hold_lock_elsewhere, args=(started, release))
        holder.start()
        assert started.wait(10)
        try:
            outcome = facts_refresh_task.call()
        finally:
            release.set()
            holder.join()
    else:
        with job_lock(FACTS_REFRESH) as acquired:
            assert acquired
            outcome = facts_refresh_task.call()
    assert outcome == {"skipped": True}
    assert JobRun.objects.get().status == JobRun.Status.SKIPPED
    assert not PeriodFactsStatus.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the facts are computed side by side on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_full_refresh_side_by_side_writes_what_one_connection_writes(world, course, recorder, settings):  # noqa: F811
    """A full refresh outside a transaction spreads the students over several connections
    (``STUDIEVAG_FACTS_WORKERS``) and writes the same facts as one connection."""
    from studievag.quality.facts import FACT_NAMES, facts_refresh

    for i, s in enumerate(world.s):
        AttendanceWeek.objects.create(
            student=s,
            course=course,
            week_start=datetime.date(2025, 9, 1),
            scheduled_minutes=100,
            invalid_absence_minutes=5 * i,
            recorded_by=recorder,
        )

    def facts() -> list[tuple]:
        return list(
            StudentPeriodFacts.objects.filter(period=HT2025.code)
            .order_by("student_id")
            .values_list("student_id", *FACT_NAMES)
        )

    settings.STUDIEVAG_FACTS_WORKERS = 1
    alone = facts_refresh(HT2025, today=TODAY)
    one = facts()
    settings.STUDIEVAG_FACTS_WORKERS = 3
    assert not connection.in_atomic_block
    side_by_side = facts_refresh(HT2025, today=TODAY)
    assert (side_by_side.full, side_by_side.students) == (alone.full, alone.students) == (True, 13)
    assert facts() == one
    assert len(one) == 13 and any(row[1] for row in one)  # attendance computed
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'quality_facts_stage_%%'")
        assert cursor.fetchone()[0] == 0  # the staging table is gone


@pytest.mark.skipif(connection.vendor != "postgresql", reason="staging tables: PostgreSQL only")
def test_the_job_drops_the_staging_table_a_killed_refresh_left(db, caplog):
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNLOGGED TABLE quality_facts_stage_0123456789abcdef (student_id integer)")
        cursor.execute("CREATE TABLE quality_facts_stages_of_someone_else (id integer)")  # not a stage: kept
    facts_refresh_task.call()
    tables = set(connection.introspection.table_names())
    assert "quality_facts_stage_0123456789abcdef" not in tables
    assert "quality_facts_stages_of_someone_else" in tables
    assert "quality_facts_stage_0123456789abcdef" in caplog.text
