"""The journeys: the administrator dry-runs a sync and reads the run; the principal settles a conflict."""

import pytest
from playwright.sync_api import expect

from studievag.interop.models import Conflict, SyncRun
from studievag.interop.tasks import sync_task
from studievag.people.services import student_update


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_administrator_dry_runs_then_principal_settles_a_conflict(
    transactional_db, django_db_serialized_rollback, live_server, page, cast, connection, simulated, register_clock
):
    log_in(page, live_server, "sysadmin")
    page.goto(f"{live_server.url}/interop/")
    page.locator(f"a[href='/interop/organisers/{cast.organiser_a.pk}/']").click()
    page.wait_for_load_state()
    page.locator("button[name=dry_run]").click()
    page.wait_for_load_state()
    run = SyncRun.objects.get()
    assert run.dry_run and run.status == SyncRun.Status.QUEUED
    # The worker takes the job.
    sync_task.call(run_id=run.pk)
    page.reload()
    counts = page.locator("table").first
    expect(counts.locator("tbody tr")).to_have_count(7)
    assert SyncRun.objects.get().status == SyncRun.Status.SUCCEEDED

    # A real sync links everything; then the counsellor and the register both change Alice's first name.
    sync_task.call(run_id=SyncRun.objects.create(connection=connection).pk)
    student_update(acting_user=cast.counsellor_a, student=cast.alice, reason="Stavning", first_name="Alise")
    register_clock.tick()
    person = simulated.register.get("/persons", simulated.students[cast.alice.pk])
    simulated.register.put("/persons", {**person, "givenName": "Alicia"})
    sync_task.call(run_id=SyncRun.objects.create(connection=connection).pk)
    assert Conflict.objects.filter(status=Conflict.Status.OPEN).count() == 1

    page.context.clear_cookies()
    log_in(page, live_server, "principal_a")
    page.goto(f"{live_server.url}/interop/conflicts/")
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("Alise")
    expect(row.locator("td").nth(2)).to_have_text("Alicia")
    row.locator("button[value=register]").click()
    page.wait_for_load_state()
    cast.alice.refresh_from_db()
    assert cast.alice.first_name == "Alicia"
    assert Conflict.objects.get().decided_by == cast.principal_a
    expect(page.locator("tbody tr td")).to_have_count(1)  # "Nothing to decide."
