"""Writes of the jobs area: run records, once-at-a-time locks, enqueueing and the schedule.

A job is a task of Django's tasks framework (``django_tasks.task``) that
records what it did with :func:`job_run`::

    @task()
    def facts_refresh_task():
        with job_run("quality.facts_refresh") as run:
            if not run.locked:
                return run.skip(_("Another refresh is running."))
            ...
            run.item("vt2026", "refreshed", count=812, milliseconds=140)
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import socket
import time
from collections.abc import Iterator

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import JobLock, JobRun, JobRunEvent, ScheduleState
from .schedule import schedules


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextlib.contextmanager
def job_lock(name: str, *, ttl: datetime.timedelta = datetime.timedelta(hours=1)) -> Iterator[bool]:
    """Hold the lock ``name`` for the block; yields False (at once) when another holds it.

    On PostgreSQL a session-level advisory lock, released when the block ends or
    the connection dies; elsewhere a row in :class:`JobLock` (:func:`row_lock`).
    """
    locker = advisory_lock(name) if connection.vendor == "postgresql" else row_lock(name, ttl=ttl)
    with locker as acquired:
        yield acquired


# Advisory locks are re-entrant within one database session: the names this
# process holds, so a second holder in the same process is refused too.
_held: set[tuple[int, str]] = set()


@contextlib.contextmanager
def advisory_lock(name: str) -> Iterator[bool]:
    key = _lock_key(name)
    connection.ensure_connection()
    mine = (id(connection.connection), name)
    acquired = False
    if mine not in _held:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
    if acquired:
        _held.add(mine)
    try:
        yield acquired
    finally:
        if acquired:
            _held.discard(mine)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@contextlib.contextmanager
def row_lock(name: str, *, ttl: datetime.timedelta) -> Iterator[bool]:
    """A lock as a row: taken over when older than ``ttl`` (a worker that died holding it)."""
    holder = f"{_holder()}:{time.monotonic_ns()}"
    now = timezone.now()
    try:
        with transaction.atomic():
            JobLock.objects.create(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
        acquired = True
    except IntegrityError:
        with transaction.atomic():
            acquired = bool(
                JobLock.objects.filter(name=name, expires_at__lt=now).update(
                    holder=holder, acquired_at=now, expires_at=now + ttl
                )
            )
    try:
        yield acquired
    finally:
        if acquired:
            JobLock.objects.filter(name=name, holder=holder).delete()


class RunRecorder:
    """What a running job writes about itself (see :func:`job_run`)."""

    def __init__(self, run: JobRun, locked: bool):
        self.run = run
        self.locked = locked

    def total(self, n: int) -> None:
        self.run.items_total = n
        self.run.save(update_fields=["items_total"])

    def item(
        self,
        item: str,
        message: str,
        *,
        count: int | None = None,
        milliseconds: int | None = None,
        failed: bool = False,
    ) -> JobRunEvent:
        if failed:
            self.run.items_failed += 1
        else:
            self.run.items_done += 1
        self.run.save(update_fields=["items_done", "items_failed"])
        return JobRunEvent.objects.create(
            run=self.run,
            at=timezone.now(),
            level=JobRunEvent.Level.ERROR if failed else JobRunEvent.Level.INFO,
            item=item[:100],
            message=message,
            count=count,
            milliseconds=milliseconds,
        )

    def note(self, message: str, *, level: str = JobRunEvent.Level.INFO) -> JobRunEvent:
        return JobRunEvent.objects.create(run=self.run, at=timezone.now(), level=level, message=message)

    def skip(self, reason: str) -> JobRun:
        self.run.status = JobRun.Status.SKIPPED
        self.run.summary = reason
        return self.run

    def summarise(self, text: str) -> None:
        self.run.summary = text


@contextlib.contextmanager
def job_run(name: str, *, lock: bool = False, task_result_id: str = "") -> Iterator[RunRecorder]:
    """Record one run of the job ``name``: started, finished, status, counts and messages.

    With ``lock=True`` the run also holds the lock ``name`` (:func:`job_lock`);
    ``recorder.locked`` tells whether it got it. An exception marks the run
    failed, is written as an error message and is raised again.
    """
    run = JobRun.objects.create(name=name, started_at=timezone.now(), task_result_id=task_result_id)
    locker = job_lock(name) if lock else contextlib.nullcontext(True)
    try:
        with locker as locked:
            recorder = RunRecorder(run, bool(locked))
            yield recorder
    except Exception as error:
        run.status = JobRun.Status.FAILED
        run.summary = f"{type(error).__name__}: {error}"[:2000]
        JobRunEvent.objects.create(run=run, at=timezone.now(), level=JobRunEvent.Level.ERROR, message=run.summary)
        raise
    else:
        if run.status == JobRun.Status.RUNNING:
            run.status = JobRun.Status.FAILED if run.items_failed else JobRun.Status.SUCCEEDED
    finally:
        run.finished_at = timezone.now()
        run.save()


def pending(task) -> bool:
    """Whether the task is enqueued and not started yet (database backend only)."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (its models load once the app registry is ready)

    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()


def enqueue_once(task, *args, **kwargs):
    """Enqueue the task unless a run of it is already waiting; the result, or None."""
    backend = task.get_backend()
    if type(backend).__module__.startswith("django_tasks_db") and pending(task):
        return None
    return task.enqueue(*args, **kwargs)


def schedule_tick(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every scheduled job whose interval has passed; the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for entry in schedules():
        with transaction.atomic():
            state = ScheduleState.objects.select_for_update().filter(name=entry.name).first()
            if state is not None and state.last_enqueued_at + entry.every > now:
                continue
            result = enqueue_once(entry.task)
            ScheduleState.objects.update_or_create(
                name=entry.name,
                defaults={"last_enqueued_at": now, "task_result_id": str(result.id) if result else ""},
            )
            enqueued.append(entry.name)
    return enqueued
