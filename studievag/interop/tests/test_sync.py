"""The sync against the simulated register on 127.0.0.1: first run, idempotence, deltas, deletions, paging."""

import datetime

import pytest

from studievag.access.models import Role, RoleAssignment
from studievag.access.services import role_assignment_confirm
from studievag.enrolments.models import Enrolment, GroupMembership
from studievag.interop.models import Conflict, ExternalRecord, SyncEvent, SyncRun
from studievag.interop.runs import sync_run_execute
from studievag.interop.simulation import municipal_changes
from studievag.interop.ss12000 import builders
from studievag.people.models import AccessChange, GuardianLink, Student

pytestmark = pytest.mark.django_db


def run(connection, **kwargs):
    sync = SyncRun.objects.create(connection=connection, **kwargs)
    return sync_run_execute(run_id=sync.pk)


def changes(sync):
    return sorted(sync.events.filter(kind=SyncEvent.Kind.CHANGE).values_list("entity_type", "text"))


def student_of(connection, person_id) -> Student:
    record = ExternalRecord.objects.get(connection=connection, external_id=person_id, local_kind="student")
    return Student.objects.get(pk=record.local_id)


@pytest.fixture
def term(cast, connection, simulated, register_clock, today):
    """The first sync has run; then the register got a term's changes."""
    first = run(connection)
    assert first.status == SyncRun.Status.SUCCEEDED, first.message
    register_clock.tick()
    return municipal_changes(simulated, today=today, unit_pk=cast.unit_a.pk, mentor_group_pk=cast.mentor_group_a.pk)


def test_first_sync_links_what_studievag_already_has_and_changes_nothing(cast, connection, served):
    students_before = Student.objects.count()
    sync = run(connection)
    assert sync.status == SyncRun.Status.SUCCEEDED, sync.message
    assert changes(sync) == []
    assert Student.objects.count() == students_before
    linked = ExternalRecord.objects.filter(connection=connection, local_kind="student").count()
    assert linked == 5  # Alice, Adam, the protected student, Nora and Omar at school A
    assert sync.counts["persons"]["unchanged"] == 5
    # The mentor (of a group), the counsellor, student health and the principal at school A.
    assert sync.counts["duties"]["unchanged"] == 4
    assert Conflict.objects.count() == 0
    # Paged three at a time: every collection took more than one request.
    _url, app = served
    assert any("pageToken=" in r for r in app.requests if r.startswith("GET /persons"))


def test_running_twice_changes_nothing(cast, connection):
    run(connection)
    second = run(connection, full=True)
    assert second.status == SyncRun.Status.SUCCEEDED
    assert changes(second) == []
    assert second.events.exclude(kind=SyncEvent.Kind.NOTICE).count() == 0


def test_a_delta_run_asks_only_for_changes_since_the_last_one(cast, connection, served, register_clock):
    run(connection)
    _url, app = served
    app.requests.clear()
    second = run(connection)
    persons = [r for r in app.requests if r.startswith("GET /persons?")]
    assert persons == [persons[0]] and "meta.modified.after=" in persons[0]
    assert second.counts.get("persons", {}) == {}


def test_arrivals_come_with_their_guardian_and_mentor_group(cast, connection, term, today):
    sync = run(connection)
    assert sync.status == SyncRun.Status.SUCCEEDED, sync.message
    new = [student_of(connection, pid) for pid in term.added]
    assert sorted(s.last_name for s in new) == ["Tesfay", "Yusuf"]
    assert [e.programme.code for s in new for e in s.enrolments.all()] == ["IMS", "IMS"]
    assert sorted(GuardianLink.objects.filter(student__in=new).values_list("guardian__first_name", flat=True)) == [
        "Amanuel",
        "Leyla",
    ]
    assert GroupMembership.objects.filter(group=cast.mentor_group_a, student__in=new).count() == 2
    # The mentor of the group now reaches them.
    from studievag.access.policy import visible_students

    assert set(new) <= set(visible_students(cast.mentor_a))


