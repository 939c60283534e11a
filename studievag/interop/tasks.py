"""The sync as a background job (run by the worker, see ``studievag/jobs``).

A run requested on the page, or by the schedule, is a ``SyncRun`` row
(queued) and a task; the worker carries it out. Each register is synced by
one run at a time (the job lock, beside the ``SyncRun`` constraint). The
jobs area's run record gets the status, the counts as its summary and a note
per refused entity; the run page shows the full list.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from studievag.jobs.models import JobRunEvent
from studievag.jobs.schedule import Every
from studievag.jobs.services import job_run

from .models import Connection, SyncEvent, SyncRun
from .runs import sync_run_execute

SYNC = "interop.sync"
SCHEDULED = "interop.scheduled_sync"


@task()
def sync_task(run_id: int) -> dict:
    run = SyncRun.objects.select_related("connection").get(pk=run_id)
    with job_run(f"{SYNC}:{run.connection_id}", lock=True) as job:
        if not job.locked:
            SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.QUEUED).update(
                status=SyncRun.Status.FAILED, message=_("Another sync of this register was running.")
            )
            job.skip(_("Another sync of this register was running."))
            return {"skipped": True}
        run = sync_run_execute(run_id=run_id)
        for event in run.events.filter(kind=SyncEvent.Kind.REFUSED):
            job.note(f"{event.entity_type} {event.entity_id}: {event.text}", level=JobRunEvent.Level.WARNING)
        job.summarise(
            "; ".join(
                f"{entity}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())) for entity, c in run.counts.items()
            )
            or run.message
        )
        if run.status == SyncRun.Status.FAILED:
            raise RuntimeError(run.message)
        return {"run": run.pk, "status": run.status}


@task()
def scheduled_sync_task() -> dict:
    """Queue a sync of every register whose scheduled sync is on (and has none queued or running)."""
    queued = []
    for connection in Connection.objects.filter(enabled=True):
        if connection.runs.filter(status__in=[SyncRun.Status.QUEUED, SyncRun.Status.RUNNING]).exists():
            continue
        run = SyncRun.objects.create(connection=connection)
        enqueue_sync(run)
        queued.append(run.pk)
    return {"queued": queued}


def enqueue_sync(run: SyncRun) -> None:
    """Hand the run to the worker once the request's transaction has committed."""
    transaction.on_commit(lambda: sync_task.enqueue(run_id=run.pk))


# Every hour: a change in the student register reaches Studieväg within the hour.
SCHEDULE = (Every(SCHEDULED, scheduled_sync_task, minutes=60),)
