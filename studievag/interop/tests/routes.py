from studievag.testing import Route

A_PLAN_EXPORTERS = frozenset({"mentor", "counsellor", "principal"})


def connection_a(cast) -> dict:
    from studievag.interop.models import Connection

    Connection.objects.get_or_create(
        organiser=cast.organiser_a, defaults={"base_url": "http://127.0.0.1:9/v2.0", "credential_name": "KOMMUN_A"}
    )
    return {"organiser_pk": cast.organiser_a.pk}


def run_a(cast) -> dict:
    from studievag.interop.models import Connection, SyncRun

    connection_a(cast)
    run = SyncRun.objects.create(
        connection=Connection.objects.get(organiser=cast.organiser_a), status=SyncRun.Status.SUCCEEDED
    )
    return {"pk": run.pk}


def conflict_alice(cast) -> dict:
    from studievag.interop.models import Conflict, Connection, ExternalRecord

    connection_a(cast)
    connection = Connection.objects.get(organiser=cast.organiser_a)
    record = ExternalRecord.objects.create(
        connection=connection,
        entity_type="person",
        external_id="6f1e0c1a-5d0b-4a53-9a52-0d6c3c1f0a11",
        local_kind="student",
        local_id=cast.alice.pk,
        received={"first_name": "Alice"},
    )
    conflict = Conflict.objects.create(
        connection=connection,
        record=record,
        student=cast.alice,
        field="first_name",
        local_value="Alice",
        register_value="Alicia",
    )
    return {"pk": conflict.pk}


def alice_with_plan(cast) -> dict:
    from studievag.plans.tests.routes import alice_with_plan as with_plan

    return with_plan(cast)


ROUTES = [
    Route("interop:connection_list", frozenset({"admin"})),
    Route("interop:connection_detail", frozenset({"admin"}), kwargs=connection_a),
    Route(
        "interop:connection_detail",
        frozenset({"admin"}),
        kwargs=connection_a,
        method="post",
        data=lambda c: {
            "base_url": "https://elevregister.example.se/v2.0",
            "credential_name": "KOMMUN_A",
            "page_size": 100,
        },
        label="save",
    ),
    Route(
        "interop:run_request",
        frozenset({"admin"}),
        kwargs=connection_a,
        method="post",
        data=lambda c: {"dry_run": "on"},
    ),
    Route("interop:run_detail", frozenset({"admin"}), kwargs=run_a),
    Route("interop:conflict_list", frozenset({"principal"})),
    Route(
        "interop:conflict_decide",
        frozenset({"principal"}),
        kwargs=conflict_alice,
        method="post",
        data=lambda c: {"choice": "keep"},
    ),
    Route("interop:plan_ss12000", A_PLAN_EXPORTERS, kwargs=alice_with_plan),
]
