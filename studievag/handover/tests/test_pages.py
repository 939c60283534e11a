"""Who sees which handover, what the pages show, and the way from handover to plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from studievag.access.models import Role
from studievag.audit.models import RecordRead
from studievag.handover import selectors, services
from studievag.handover.models import Handover, HandoverEvent, Status
from studievag.intake.models import IntakeMapping
from studievag.organisations.models import Programme, SchoolUnit
from studievag.plans.models import Plan
from studievag.quality.handover_counts import counts_table
from studievag.testing import assign, make_unit, make_user

from .factories import make_handover

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _en(english):
    yield


def test_the_sending_school_sees_only_its_own_handovers(cast):
    mine = make_handover(cast, Status.SENT)
    other_school = make_unit(cast.organiser_a, "Grundskola A2", school_type=SchoolUnit.SchoolType.COMPULSORY)
    colleague = make_user("sending2")
    assign(colleague, Role.SENDING_SCHOOL, school_unit=other_school)

    assert list(selectors.outgoing(cast.sending)) == [mine]
    assert list(selectors.outgoing(colleague)) == []
    # Nobody else at the sending school's organiser sees it: not its analyst either.
    assert list(selectors.outgoing(cast.analyst)) == []
    assert list(selectors.incoming(cast.analyst)) == []


def test_the_receiving_side_sees_only_what_was_sent_to_it(cast):
    to_a = make_handover(cast, Status.SENT)
    to_b = make_handover(cast, Status.SENT, unit=cast.unit_b)
    to_organiser_b = make_handover(cast, Status.SENT, unit=cast.unit_b, destination=Handover.Destination.ORGANISER)
    draft = make_handover(cast, Status.DRAFT)
    counsellor_b = make_user("counsellor_b")
    assign(counsellor_b, Role.COUNSELLOR, school_unit=cast.unit_b)

    assert list(selectors.incoming(cast.counsellor_a)) == [to_a]
    assert set(selectors.incoming(counsellor_b)) == {to_b, to_organiser_b}
    assert draft not in selectors.incoming(cast.principal_a)


def test_a_protected_student_is_listed_only_for_the_named_contact(cast, login):
    handover = make_handover(cast, Status.SENT, protected=True, contact=cast.counsellor_a)

    assert list(selectors.incoming(cast.principal_a)) == []
    assert list(selectors.incoming(cast.health_a)) == []
    page = login(cast.counsellor_a).get(reverse("handover:incoming")).content.decode()
    assert "Nour Haddad" in page
    sender_page = login(cast.sending).get(reverse("handover:outgoing")).content.decode()
    assert "Nour Haddad" not in sender_page
    assert f"Protected identity {handover.reference}" in sender_page
    detail = login(cast.sending).get(reverse("handover:detail", kwargs={"pk": handover.pk})).content.decode()
    assert "Nour Haddad" not in detail
    assert "Storgatan" not in detail


def test_a_protected_student_goes_only_to_a_unit_with_a_named_contact(cast):
    draft = make_handover(cast, Status.DRAFT, protected=True)
    for destination, contact in [("queue", None), ("organiser", cast.counsellor_a), ("unit", None)]:
        with pytest.raises(ValidationError):
            services.handover_send(
                acting_user=cast.sending,
                handover=draft,
                destination=destination,
                receiving_unit=cast.unit_a if destination == "unit" else None,
                receiving_organiser=cast.organiser_a if destination == "organiser" else None,
                contact_person=contact,
            )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_receipt_shows_at_once_on_the_sending_schools_pages(cast, login):
    handover = make_handover(cast, Status.SENT)
    login(cast.counsellor_a).post(
        reverse("handover:receive", kwargs={"pk": handover.pk}),
        {"contact_person": cast.counsellor_a.pk, "contact_phone": "0500-12 34 56"},
    )

    page = login(cast.sending).get(reverse("handover:outgoing")).content.decode()
    today = datetime.date.today().isoformat()
    assert f"Received {today}" in page
    assert "Sara Syv, 0500-12 34 56" in page
    detail = login(cast.sending).get(reverse("handover:detail", kwargs={"pk": handover.pk})).content.decode()
    assert "Received by Skola A IM" in detail


def test_a_denied_receipt_changes_nothing(cast, login):
    handover = make_handover(cast, Status.SENT)
    events = HandoverEvent.objects.count()
    for user in (cast.sending, cast.mentor_b, cast.analyst, cast.coordinator, cast.mentor_a):
        response = login(user).post(
            reverse("handover:receive", kwargs={"pk": handover.pk}), {"contact_person": user.pk}
        )
        assert response.status_code in (403, 404)
    handover.refresh_from_db()
    assert handover.status == Status.SENT
    assert handover.contact_person is None
    assert HandoverEvent.objects.count() == events


def test_the_contact_must_work_at_the_receiving_school(cast, login):
    handover = make_handover(cast, Status.SENT)
    login(cast.counsellor_a).post(
        reverse("handover:receive", kwargs={"pk": handover.pk}), {"contact_person": cast.mentor_b.pk}
    )
    handover.refresh_from_db()
    assert handover.status == Status.SENT


def test_overdue_handovers_are_listed_for_both_sides(cast, login):
    handover = make_handover(cast, Status.SENT)
    Handover.objects.filter(pk=handover.pk).update(deadline=datetime.date.today() - datetime.timedelta(days=1))

    for user, url in ((cast.sending, "handover:outgoing"), (cast.counsellor_a, "handover:incoming")):
        response = login(user).get(reverse(url))
        assert [h.pk for h in response.context["overdue"]] == [handover.pk]


def test_the_incoming_list_has_a_fixed_number_of_queries(cast, login, django_assert_num_queries):
    for _ in range(3):
        make_handover(cast, Status.SENT)
    client = login(cast.counsellor_a)
    client.get(reverse("handover:incoming"))
    make_handover(cast, Status.RECEIVED)
    # The request's savepoint and its release, session, user, grants (the assignments
    # carrying the own student and guardian ids), the receiving units' organisers, and one query for the
    # handovers with their units, organisers, programme and contact person.
    with django_assert_num_queries(7):
        response = client.get(reverse("handover:incoming"))
    assert len(response.context["handovers"]) == 4


def test_the_queue_shows_no_name_and_placing_makes_it_incoming(cast, login):
    handover = make_handover(cast, Status.SENT, destination=Handover.Destination.QUEUE)
    assert list(selectors.incoming(cast.counsellor_a)) == []

    page = login(cast.coordinator).get(reverse("handover:queue")).content.decode()
    assert handover.reference in page
    assert "Nour" not in page and "Haddad" not in page and "elektriker" not in page

    login(cast.coordinator).post(
        reverse("handover:place", kwargs={"pk": handover.pk}), {"receiving_unit": cast.unit_a.pk}
    )

    assert list(selectors.incoming(cast.counsellor_a)) == [handover]
    handover.refresh_from_db()
    assert handover.deadline == handover.starts_on - datetime.timedelta(weeks=3)


def test_the_coordinator_sees_counts_with_small_numbers_hidden(cast, login):
    for _ in range(6):
        make_handover(cast, Status.SENT)
    make_handover(cast, Status.RECEIVED)
    make_handover(cast, Status.SENT, unit=cast.unit_b)

    table = counts_table([cast.region.pk], datetime.date.today())

    rows = {name: cells + [total] for name, cells, total, _late in table.rows}
    assert rows["Kommun A"][1] == ".."  # one received: too few to show
    assert rows["Kommun B"][0] == ".."
    # …and no line holds a single hidden cell, so none can be worked out from the totals.
    lines = list(rows.values()) + [table.totals + [table.grand_total]]
    lines += [list(column) for column in zip(*lines, strict=True)]
    assert all([v for v in line].count("..") != 1 for line in lines)
    page = login(cast.coordinator).get(reverse("quality:handovers")).content.decode()
    assert "Nour" not in page


def test_receiving_and_registering_prefills_the_mapping_and_the_draft_plan(cast, login):
    handover = make_handover(cast, Status.MEETING_HELD)
    start = datetime.date.today() + datetime.timedelta(days=90)
    client = login(cast.counsellor_a)

    response = client.post(
        reverse("handover:start_record", kwargs={"pk": handover.pk}),
        {"programme": Programme.objects.get(code="IMY").pk, "start_date": start.isoformat()},
    )

    handover.refresh_from_db()
    student = handover.student
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_detail", kwargs={"pk": student.pk})
    assert student.personal_identity_number == handover.identity_number
    assert student.enrolments.get().start_date == start
    mapping = IntakeMapping.objects.get(student=student)
    assert mapping.compulsory_grades == "Ma E, En C, SvA E"
    assert mapping.merit_value == 145
    assert mapping.own_goals == "Jag vill bli elektriker."
    plan = Plan.objects.get(student=student)
    assert plan.planned_start == start
    assert plan.student_voice == "Vill börja med svenska och praktik."
    assert "Extra anpassningar i matematik" in plan.other_measures
    assert plan.participants == "Eleven, vårdnadshavare, mentor åk 9, SYV"
    revision = plan.revisions.get()
    assert handover.reference in revision.reason
    assert revision.author == cast.counsellor_a
    # The counsellor reaches the student before the start; reading the handover is logged.
    client.get(reverse("handover:detail", kwargs={"pk": handover.pk}))
    assert RecordRead.objects.filter(student=student, part="handover", user=cast.counsellor_a).count() == 1


def test_the_family_sees_the_contact_person(cast, login):
    handover = make_handover(cast, Status.RECEIVED)
    Handover.objects.filter(pk=handover.pk).update(student=cast.alice, contact_phone="0500-11 22 33")

    page = login(cast.guardian).get(reverse("handover:family")).content.decode()

    assert "Sara Syv" in page
    assert "0500-11 22 33" in page
    assert RecordRead.objects.filter(student=cast.alice, part="handover").count() == 1
    assert "Sara Syv" in login(cast.student).get(reverse("handover:family")).content.decode()


def test_a_handover_sent_to_the_organiser_is_taken_by_the_unit_that_receives_it(cast):
    handover = make_handover(cast, Status.SENT, destination=Handover.Destination.ORGANISER)
    assert handover.receiving_unit is None

    received = services.handover_receive(
        acting_user=cast.principal_a, handover=handover, contact_person=cast.counsellor_a
    )

    assert received.receiving_unit == cast.unit_a
    assert received.receiving_organiser == cast.organiser_a