def test_a_new_name_and_a_protected_identity_are_applied_with_history(cast, connection, term):
    run(connection)
    renamed = student_of(connection, term.renamed)
    assert renamed.last_name.endswith("-Lind")
    assert renamed.history.first().history_user.username == "ss12000-sync"
    protected = student_of(connection, term.protected)
    assert protected.security_marking == Student.SecurityMarking.PROTECTED_REGISTRATION


def test_a_deleted_person_keeps_the_record_but_loses_enrolments_and_groups(cast, connection, term, today):
    sync = run(connection)
    gone = student_of(connection, term.deleted)
    assert gone.enrolments.filter(end_date__isnull=True).count() == 0
    assert gone.enrolments.get().end_date == today - datetime.timedelta(days=1)
    assert not GroupMembership.objects.filter(student=gone, end_date__isnull=True).exists()
    assert ("persons", "Deleted in the register: enrolments ended") in changes(sync)


def test_a_move_to_a_national_programme_ends_the_enrolment_with_that_reason(cast, connection, term, today):
    run(connection)
    student = student_of(connection, term.to_national)
    ended = student.enrolments.get()
    assert ended.exit_reason == Enrolment.ExitReason.NATIONAL_PROGRAMME
    assert ended.end_date is not None


def test_every_access_change_leaves_the_same_row_as_a_persons(cast, connection, term):
    before = AccessChange.objects.count()
    run(connection)
    rows = AccessChange.objects.order_by("pk")[before:]
    assert {r.acting_username for r in rows} == {"ss12000-sync"}
    kinds = sorted(r.kind for r in rows)
    assert kinds.count(AccessChange.Kind.ENROLMENT_STARTED) == 2
    assert kinds.count(AccessChange.Kind.GUARDIAN_LINKED) == 2
    assert kinds.count(AccessChange.Kind.MEMBERSHIP_STARTED) == 2
    # The student who moved away and the one who moved on to a national programme.
    assert kinds.count(AccessChange.Kind.ENROLMENT_ENDED) == 2
    assert all(r.reason for r in rows)
    assert all(r.student_id for r in rows)


def test_the_delta_run_is_itself_idempotent(cast, connection, term):
    run(connection)
    again = run(connection, full=True)
    assert changes(again) == []


def test_mentor_duty_gives_the_mentor_role_and_its_end_ends_it(cast, connection, simulated, register_clock, today):
    run(connection)
    duty = next(d for d in simulated.register.all("/duties") if d.get("assignmentRole"))
    register_clock.tick()
    simulated.register.put("/duties", {**duty, "endDate": (today - datetime.timedelta(days=2)).isoformat()})
    sync = run(connection)
    assert sync.counts["duties"] == {"ended": 1}
    mentor_role = RoleAssignment.objects.get(user=cast.mentor_a, role=Role.MENTOR, group=cast.mentor_group_a)
    assert mentor_role.valid_to == today - datetime.timedelta(days=2)


def test_a_new_duty_for_a_known_account_gives_a_unit_role(cast, connection, simulated, register_clock, today):
    run(connection)
    register_clock.tick()
    simulated.register.put(
        "/persons",
        builders.person(id="0b7e7f49-2a1f-4b55-9e77-3b0a7d3c9a01", given_name="Bo", family_name="M", eppn="mentor_b"),
    )
    simulated.register.put(
        "/duties",
        builders.duty(
            person_id="0b7e7f49-2a1f-4b55-9e77-3b0a7d3c9a01",
            duty_at=simulated.units[cast.unit_a.pk],
            duty_role="Studie- och yrkesvägledare",
            start=today,
        ),
    )
    sync = run(connection)
    assert sync.counts["duties"] == {"created": 1}
    role = RoleAssignment.objects.get(user=cast.mentor_b, role=Role.COUNSELLOR, school_unit=cast.unit_a)
    # Four eyes: a role that reaches students, given by the register, waits for the unit's principal.
    assert role.pending and role.granted_by.username == "ss12000-sync"
    change = AccessChange.objects.get(kind=AccessChange.Kind.ROLE_REQUESTED)
    assert (change.acting_username, change.subject_user, change.school_unit) == (
        "ss12000-sync",
        cast.mentor_b,
        cast.unit_a,
    )
    role_assignment_confirm(acting_user=cast.principal_a, assignment=role)
    role.refresh_from_db()
    assert not role.pending
    assert run(connection, full=True).counts["duties"] == {"unchanged": 5}


