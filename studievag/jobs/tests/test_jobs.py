"""Run records, locks, enqueueing once and the schedule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from studievag.jobs import schedule as schedule_module
from studievag.jobs import services
from studievag.jobs.models import JobLock, JobRun, JobRunEvent, ScheduleState
from studievag.jobs.schedule import Every, schedules
from studievag.jobs.services import enqueue_once, job_lock, job_run, row_lock, schedule_tick


@task()
def noop_task() -> int:
    return 1


def test_a_run_records_its_items_counts_and_times(db):
    with job_run("test.job") as run:
        run.total(3)
        run.item("a", "done", count=10, milliseconds=5)
        run.item("b", "done", count=20)
        run.item("c", "could not be read", failed=True)
        run.summarise("two of three")
    record = JobRun.objects.get()
    assert (record.name, record.status) == ("test.job", JobRun.Status.FAILED)  # an item failed
    assert (record.items_total, record.items_done, record.items_failed) == (3, 2, 1)
    assert record.summary == "two of three"
    assert record.finished_at >= record.started_at
    assert list(record.events.values_list("item", "level", "count")) == [
        ("a", "info", 10),
        ("b", "info", 20),
        ("c", "error", None),
    ]


def test_a_run_that_raises_is_recorded_as_failed_and_the_error_goes_on(db):
    with pytest.raises(ValueError), job_run("test.job"):
        raise ValueError("no such period")
    record = JobRun.objects.get()
    assert record.status == JobRun.Status.FAILED
    assert record.summary == "ValueError: no such period"
    assert JobRunEvent.objects.get().message == "ValueError: no such period"


def test_a_run_that_succeeds(db):
    with job_run("test.job") as run:
        run.item("a", "done")
    assert JobRun.objects.get().status == JobRun.Status.SUCCEEDED


def test_only_one_holder_of_a_lock_at_a_time(db):
    with job_run("test.locked", lock=True) as first:
        assert first.locked
        with job_run("test.locked", lock=True) as second:
            assert not second.locked
            second.skip("another run holds the lock")
        with job_lock("test.other") as other:
            assert other  # another name is another lock
    with job_lock("test.locked") as again:
        assert again  # released
    statuses = list(JobRun.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [JobRun.Status.SUCCEEDED, JobRun.Status.SKIPPED]


def test_a_row_lock_left_by_a_dead_worker_is_taken_over_when_it_expires(db):
    past = timezone.now() - datetime.timedelta(hours=2)
    JobLock.objects.create(name="test.rows", holder="gone:1", acquired_at=past, expires_at=past)
    with row_lock("test.rows", ttl=datetime.timedelta(hours=1)) as acquired:
        assert acquired
        assert JobLock.objects.get().holder != "gone:1"
        with row_lock("test.rows", ttl=datetime.timedelta(hours=1)) as second:
            assert not second
    assert not JobLock.objects.exists()


def test_a_task_is_enqueued_once_while_it_waits(db):
    first = enqueue_once(noop_task)
    assert first is not None
    assert enqueue_once(noop_task) is None
    assert DBTaskResult.objects.filter(task_path=noop_task.module_path).count() == 1
    DBTaskResult.objects.update(status="SUCCESSFUL")
    assert enqueue_once(noop_task) is not None


def test_the_scheduler_enqueues_when_the_interval_has_passed(db, monkeypatch):
    entry = Every("test.every", noop_task, minutes=10)
    monkeypatch.setattr(services, "schedules", lambda: (entry,))
    now = timezone.now()
    assert schedule_tick(now=now) == ["test.every"]
    assert schedule_tick(now=now + datetime.timedelta(minutes=5)) == []
    DBTaskResult.objects.update(status="SUCCESSFUL")
    assert schedule_tick(now=now + datetime.timedelta(minutes=10)) == ["test.every"]
    assert ScheduleState.objects.get().last_enqueued_at == now + datetime.timedelta(minutes=10)
    assert DBTaskResult.objects.count() == 2


def test_areas_declare_their_scheduled_jobs_in_tasks_py():
    schedule_module.schedules.cache_clear()
    names = {entry.name: entry.every for entry in schedules()}
    assert names["quality.facts_refresh"] == datetime.timedelta(minutes=10)


def test_the_administrator_sees_job_runs_and_no_one_else(cast, client):
    with job_run("quality.facts_refresh") as run:
        run.item("vt2026", "incremental", count=12, milliseconds=40)
    url = reverse("admin:jobs_jobrun_changelist")
    client.force_login(cast.admin)
    page = client.get(url)
    assert page.status_code == 200
    assert "quality.facts_refresh" in page.content.decode()
    detail = client.get(reverse("admin:jobs_jobrun_change", args=[JobRun.objects.get().pk]))
    assert detail.status_code == 200 and "vt2026" in detail.content.decode()
    client.force_login(cast.principal_a)
    assert client.get(url).status_code == 403
