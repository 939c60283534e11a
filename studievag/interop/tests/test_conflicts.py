"""What people entered in Studieväg is never overwritten silently; protection is raised at once."""

import pytest
from django.core.exceptions import ValidationError

from studievag.interop.models import Conflict, ExternalRecord, SyncEvent, SyncRun
from studievag.interop.runs import sync_run_execute
from studievag.interop.services import conflict_decide
from studievag.people.models import Student
from studievag.people.services import student_update

pytestmark = pytest.mark.django_db


def run(connection, **kwargs):
    return sync_run_execute(run_id=SyncRun.objects.create(connection=connection, **kwargs).pk)


@pytest.fixture
def linked(cast, connection):
    assert run(connection).status == SyncRun.Status.SUCCEEDED
    return connection


def person_of(simulated, student):
    return simulated.register.get("/persons", simulated.students[student.pk])


def change_in_register(simulated, clock, student, **fields):
    clock.tick()
    simulated.register.put("/persons", {**person_of(simulated, student), **fields})


def test_a_register_change_to_a_field_nobody_touched_here_is_applied(cast, linked, simulated, register_clock):
    change_in_register(simulated, register_clock, cast.alice, givenName="Alicia")
    sync = run(linked)
    cast.alice.refresh_from_db()
    assert cast.alice.first_name == "Alicia"
    assert sync.counts["persons"] == {"updated": 1}
    assert Conflict.objects.count() == 0


def test_a_field_changed_here_and_in_the_register_becomes_a_conflict(cast, linked, simulated, register_clock):
    student_update(acting_user=cast.counsellor_a, student=cast.alice, reason="Stavning", first_name="Alise")
    change_in_register(simulated, register_clock, cast.alice, givenName="Alicia")
    sync = run(linked)
    cast.alice.refresh_from_db()
    assert cast.alice.first_name == "Alise"  # not overwritten
    conflict = Conflict.objects.get()
    assert (conflict.field, conflict.local_value, conflict.register_value, conflict.status) == (
        "first_name",
        "Alise",
        "Alicia",
        Conflict.Status.OPEN,
    )
    assert conflict.student == cast.alice
    assert sync.events.filter(kind=SyncEvent.Kind.CONFLICT, student=cast.alice).count() == 1
    # A second run lists the same conflict once, and still leaves the value alone.
    again = run(linked, full=True)
    assert Conflict.objects.count() == 1
    assert again.events.filter(kind=SyncEvent.Kind.CONFLICT).count() == 0
    cast.alice.refresh_from_db()
    assert cast.alice.first_name == "Alise"


def test_an_edit_here_that_the_register_never_changes_stands(cast, linked, simulated, register_clock):
    student_update(acting_user=cast.counsellor_a, student=cast.alice, reason="Tilltalsnamn", first_name="Lisa")
    change_in_register(simulated, register_clock, cast.alice, familyName="Andersson")  # the same family name
    run(linked, full=True)
    cast.alice.refresh_from_db()
    assert cast.alice.first_name == "Lisa"
    assert Conflict.objects.count() == 0


def test_taking_the_register_value_applies_it_with_history(cast, linked, simulated, register_clock):
    student_update(acting_user=cast.counsellor_a, student=cast.alice, reason="Stavning", first_name="Alise")
    change_in_register(simulated, register_clock, cast.alice, givenName="Alicia")
    run(linked)
    conflict = conflict_decide(acting_user=cast.principal_a, conflict=Conflict.objects.get(), take_register_value=True)
    cast.alice.refresh_from_db()
    assert cast.alice.first_name == "Alicia"
    assert conflict.status == Conflict.Status.TAKEN and conflict.decided_by == cast.principal_a
    assert cast.alice.history.first().history_user == cast.principal_a
    with pytest.raises(ValidationError):
        conflict_decide(acting_user=cast.principal_a, conflict=conflict, take_register_value=False)
    assert run(linked, full=True).events.exclude(kind=SyncEvent.Kind.NOTICE).count() == 0


def test_keeping_studievags_value_is_remembered_until_the_register_changes_again(
    cast, linked, simulated, register_clock
):
    student_update(acting_user=cast.counsellor_a, student=cast.alice, reason="Stavning", first_name="Alise")
    change_in_register(simulated, register_clock, cast.alice, givenName="Alicia")
    run(linked)
    conflict_decide(acting_user=cast.principal_a, conflict=Conflict.objects.get(), take_register_value=False)
    run(linked, full=True)
    cast.alice.refresh_from_db()
    assert cast.alice.first_name == "Alise"
    assert Conflict.objects.filter(status=Conflict.Status.OPEN).count() == 0
    change_in_register(simulated, register_clock, cast.alice, givenName="Alicja")
    run(linked)
    assert Conflict.objects.get(status=Conflict.Status.OPEN).register_value == "Alicja"


def test_protection_from_the_register_is_applied_even_over_a_local_edit(cast, linked, simulated, register_clock):
    student_update(
        acting_user=cast.counsellor_a,
        student=cast.alice,
        reason="Sekretess",
        security_marking=Student.SecurityMarking.CONFIDENTIALITY,
    )
    change_in_register(simulated, register_clock, cast.alice, securityMarking="Skyddad folkbokföring")
    run(linked)
    cast.alice.refresh_from_db()
    assert cast.alice.security_marking == Student.SecurityMarking.PROTECTED_REGISTRATION
    assert Conflict.objects.count() == 0


def test_lowering_protection_over_a_local_choice_waits_for_a_decision(cast, linked, simulated, register_clock):
    change_in_register(simulated, register_clock, cast.alice, securityMarking="Sekretessmarkering")
    run(linked)
    student_update(
        acting_user=cast.counsellor_a,
        student=cast.alice,
        reason="Hot mot eleven",
        security_marking=Student.SecurityMarking.PROTECTED_REGISTRATION,
    )
    change_in_register(simulated, register_clock, cast.alice, securityMarking="Ingen")
    run(linked)
    cast.alice.refresh_from_db()
    assert cast.alice.security_marking == Student.SecurityMarking.PROTECTED_REGISTRATION
    conflict = Conflict.objects.get()
    assert (conflict.field, conflict.local_value, conflict.register_value) == ("security_marking", "protected", "none")


def test_a_student_matched_by_number_with_different_values_gets_conflicts_not_overwrites(
    cast, connection, simulated, register_clock
):
    # The register says something else than what was typed in by hand before the first sync.
    change_in_register(simulated, register_clock, cast.adam, givenName="Adem")
    sync = run(connection)
    cast.adam.refresh_from_db()
    assert cast.adam.first_name == "Adam"
    assert list(Conflict.objects.values_list("field", "local_value", "register_value")) == [
        ("first_name", "Adam", "Adem")
    ]
    assert ExternalRecord.objects.filter(local_kind="student", local_id=cast.adam.pk).exists()
    assert sync.status == SyncRun.Status.SUCCEEDED
