"""Writes to handovers. Each is atomic, checks the status rule, saves and writes the event."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.policy import unit_ids_for_action
from studievag.enrolments.models import Enrolment
from studievag.enrolments.services import student_create
from studievag.intake.models import IntakeMapping
from studievag.intake.services import intake_save
from studievag.organisations.models import Organiser, Programme, SchoolUnit
from studievag.people.identity import parse_identity_number
from studievag.people.models import Student
from studievag.plans.models import Plan
from studievag.plans.services import plan_create

from . import rules
from .models import (
    CONTENT_FIELDS,
    DEFAULT_DEADLINE_WEEKS,
    Handover,
    HandoverEvent,
    HandoverSettings,
    Status,
    default_start,
)
from .selectors import contact_candidates


def _event(handover: Handover, *, acting_user, what: str, at: datetime.datetime) -> HandoverEvent:
    return HandoverEvent.objects.create(handover=handover, status=handover.status, what=what, by=acting_user, at=at)


def _move(handover: Handover, to: str) -> None:
    if not rules.may_move(handover.status, to):
        raise ValidationError(
            _("A handover that is “%(now)s” cannot become “%(to)s”.")
            % {"now": Status(handover.status).label, "to": Status(to).label}
        )
    handover.status = to


def _locked(handover: Handover) -> Handover:
    return Handover.objects.select_for_update().get(pk=handover.pk)


def _check_content(handover: Handover) -> None:
    """The rules that hold for every saved handover, whatever its status."""
    if handover.identity_number:
        number = parse_identity_number(handover.identity_number)
        handover.identity_number = number.value
        handover.date_of_birth = number.date_of_birth
    if handover.protected_identity:
        handover.address = ""
    errors = rules.consent_errors(
        other_information=handover.other_information,
        consent_by=handover.consent_by,
        consent_given_on=handover.consent_given_on,
        date_of_birth=handover.date_of_birth,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    handover.full_clean(exclude=["created_by"])


@transaction.atomic
def handover_create(*, acting_user, sending_unit: SchoolUnit, values: dict) -> Handover:
    """Start a draft at the sending school."""
    at = timezone.now()
    handover = Handover(sending_unit=sending_unit, created_by=acting_user, created_at=at, updated_at=at)
    for name, value in values.items():
        if name not in CONTENT_FIELDS:
            raise ValueError(name)
        setattr(handover, name, value)
    _check_content(handover)
    handover.save()
    _event(handover, acting_user=acting_user, what=_("Draft started"), at=at)
    return handover


@transaction.atomic
def handover_update(*, acting_user, handover: Handover, values: dict) -> Handover:
    """Change a draft; once sent, the content is the receiving school's copy and is not changed."""
    handover = _locked(handover)
    if handover.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed; this handover has been sent."))
    for name, value in values.items():
        if name not in CONTENT_FIELDS:
            raise ValueError(name)
        setattr(handover, name, value)
    _check_content(handover)
    handover.updated_at = timezone.now()
    handover.save()
    return handover


def deadline_for(organiser_id: int | None, starts_on: datetime.date | None) -> datetime.date | None:
    """The receiving school's deadline: its organiser's weeks before the start (none without a start)."""
    if starts_on is None:
        return None
    settings = HandoverSettings.objects.filter(organiser_id=organiser_id).first() if organiser_id else None
    weeks = settings.deadline_weeks if settings else DEFAULT_DEADLINE_WEEKS
    return starts_on - datetime.timedelta(weeks=weeks)


def start_for(organiser_id: int | None, today: datetime.date) -> datetime.date:
    settings = HandoverSettings.objects.filter(organiser_id=organiser_id).first() if organiser_id else None
    if settings and settings.term_starts_on and settings.term_starts_on >= today:
        return settings.term_starts_on
    return default_start(today)


