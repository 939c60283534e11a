"""The interop part of the demo: Skövde's student register, simulated, synced into the demo.

A register that follows SS 12000 is started on 127.0.0.1 holding what the
demo already has of the organiser (as a municipality's student administration
system would), and synced once: everything is linked and nothing changes.
Then a term happens in the register — two students arrive with a guardian and
join the mentor's group, one changes name, one gets a protected identity,
one moves away and is deleted, one moves on to a national programme — while
the counsellor corrects a first name in Studieväg that the register then
changes too. A dry run shows what a sync would do; the sync then does it,
and the conflict waits for the principal.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from studievag.enrolments.models import StudentGroup
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.people.models import Student
from studievag.people.services import student_update

from .models import Connection, ExternalRecord, SyncRun
from .runs import sync_run_execute
from .simulation import municipal_changes, register_from_studievag
from .ss12000.client import Client
from .ss12000.testserver import serve

DEMO_TOKEN = "demo-register-token"  # the simulated register's own; it lives only while the demo command runs


@dataclass
class DemoSync:
    first: SyncRun
    dry: SyncRun
    delta: SyncRun


def seed(
    *,
    organiser: Organiser,
    unit: SchoolUnit,
    mentor_group: StudentGroup | None,
    counsellor,
    today: datetime.date,
) -> DemoSync:
    sim = register_from_studievag(organiser)
    connection, _created = Connection.objects.get_or_create(
        organiser=organiser,
        defaults={"base_url": "http://127.0.0.1/v2.0", "credential_name": "DEMO_REGISTER", "enabled": False},
    )
    round_ = SyncRun.objects.filter(connection=connection).count()
    with serve(sim.register, token=DEMO_TOKEN) as (url, app):
        connection.base_url = url
        connection.save(update_fields=["base_url"])

        def sync(**kwargs) -> SyncRun:
            run = SyncRun.objects.create(connection=connection, **kwargs)
            return sync_run_execute(run_id=run.pk, client=Client(url, token=DEMO_TOKEN, page_size=100), today=today)

        first = sync(full=True)
        changes = municipal_changes(
            sim,
            today=today,
            unit_pk=unit.pk,
            mentor_group_pk=mentor_group.pk if mentor_group else None,
            round_=round_,
            # Students who log in, and those whose guardian does, keep their record as it is.
            spare=frozenset(
                Student.objects.filter(
                    Q(user__isnull=False) | Q(guardian_links__guardian__user__isnull=False)
                ).values_list("pk", flat=True)
            ),
        )
        _a_conflict(
            sim,
            connection,
            counsellor,
            skip={changes.renamed, changes.protected, changes.deleted, changes.to_national, *changes.added},
        )
        dry = sync(dry_run=True)
        delta = sync()
        if app.invalid:
            raise RuntimeError(f"the simulated register broke the standard: {app.invalid[:1]}")
    return DemoSync(first=first, dry=dry, delta=delta)


def _a_conflict(sim, connection: Connection, counsellor, *, skip: set) -> None:
    """The counsellor corrects a first name here; the register then changes it another way."""
    for person_id in sorted(sim.students.values()):
        person = sim.register.get("/persons", person_id)
        record = ExternalRecord.objects.filter(
            connection=connection, external_id=person_id, local_kind="student", deleted_at__isnull=True
        ).first()
        if person is None or record is None or person_id in skip or person.get("securityMarking") != "Ingen":
            continue
        student = Student.objects.get(pk=record.local_id)
        with transaction.atomic():
            student_update(
                acting_user=counsellor,
                student=student,
                reason="Stavning enligt eleven",
                first_name=student.first_name + "h",
            )
        sim.register.put("/persons", {**person, "givenName": person["givenName"] + "e"})
        return
