"""The status order, the deadlines and the consent rule per part."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from studievag.handover import rules, services
from studievag.handover.models import Consenter, Handover, HandoverEvent, HandoverSettings, Status, default_start
from studievag.people.models import add_years

from .factories import make_handover, pedagogical

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _en(english):
    yield


@pytest.mark.parametrize(
    ("current", "to", "allowed"),
    [
        ("draft", "sent", True),
        ("sent", "received", True),
        ("received", "meeting_held", True),
        ("meeting_held", "closed", True),
        ("draft", "received", False),
        ("sent", "meeting_held", False),
        ("received", "closed", False),
        ("sent", "draft", False),
        ("closed", "sent", False),
        ("closed", "closed", False),
    ],
)
def test_the_status_moves_one_step_forward_only(current, to, allowed):
    assert rules.may_move(current, to) is allowed


def test_every_step_is_an_event_with_who_and_when(cast):
    handover = make_handover(cast, Status.CLOSED)

    events = list(handover.events.values_list("status", "by__username"))
    assert events == [
        ("draft", "sending"),
        ("sent", "sending"),
        ("received", "counsellor_a"),
        ("meeting_held", "counsellor_a"),
        ("closed", "counsellor_a"),
    ]
    assert handover.sent_at <= handover.received_at <= handover.closed_at
    assert handover.meeting_participants == "Eleven, vårdnadshavare, mentor åk 9, SYV"


def test_a_skipped_step_is_refused_and_nothing_changes(cast):
    handover = make_handover(cast, Status.SENT)
    events = HandoverEvent.objects.count()

    with pytest.raises(ValidationError):
        services.handover_close(acting_user=cast.counsellor_a, handover=handover)
    with pytest.raises(ValidationError):
        services.handover_record_meeting(
            acting_user=cast.counsellor_a,
            handover=handover,
            held_on=datetime.date.today(),
            participants="SYV",
            student_voice="Ja",
        )

    handover.refresh_from_db()
    assert handover.status == Status.SENT
    assert HandoverEvent.objects.count() == events


def test_a_sent_handover_is_not_changed_by_the_sender(cast):
    handover = make_handover(cast, Status.SENT)
    with pytest.raises(ValidationError):
        services.handover_update(acting_user=cast.sending, handover=handover, values={"grades": "Ma A"})
    handover.refresh_from_db()
    assert handover.grades == "Ma E, En C, SvA E"


def test_the_meeting_needs_who_took_part_and_the_students_voice(cast):
    handover = make_handover(cast, Status.RECEIVED)
    with pytest.raises(ValidationError) as error:
        services.handover_record_meeting(
            acting_user=cast.counsellor_a,
            handover=handover,
            held_on=datetime.date.today(),
            participants=" ",
            student_voice="",
        )
    assert set(error.value.message_dict) == {"participants", "student_voice"}


def test_the_deadline_is_the_receiving_organisers_weeks_before_the_start(cast):
    start = datetime.date.today() + datetime.timedelta(days=60)
    HandoverSettings.objects.create(
        organiser=cast.organiser_a, deadline_weeks=5, term_starts_on=start, updated_by=cast.principal_a
    )

    handover = make_handover(cast, Status.SENT)

    assert handover.starts_on == start
    assert handover.deadline == start - datetime.timedelta(weeks=5)


def test_without_settings_three_weeks_before_the_autumn_start(cast):
    handover = make_handover(cast, Status.SENT, unit=cast.unit_b)

    assert handover.starts_on == default_start(datetime.date.today())
    assert handover.starts_on.isocalendar()[1:] == (34, 1)
    assert handover.deadline == handover.starts_on - datetime.timedelta(weeks=3)


def test_overdue_means_not_received_after_the_deadline(cast):
    handover = make_handover(cast, Status.SENT)
    day_after = handover.deadline + datetime.timedelta(days=1)

    assert handover.is_overdue_on(handover.deadline) is False
    assert handover.is_overdue_on(day_after) is True
    received = services.handover_receive(
        acting_user=cast.counsellor_a, handover=handover, contact_person=cast.counsellor_a
    )
    assert received.is_overdue_on(day_after) is False


def test_a_new_deadline_applies_to_handovers_not_yet_received(cast):
    sent = make_handover(cast, Status.SENT)
    received = make_handover(cast, Status.RECEIVED)
    old = received.deadline

    services.handover_settings_save(
        acting_user=cast.principal_a, organiser=cast.organiser_a, deadline_weeks=6, term_starts_on=None
    )

    sent.refresh_from_db()
    received.refresh_from_db()
    assert sent.deadline == sent.starts_on - datetime.timedelta(weeks=6)
    assert received.deadline == old


# --- Consent per part ------------------------------------------------------------------

TODAY = datetime.date(2026, 11, 29)
CHILD = datetime.date(2010, 5, 1)


def test_the_pedagogical_part_needs_no_consent():
    assert (
        rules.consent_errors(
            other_information="", consent_by="", consent_given_on=None, date_of_birth=CHILD, today=TODAY
        )
        == {}
    )


def test_other_information_without_consent_is_refused():
    errors = rules.consent_errors(
        other_information="Diabetes", consent_by="", consent_given_on=None, date_of_birth=CHILD, today=TODAY
    )
    assert list(errors) == ["other_information"]


def test_for_a_child_the_guardian_consents_and_from_18_the_student():
    adult = add_years(TODAY, -18)
    assert (
        rules.consent_errors(
            other_information="x",
            consent_by=Consenter.GUARDIAN,
            consent_given_on=TODAY,
            date_of_birth=CHILD,
            today=TODAY,
        )
        == {}
    )
    assert list(
        rules.consent_errors(
            other_information="x",
            consent_by=Consenter.STUDENT,
            consent_given_on=TODAY,
            date_of_birth=CHILD,
            today=TODAY,
        )
    ) == ["consent_by"]
    assert (
        rules.consent_errors(
            other_information="x",
            consent_by=Consenter.STUDENT,
            consent_given_on=TODAY,
            date_of_birth=adult,
            today=TODAY,
        )
        == {}
    )
    assert list(
        rules.consent_errors(
            other_information="x",
            consent_by=Consenter.GUARDIAN,
            consent_given_on=TODAY,
            date_of_birth=adult,
            today=TODAY,
        )
    ) == ["consent_by"]


def test_a_consent_in_the_future_is_refused():
    errors = rules.consent_errors(
        other_information="x",
        consent_by=Consenter.GUARDIAN,
        consent_given_on=TODAY + datetime.timedelta(days=1),
        date_of_birth=CHILD,
        today=TODAY,
    )
    assert list(errors) == ["consent_given_on"]


def test_the_service_refuses_other_information_without_consent(cast):
    before = Handover.objects.count()
    with pytest.raises(ValidationError) as error:
        services.handover_create(
            acting_user=cast.sending,
            sending_unit=cast.sending_unit,
            values=pedagogical(date_of_birth=CHILD, other_information="Astma, har medicin i skolan"),
        )
    assert "consent" in str(error.value)
    assert Handover.objects.count() == before


def test_the_database_refuses_other_information_without_consent_and_an_address_under_protection(cast):
    handover = make_handover(cast, Status.DRAFT)
    with pytest.raises(IntegrityError):
        Handover.objects.filter(pk=handover.pk).update(other_information="Något känsligt")


def test_protected_identity_drops_the_address(cast):
    handover = services.handover_create(
        acting_user=cast.sending,
        sending_unit=cast.sending_unit,
        values=pedagogical(date_of_birth=CHILD, protected_identity=True, address="Hemlig väg 3"),
    )
    assert handover.address == ""
