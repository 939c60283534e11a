"""A sync run as a job: queued, running, done or failed, with counts and a message per refused entity;
the dry run; one run at a time; credentials from the environment or a secrets file."""

import pytest
from django.core.exceptions import ValidationError

from studievag.enrolments.models import Enrolment
from studievag.interop.credentials import MissingCredential, credential_for
from studievag.interop.models import Conflict, ExternalRecord, SyncEvent, SyncRun
from studievag.interop.runs import sync_run_execute
from studievag.interop.services import sync_run_request
from studievag.interop.simulation import municipal_changes
from studievag.people.models import Student

pytestmark = pytest.mark.django_db


def test_a_requested_run_is_queued_then_carried_out_after_the_commit(
    cast, connection, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = sync_run_request(acting_user=cast.admin, connection=connection)
        assert run.status == SyncRun.Status.QUEUED
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.started_at <= run.finished_at
    assert run.counts["persons"]["unchanged"] == 5
    assert run.requests_made > 5


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