@transaction.atomic
def handover_send(
    *,
    acting_user,
    handover: Handover,
    destination: str,
    receiving_unit: SchoolUnit | None = None,
    receiving_organiser: Organiser | None = None,
    contact_person=None,
) -> Handover:
    """Send a draft to a school unit, an organiser or the region's placement queue.

    The receiver must be in the sending school's region. A student with protected
    identity is sent only to a school unit with a named contact person there, who
    alone will see the name.
    """
    handover = _locked(handover)
    _move(handover, Status.SENT)
    region_id = handover.sending_unit.organiser.region_id
    if destination == Handover.Destination.UNIT:
        if receiving_unit is None:
            raise ValidationError({"receiving_unit": _("Choose the receiving school unit.")})
        receiving_organiser = receiving_unit.organiser
    elif destination == Handover.Destination.ORGANISER:
        if receiving_organiser is None:
            raise ValidationError({"receiving_organiser": _("Choose the receiving organiser.")})
        receiving_unit = None
    elif destination == Handover.Destination.QUEUE:
        receiving_unit = receiving_organiser = None
    else:
        raise ValueError(destination)
    if receiving_organiser is not None and receiving_organiser.region_id != region_id:
        raise ValidationError({"receiving_unit": _("The receiver must be in your region.")})
    if receiving_unit is not None and receiving_unit.school_type != SchoolUnit.SchoolType.UPPER_SECONDARY:
        raise ValidationError({"receiving_unit": _("The receiving school unit must be an upper-secondary school.")})
    if handover.protected_identity:
        if destination != Handover.Destination.UNIT:
            raise ValidationError(
                {
                    "destination": _(
                        "A student with protected identity is handed over to a school unit, with a named "
                        "contact person there, never to a queue or an organiser."
                    )
                }
            )
        if contact_person is None:
            raise ValidationError(
                {"contact_person": _("Name the contact person at the receiving school: only they will see the name.")}
            )
    if contact_person is not None:
        probe = Handover(receiving_unit=receiving_unit, receiving_organiser=receiving_organiser)
        if not contact_candidates(probe).filter(pk=contact_person.pk).exists():
            raise ValidationError({"contact_person": _("The contact person must work at the receiving school.")})
    today = timezone.localdate()
    handover.destination = destination
    handover.receiving_unit = receiving_unit
    handover.receiving_organiser = receiving_organiser
    handover.region_id = region_id
    handover.contact_person = contact_person
    handover.starts_on = handover.starts_on or start_for(receiving_organiser.pk if receiving_organiser else None, today)
    handover.deadline = deadline_for(receiving_organiser.pk if receiving_organiser else None, handover.starts_on)
    _check_content(handover)
    at = timezone.now()
    handover.sent_at = handover.updated_at = at
    handover.save()
    _event(
        handover,
        acting_user=acting_user,
        what=_("Sent to %(receiver)s") % {"receiver": handover.receiver_label},
        at=at,
    )
    return handover


@transaction.atomic
def handover_place(*, acting_user, handover: Handover, receiving_unit: SchoolUnit) -> Handover:
    """The region places a queued handover at a school unit; the deadline follows its organiser."""
    handover = _locked(handover)
    if (
        handover.destination != Handover.Destination.QUEUE
        or handover.receiving_unit_id
        or handover.status != Status.SENT
    ):
        raise ValidationError(_("Only a handover waiting in the placement queue can be placed."))
    if receiving_unit.organiser.region_id != handover.region_id:
        raise ValidationError({"receiving_unit": _("The school unit must be in the region.")})
    handover.receiving_unit = receiving_unit
    handover.receiving_organiser = receiving_unit.organiser
    handover.deadline = deadline_for(receiving_unit.organiser_id, handover.starts_on)
    at = timezone.now()
    handover.updated_at = at
    handover.save()
    _event(handover, acting_user=acting_user, what=_("Placed at %(unit)s") % {"unit": receiving_unit.name}, at=at)
    return handover


