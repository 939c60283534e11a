"""Carrying out a queued sync run: the body of the background job."""

import datetime

import requests
from django.db import transaction
from django.utils import timezone

from .credentials import MissingCredential, credential_for
from .models import Connection, SyncRun
from .ss12000.client import Client
from .sync import run_sync


def client_for(connection: Connection) -> Client:
    credential = credential_for(connection.credential_name)
    session = requests.Session()
    if credential.cert:
        session.cert = credential.cert
    return Client(connection.base_url, token=credential.token, session=session, page_size=connection.page_size)


def sync_run_execute(*, run_id: int, client: Client | None = None, today: datetime.date | None = None) -> SyncRun:
    """The job's body: carry out a queued run. A run that is no longer queued is left alone."""
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().select_related("connection__organiser").get(pk=run_id)
        if run.status != SyncRun.Status.QUEUED:
            return run
    if client is None:
        try:
            client = client_for(run.connection)
        except MissingCredential as error:
            run.status, run.message, run.finished_at = SyncRun.Status.FAILED, str(error), timezone.now()
            run.save(update_fields=["status", "message", "finished_at"])
            return run
    return run_sync(run, client, today=today)
