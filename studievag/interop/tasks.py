"""The sync as a background job."""

from django.db import transaction

from .models import SyncRun
from .runs import sync_run_execute


def enqueue_sync(run: SyncRun) -> None:
    """Hand the run to the job runner; until it lands the run is carried out after the request's commit."""
    transaction.on_commit(lambda: sync_run_execute(run_id=run.pk))