@transaction.atomic
def handover_receive(*, acting_user, handover: Handover, contact_person, contact_phone: str = "") -> Handover:
    """Confirm receipt and name the contact person; the sending school sees the receipt at once."""
    handover = _locked(handover)
    _move(handover, Status.RECEIVED)
    if contact_person is None:
        raise ValidationError({"contact_person": _("Name the contact person at your school.")})
    if not contact_candidates(handover).filter(pk=contact_person.pk).exists():
        raise ValidationError({"contact_person": _("The contact person must work at the receiving school.")})
    if handover.receiving_unit_id is None:
        # Sent to the organiser: the school unit that receives it takes it.
        assert handover.receiving_organiser_id is not None  # a handover is sent to a unit or an organiser
        units = unit_ids_for_action(acting_user, "handover.receive")
        handover.receiving_unit = (
            SchoolUnit.objects.filter(pk__in=units, organiser_id=handover.receiving_organiser_id).order_by("pk").first()
        )
    at = timezone.now()
    handover.contact_person = contact_person
    handover.contact_phone = contact_phone
    handover.received_at = handover.updated_at = at
    handover.save()
    _event(handover, acting_user=acting_user, what=_("Received"), at=at)
    return handover


@transaction.atomic
def handover_book_meeting(*, acting_user, handover: Handover, meeting_on: datetime.date) -> Handover:
    handover = _locked(handover)
    if handover.status != Status.RECEIVED:
        raise ValidationError(_("A meeting is booked after the handover is received and before it is held."))
    at = timezone.now()
    handover.meeting_on = meeting_on
    handover.updated_at = at
    handover.save()
    _event(handover, acting_user=acting_user, what=_("Meeting booked for %(date)s") % {"date": meeting_on}, at=at)
    return handover


@transaction.atomic
def handover_record_meeting(
    *,
    acting_user,
    handover: Handover,
    held_on: datetime.date,
    participants: str,
    student_voice: str,
    notes: str = "",
) -> Handover:
    """The handover meeting has been held: when, who took part and what the student said."""
    handover = _locked(handover)
    _move(handover, Status.MEETING_HELD)
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("The meeting cannot be recorded before it is held.")
    if not participants.strip():
        errors["participants"] = _("Say who took part.")
    if not student_voice.strip():
        errors["student_voice"] = _("Write down the student's own view: the student takes part in the handover.")
    if errors:
        raise ValidationError(errors)
    at = timezone.now()
    handover.meeting_held_on = held_on
    handover.meeting_participants = participants.strip()
    handover.meeting_student_voice = student_voice.strip()
    handover.meeting_notes = notes.strip()
    handover.updated_at = at
    handover.save()
    _event(handover, acting_user=acting_user, what=_("Meeting held on %(date)s") % {"date": held_on}, at=at)
    return handover


@transaction.atomic
def handover_close(*, acting_user, handover: Handover) -> Handover:
    handover = _locked(handover)
    _move(handover, Status.CLOSED)
    at = timezone.now()
    handover.closed_at = handover.updated_at = at
    handover.save()
    _event(handover, acting_user=acting_user, what=_("Closed"), at=at)
    return handover


@transaction.atomic
def handover_settings_save(
    *, acting_user, organiser: Organiser, deadline_weeks: int, term_starts_on: datetime.date | None
) -> HandoverSettings:
    settings = HandoverSettings.objects.filter(organiser=organiser).first() or HandoverSettings(organiser=organiser)
    settings.deadline_weeks = deadline_weeks
    settings.term_starts_on = term_starts_on
    settings.updated_by = acting_user
    settings.full_clean()
    settings.save()
    # Handovers not yet received get the new deadline.
    for handover in Handover.objects.filter(receiving_organiser=organiser, status=Status.SENT, starts_on__isnull=False):
        assert handover.starts_on is not None  # filtered above
        handover.deadline = handover.starts_on - datetime.timedelta(weeks=deadline_weeks)
        handover.save(update_fields=["deadline"])
    return settings


