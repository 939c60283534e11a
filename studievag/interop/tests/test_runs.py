"""A sync run as a job: queued, running, done or failed, with counts and a message per refused entity;
the dry run; one run at a time; credentials from the environment or a secrets file."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from studievag.enrolments.models import Enrolment
from studievag.interop.credentials import MissingCredential, credential_for
from studievag.interop.models import Conflict, ExternalRecord, SyncEvent, SyncRun
from studievag.interop.runs import sync_run_execute
from studievag.interop.services import sync_run_request
from studievag.interop.simulation import municipal_changes
from studievag.interop.ss12000 import builders
from studievag.people.models import Student

pytestmark = pytest.mark.django_db


def test_a_requested_run_is_a_job_for_the_worker(cast, connection, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from studievag.interop.tasks import sync_task
    from studievag.jobs.models import JobRun

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = sync_run_request(acting_user=cast.admin, connection=connection)
        assert run.status == SyncRun.Status.QUEUED
    assert len(callbacks) == 1
    (queued,) = DBTaskResult.objects.filter(task_path=sync_task.module_path)
    assert queued.args_kwargs["kwargs"] == {"run_id": run.pk}
    # What the worker does with it:
    assert sync_task.call(run_id=run.pk) == {"run": run.pk, "status": "succeeded"}
    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.started_at <= run.finished_at
    assert run.counts["persons"]["unchanged"] == 5
    assert run.requests_made > 5
    job = JobRun.objects.get(name=f"interop.sync:{connection.pk}")
    assert job.status == JobRun.Status.SUCCEEDED
    assert "persons: unchanged 5" in job.summary  # guardians and staff are counted as such, not as persons


def test_the_job_notes_each_refused_entity_and_a_failed_run_fails_the_job(cast, connection, simulated, monkeypatch):
    from studievag.interop.tasks import sync_task
    from studievag.jobs.models import JobRun

    simulated.register.put(
        "/persons",
        builders.person(
            id="5e0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
            given_name="Fel",
            family_name="Nummer",
            civic_no="200801019999",
            enrolments=[
                builders.enrolment(
                    school_unit=simulated.units[cast.unit_a.pk],
                    programme_id=simulated.programmes["IMS"],
                    start=datetime.date(2026, 8, 17),
                )
            ],
        ),
    )
    run = SyncRun.objects.create(connection=connection)
    sync_task.call(run_id=run.pk)
    job = JobRun.objects.get()
    refusal = "The personal identity number is not valid (date or check digit)."
    assert list(job.events.values_list("level", "message")) == [
        ("warning", f"persons 5e0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d: {refusal}")
    ]
    monkeypatch.setenv("STUDIEVAG_SS12000_KOMMUN_A_TOKEN", "wrong")
    failing = SyncRun.objects.create(connection=connection)
    with pytest.raises(RuntimeError, match="401"):
        sync_task.call(run_id=failing.pk)
    assert JobRun.objects.order_by("pk").last().status == JobRun.Status.FAILED


def test_the_schedule_queues_a_run_for_each_register_that_has_it_on(
    cast, connection, django_capture_on_commit_callbacks
):
    from studievag.interop.models import Connection
    from studievag.interop.tasks import scheduled_sync_task

    Connection.objects.create(
        organiser=cast.organiser_b, base_url="https://b.example.se", credential_name="B", enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduled_sync_task.call()
        second = scheduled_sync_task.call()  # the first is still queued
    assert len(first["queued"]) == 1 and second["queued"] == []
    assert SyncRun.objects.get().connection == connection


def test_only_one_run_at_a_time_per_register(cast, connection):
    sync_run_request(acting_user=cast.admin, connection=connection)
    with pytest.raises(ValidationError, match="already queued or running"):
        sync_run_request(acting_user=cast.admin, connection=connection, dry_run=True)
    assert SyncRun.objects.count() == 1


def test_a_run_that_is_not_queued_is_left_alone(cast, connection):
    run = SyncRun.objects.create(connection=connection, status=SyncRun.Status.FAILED, message="earlier")
    assert sync_run_execute(run_id=run.pk).message == "earlier"
    assert ExternalRecord.objects.count() == 0


def test_a_wrong_token_fails_the_run_with_the_registers_answer(cast, connection, monkeypatch):
    monkeypatch.setenv("STUDIEVAG_SS12000_KOMMUN_A_TOKEN", "wrong")
    run = sync_run_execute(run_id=SyncRun.objects.create(connection=connection).pk)
    assert run.status == SyncRun.Status.FAILED
    assert (
        run.message == "GET /organisations: the register answered 401 (UNAUTHORIZED: A valid bearer token is needed.)"
    )
    connection.refresh_from_db()
    assert connection.watermarks == {}  # nothing counts as read


def test_a_missing_credential_fails_the_run_and_says_where_to_put_it(cast, connection, monkeypatch):
    monkeypatch.delenv("STUDIEVAG_SS12000_KOMMUN_A_TOKEN")
    run = sync_run_execute(run_id=SyncRun.objects.create(connection=connection).pk)
    assert run.status == SyncRun.Status.FAILED
    assert "STUDIEVAG_SS12000_KOMMUN_A_TOKEN" in run.message


def test_credentials_come_from_the_secrets_file_when_the_environment_has_none(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("STUDIEVAG_SS12000_SKOVDE_TOKEN", raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[ss12000.SKOVDE]\ntoken = "från-filen"\ncert = "/c.crt"\nkey = "/c.key"\n', encoding="utf-8")
    settings.SECRETS_FILE = str(secrets)
    assert credential_for("SKOVDE").token == "från-filen"
    assert credential_for("SKOVDE").cert == ("/c.crt", "/c.key")
    monkeypatch.setenv("STUDIEVAG_SS12000_SKOVDE_TOKEN", "från-miljön")
    assert credential_for("SKOVDE").token == "från-miljön"
    with pytest.raises(MissingCredential):
        credential_for("OTHER")


def test_the_connection_table_has_no_column_for_a_secret():
    from studievag.interop.models import Connection

    names = {f.name for f in Connection._meta.get_fields()}
    assert not {n for n in names if "token" in n or "secret" in n or "password" in n}


def test_a_dry_run_shows_the_changes_and_makes_none(cast, connection, simulated, register_clock, today):
    sync_run_execute(run_id=SyncRun.objects.create(connection=connection).pk)
    register_clock.tick()
    municipal_changes(simulated, today=today, unit_pk=cast.unit_a.pk, mentor_group_pk=cast.mentor_group_a.pk)
    students = Student.objects.count()
    enrolments = list(Enrolment.objects.values_list("pk", "end_date"))
    connection.refresh_from_db()
    watermarks = connection.watermarks
    assert set(watermarks) == {"/organisations", "/programmes", "/persons", "/groups", "/duties"}
    records = ExternalRecord.objects.count()

    dry = sync_run_execute(run_id=SyncRun.objects.create(connection=connection, dry_run=True).pk)

    assert dry.status == SyncRun.Status.SUCCEEDED, dry.message
    assert Student.objects.count() == students
    assert list(Enrolment.objects.values_list("pk", "end_date")) == enrolments
    assert ExternalRecord.objects.count() == records
    assert Conflict.objects.count() == 0
    connection.refresh_from_db()
    assert connection.watermarks == watermarks
    # What it shows is what the real run then does.
    real = sync_run_execute(run_id=SyncRun.objects.create(connection=connection).pk)
    assert dry.counts == real.counts
    dry_texts = sorted(dry.events.filter(kind=SyncEvent.Kind.CHANGE).values_list("entity_type", "text"))
    real_texts = sorted(real.events.filter(kind=SyncEvent.Kind.CHANGE).values_list("entity_type", "text"))
    assert dry_texts == real_texts
    assert Student.objects.count() == students + 2
