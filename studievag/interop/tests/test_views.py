"""The pages: the administrator's register links and runs, the principal's conflicts; denied writes change nothing."""

import pytest

from studievag.interop.models import Conflict, Connection, ExternalRecord, SyncEvent, SyncRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(cast):
    return Connection.objects.create(
        organiser=cast.organiser_a, base_url="https://r.example.se/v2.0", credential_name="KOMMUN_A"
    )


@pytest.fixture
def conflict(cast, link):
    record = ExternalRecord.objects.create(
        connection=link,
        entity_type="person",
        external_id="6f1e0c1a-5d0b-4a53-9a52-0d6c3c1f0a11",
        local_kind="student",
        local_id=cast.protected.pk,
        received={"last_name": cast.protected.last_name},
    )
    return Conflict.objects.create(
        connection=link,
        record=record,
        student=cast.protected,
        field="last_name",
        local_value="Gömd",
        register_value="Hemlig",
    )


def test_the_administrator_sees_every_organiser_of_the_region(cast, client, link, django_assert_num_queries):
    client.force_login(cast.admin)
    with django_assert_num_queries(8):
        # The request's savepoint and its release, session, user, the user's grants (role assignments carrying
        # the own student and guardian ids), organisers, connections with their open conflicts, the last runs.
        response = client.get("/interop/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kommun A" in body and "Kommun B" in body and "https://r.example.se/v2.0" in body


def test_saving_a_link_stores_no_secret_and_resets_the_watermarks_for_a_new_address(cast, client, link):
    link.watermarks = {"/persons": "2026-09-01T08:00:00.000Z"}
    link.save()
    client.force_login(cast.admin)
    response = client.post(
        f"/interop/organisers/{cast.organiser_a.pk}/",
        {
            "base_url": "https://nytt.example.se/v2.0",
            "credential_name": "KOMMUN_A",
            "enabled": "on",
            "page_size": "100",
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.base_url, link.watermarks, link.page_size) == ("https://nytt.example.se/v2.0", {}, 100)


def test_a_credential_name_must_be_a_plain_name(cast, client, link):
    client.force_login(cast.admin)
    response = client.post(
        f"/interop/organisers/{cast.organiser_a.pk}/",
        {"base_url": "https://r.example.se/v2.0", "credential_name": "token=abc", "page_size": "100"},
    )
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.credential_name == "KOMMUN_A"


def test_the_link_page_says_when_the_token_is_missing(cast, client, link, monkeypatch):
    monkeypatch.delenv("STUDIEVAG_SS12000_KOMMUN_A_TOKEN", raising=False)
    client.force_login(cast.admin)
    body = client.get(f"/interop/organisers/{cast.organiser_a.pk}/").content.decode()
    assert "STUDIEVAG_SS12000_KOMMUN_A_TOKEN" in body


@pytest.mark.parametrize("who", ["principal_a", "mentor_a", "analyst", "nobody"])
def test_others_cannot_change_a_link_or_start_a_run(cast, client, link, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        f"/interop/organisers/{cast.organiser_a.pk}/",
        {"base_url": "https://evil.example/v2.0", "credential_name": "EVIL", "page_size": "1"},
    )
    assert response.status_code in (403, 404)
    assert client.post(f"/interop/organisers/{cast.organiser_a.pk}/run/", {}).status_code in (403, 404)
    link.refresh_from_db()
    assert (link.base_url, link.credential_name) == ("https://r.example.se/v2.0", "KOMMUN_A")
    assert SyncRun.objects.count() == 0


def test_the_run_page_shows_counts_and_refusals_and_no_student_names(cast, client, link):
    run = SyncRun.objects.create(
        connection=link,
        status=SyncRun.Status.SUCCEEDED,
        counts={"persons": {"created": 2, "refused": 1}},
    )
    SyncEvent.objects.create(run=run, kind="refused", entity_type="persons", entity_id="abc", text="No number.")
    SyncEvent.objects.create(
        run=run, kind="change", entity_type="persons", entity_id="def", text="Student added", student=cast.alice
    )
    client.force_login(cast.admin)
    body = client.get(f"/interop/runs/{run.pk}/").content.decode()
    assert "No number." in body and "Student added" in body
    assert "Alice" not in body and cast.alice.personal_identity_number not in body


def test_the_principal_decides_a_conflict(cast, client, conflict):
    client.force_login(cast.principal_a)
    body = client.get("/interop/conflicts/").content.decode()
    assert "Hemlig" in body and "Gömd" in body
    response = client.post(f"/interop/conflicts/{conflict.pk}/decide/", {"choice": "register"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    cast.protected.refresh_from_db()
    assert conflict.status == Conflict.Status.TAKEN
    assert cast.protected.last_name == "Hemlig"


@pytest.mark.parametrize("who", ["mentor_b", "admin", "mentor_a", "counsellor_a"])
def test_no_one_else_decides_and_the_conflict_stays_open(cast, client, conflict, who):
    client.force_login(getattr(cast, who))
    response = client.post(f"/interop/conflicts/{conflict.pk}/decide/", {"choice": "register"})
    assert response.status_code in (403, 404)
    conflict.refresh_from_db()
    cast.protected.refresh_from_db()
    assert conflict.status == Conflict.Status.OPEN and cast.protected.last_name != "Hemlig"


def test_a_principal_of_another_school_does_not_see_the_conflict(cast, client, conflict):
    from studievag.access.models import Role
    from studievag.testing import assign, make_user

    other = make_user("principal_b")
    assign(other, Role.PRINCIPAL, school_unit=cast.unit_b)
    client.force_login(other)
    assert "Hemlig" not in client.get("/interop/conflicts/").content.decode()
    assert client.post(f"/interop/conflicts/{conflict.pk}/decide/", {"choice": "keep"}).status_code == 404