# --- From the handover to the intake mapping and the first plan ---------------------


@transaction.atomic
def handover_start_record(
    *,
    acting_user,
    handover: Handover,
    programme: Programme,
    start_date: datetime.date,
) -> Student:
    """Register the student at the receiving school from the handover (an enrolment from
    ``start_date``, which may be months ahead: the spring of year 9), pre-fill the intake
    mapping and start the first draft of the individual study plan.

    The plan is the student's plan from the start, with its history: version 1 says it
    was drafted from the handover, and it is followed up once the enrolment begins.
    """
    handover = _locked(handover)
    if handover.status not in (Status.RECEIVED, Status.MEETING_HELD, Status.CLOSED):
        raise ValidationError(_("Receive the handover first."))
    if handover.student_id:
        raise ValidationError(_("The handover is already linked to a student record."))
    unit = handover.receiving_unit
    if unit is None:
        raise ValidationError(_("The handover has no receiving school unit."))
    existing = (
        Student.objects.filter(personal_identity_number=handover.identity_number).first()
        if handover.identity_number
        else None
    )
    if existing is not None:
        if not Enrolment.objects.filter(student=existing, school_unit=unit).exists():
            raise ValidationError(
                _(
                    "A student with this number is already registered at another school. The record "
                    "follows the student when that school registers the move."
                )
            )
        student = existing
    else:
        student = student_create(
            acting_user=acting_user,
            personal_identity_number=handover.identity_number,
            date_of_birth=handover.date_of_birth,
            programme=programme,
            school_unit=unit,
            start_date=start_date,
            first_name=handover.first_name,
            last_name=handover.last_name,
            gender=Student.Gender.UNKNOWN,
            mother_tongue=handover.mother_tongue,
            schooling_years_abroad=handover.schooling_abroad_years,
            security_marking=(
                Student.SecurityMarking.PROTECTED_REGISTRATION
                if handover.protected_identity
                else Student.SecurityMarking.NONE
            ),
        )
    reference = handover.reference
    if not IntakeMapping.objects.filter(student=student).exists():
        intake_save(
            acting_user=acting_user,
            student=student,
            values=intake_values(handover),
            levels={},
            organiser_id=unit.organiser_id,
            reason=_("Pre-filled from handover %(ref)s") % {"ref": reference},
        )
    if not Plan.objects.filter(student=student).exists():
        plan_create(
            acting_user=acting_user,
            student=student,
            reason=_("First draft from handover %(ref)s, before the start") % {"ref": reference},
            fields=plan_values(handover, start_date),
        )
    handover.student = student
    at = timezone.now()
    handover.updated_at = at
    handover.save(update_fields=["student", "updated_at"])
    _event(handover, acting_user=acting_user, what=_("Student record, mapping and draft plan started"), at=at)
    return student


def intake_values(handover: Handover) -> dict:
    """What the handover says that the intake mapping asks for."""
    return {
        "mapped_on": timezone.localdate(),
        "compulsory_grades": handover.grades,
        "merit_value": handover.merit_value,
        "literacy_languages": handover.languages,
        "own_goals": handover.student_voice,
    }


def plan_values(handover: Handover, start_date: datetime.date) -> dict:
    """What the handover gives the first draft of the plan."""
    measures = "\n\n".join(
        part
        for part in (
            handover.support_measures
            and _("Support at the sending school: %(text)s") % {"text": handover.support_measures},
            handover.support_effect and _("Effect: %(text)s") % {"text": handover.support_effect},
            handover.what_worked and _("What has worked: %(text)s") % {"text": handover.what_worked},
        )
        if part
    )
    voice = handover.meeting_student_voice or handover.student_voice
    return {
        "planned_start": start_date,
        "other_measures": measures,
        "participants": handover.meeting_participants,
        "student_voice": voice,
    }