def test_a_duty_for_someone_without_an_account_is_refused_with_a_reason(cast, connection, simulated, register_clock):
    run(connection)
    register_clock.tick()
    simulated.register.put(
        "/persons", builders.person(id="1c6b1c1e-8f4c-4b8e-a3a4-5b6c7d8e9f00", given_name="X", family_name="Y")
    )
    duty = builders.duty(
        person_id="1c6b1c1e-8f4c-4b8e-a3a4-5b6c7d8e9f00",
        duty_at=simulated.units[cast.unit_a.pk],
        duty_role="Rektor",
        start=datetime.date(2026, 1, 1),
    )
    simulated.register.put("/duties", duty)
    sync = run(connection)
    refused = list(sync.events.filter(kind=SyncEvent.Kind.REFUSED).values_list("entity_id", "text"))
    assert refused == [(duty["id"], "The staff member has no e-mail address or login name to find their account by.")]
    assert sync.status == SyncRun.Status.SUCCEEDED
    assert sync.counts["duties"] == {"refused": 1}


def test_a_student_with_an_invalid_identity_number_is_refused_and_others_go_through(
    cast, connection, simulated, register_clock, today
):
    run(connection)
    register_clock.tick()
    bad = builders.person(
        given_name="Fel",
        family_name="Nummer",
        civic_no="200801019999",
        enrolments=[
            builders.enrolment(
                school_unit=simulated.units[cast.unit_a.pk], programme_id=simulated.programmes["IMS"], start=today
            )
        ],
    )
    simulated.register.put("/persons", bad)
    sync = run(connection)
    assert list(sync.events.filter(kind=SyncEvent.Kind.REFUSED).values_list("entity_id", "text")) == [
        (bad["id"], "The personal identity number is not valid (date or check digit).")
    ]
    assert "200801019999" not in " ".join(sync.events.values_list("text", flat=True))
    assert not Student.objects.filter(last_name="Nummer").exists()


def test_one_member_that_cannot_join_leaves_the_rest_of_the_group_alone(cast, connection, simulated, register_clock):
    from studievag.testing import make_unit

    run(connection)
    other = make_unit(cast.organiser_a, "Skola A2")
    register_clock.tick()
    unit_ref = builders.new_id()
    simulated.register.put(
        "/organisations",
        builders.organisation(
            id=unit_ref,
            display_name="Skola A2",
            organisation_type="Skolenhet",
            school_unit_code=other.code,
            school_types=["GY"],
        ),
    )
    alice, adam = simulated.students[cast.alice.pk], simulated.students[cast.adam.pk]
    today = datetime.date.today()
    group = builders.group(
        display_name="Mentor A2",
        group_type="Mentor",
        school_unit=unit_ref,
        start=today,
        members=[builders.membership(person_id=alice, start=today), builders.membership(person_id=adam, start=today)],
    )
    simulated.register.put("/groups", group)
    # A mentor of the new group, so the duty looks the group up after the refusal.
    duty = next(d for d in simulated.register.all("/duties") if d.get("assignmentRole"))
    simulated.register.put(
        "/duties",
        {
            **duty,
            "assignmentRole": duty["assignmentRole"] + [{"group": {"id": group["id"]}, "assignmentRoleType": "Mentor"}],
        },
    )
    sync = run(connection)
    assert sync.status == SyncRun.Status.SUCCEEDED, sync.message
    assert sync.counts["groups"] == {"created": 1}
    # Neither student is enrolled at Skola A2: each membership is refused on its own, with the reason.
    assert sync.counts["memberships"] == {"refused": 2}
    assert set(sync.events.filter(kind=SyncEvent.Kind.REFUSED).values_list("text", flat=True)) == {
        "The student is not enrolled at the group's school unit."
    }
