"""Writes for students. Each is atomic, validates, saves and leaves a history row."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.organisations.models import SchoolUnit

from .identity import IdentityKind, next_reserve_number, parse_identity_number
from .models import AGE_OF_MAJORITY, AccessChange, Guardian, GuardianConsent, GuardianLink, Student, add_years

STUDENT_FIELDS = Student.EDITABLE_FIELDS


@transaction.atomic
def student_update(*, acting_user, student: Student, reason: str, **fields) -> Student:
    """Change a student's background; the history keeps who, when and why."""
    for name, value in fields.items():
        if name not in STUDENT_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(student, name, value)
    student._history_user = acting_user
    student._change_reason = reason
    student.full_clean()
    student.save()
    return student


def reserve_number_assign(*, date_of_birth: datetime.date) -> str:
    """The next free reserve number for a date of birth (not yet saved: the caller registers it)."""
    prefix = f"{date_of_birth:%Y%m%d}Z"
    taken = set(
        Student.objects.filter(personal_identity_number__startswith=prefix).values_list(
            "personal_identity_number", flat=True
        )
    )
    return next_reserve_number(date_of_birth, taken)


@transaction.atomic
def student_identity_number_link(*, acting_user, student: Student, new_number: str, reason: str = "") -> Student:
    """Replace an interim, reserve or coordination number by the number from Skatteverket.

    The record stays the same record: its history (with the earlier number), the read
    log, the plan and everything else follow. A personnummer is never replaced here; a
    samordningsnummer only by a personnummer.
    """
    student = Student.objects.select_for_update().get(pk=student.pk)
    current = student.identity_kind
    number = parse_identity_number(new_number)
    if current == IdentityKind.PERSONNUMMER:
        raise ValidationError({"new_number": _("The student already has a personal identity number.")})
    if number.kind in (IdentityKind.INTERIM, IdentityKind.RESERVE):
        raise ValidationError(
            {"new_number": _("Link to a personal identity number or coordination number from Skatteverket.")}
        )
    if current == IdentityKind.COORDINATION and number.kind != IdentityKind.PERSONNUMMER:
        raise ValidationError(
            {"new_number": _("A coordination number can only be replaced by a personal identity number.")}
        )
    if number.value == student.personal_identity_number:
        raise ValidationError({"new_number": _("That is the number the student already has.")})
    if Student.objects.filter(personal_identity_number=number.value).exclude(pk=student.pk).exists():
        raise ValidationError(
            {
                "new_number": _(
                    "Another student record already has this number. Ask the system administrator "
                    "to merge the two records."
                )
            }
        )
    previous = student.formatted_identity_number
    student.personal_identity_number = number.value
    student.date_of_birth = number.date_of_birth
    student._history_user = acting_user
    student._change_reason = (
        _("Identity number %(old)s linked to %(new)s") % {"old": previous, "new": number.formatted}
        + (f": {reason.strip()}" if reason.strip() else "")
    )[:100]
    student.full_clean()
    student.save()
    return student


# --- Legal representative (god man) ----------------------------------------------


@transaction.atomic
def legal_representative_appoint(
    *,
    acting_user,
    student: Student,
    guardian: Guardian,
    appointed_on: datetime.date,
    ends_on: datetime.date | None = None,
    decision_reference: str = "",
) -> GuardianLink:
    """Record the appointment of a god man for an unaccompanied minor.

    The link gives access from the day of appointment to its end, and never from the
    18th birthday: the appointment ends then by law.
    """
    eighteen = add_years(student.date_of_birth, AGE_OF_MAJORITY)
    if appointed_on >= eighteen:
        raise ValidationError(
            {
                "appointed_on": _("A legal representative is appointed only for a child under 18 (18 on %(date)s).")
                % {"date": eighteen}
            }
        )
    if ends_on is not None and ends_on < appointed_on:
        raise ValidationError({"ends_on": _("The appointment cannot end before it begins.")})
    link = GuardianLink.objects.filter(student=student, guardian=guardian).first() or GuardianLink(
        student=student, guardian=guardian
    )
    link.relation = GuardianLink.Relation.LEGAL_REPRESENTATIVE
    link.valid_from = appointed_on
    link.valid_to = (
        min(ends_on, eighteen - datetime.timedelta(days=1)) if ends_on else eighteen - datetime.timedelta(days=1)
    )
    link.decision_reference = decision_reference
    link._history_user = acting_user
    link._change_reason = _("Legal representative appointed")
    link.full_clean()
    link.save()
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.GUARDIAN_LINKED,
        what=_("A legal representative appointed from %(start)s to %(end)s")
        % {"start": appointed_on, "end": link.valid_to},
        reason=decision_reference,
        student=student,
        details={"link": link.pk, "valid_from": str(appointed_on), "valid_to": str(link.valid_to)},
    )
    return link


@transaction.atomic
def legal_representative_end(*, acting_user, link: GuardianLink, ends_on: datetime.date) -> GuardianLink:
    """The appointment ends (a new god man, the child got a guardian in Sweden, or moved)."""
    if not link.is_legal_representative:
        raise ValueError("not a legal representative")
    if ends_on < link.valid_from:
        raise ValidationError({"ends_on": _("The appointment cannot end before it begins.")})
    link.valid_to = min(ends_on, link.valid_to) if link.valid_to else ends_on
    link._history_user = acting_user
    link._change_reason = _("Appointment ended")
    link.full_clean()
    link.save()
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.GUARDIAN_UNLINKED,
        what=_("A legal representative's appointment ends on %(date)s") % {"date": link.valid_to},
        student=link.student,
        details={"link": link.pk, "valid_to": str(link.valid_to)},
    )
    return link


# --- Consent to guardian access after 18 ---------------------------------------


@transaction.atomic
def guardian_consent_give(*, acting_user, link: GuardianLink, given_on: datetime.date) -> GuardianConsent:
    """Record that an adult student lets a former guardian go on following their studies."""
    student = link.student
    today = timezone.localdate()
    if link.is_legal_representative:
        raise ValidationError(
            {"date": _("A legal representative's appointment ends at 18; consent cannot carry it on.")}
        )
    if given_on > today:
        raise ValidationError({"date": _("The consent cannot be dated in the future.")})
    if not student.is_adult_on(given_on):
        raise ValidationError(
            {
                "date": _(
                    "The student is under 18 on that day, when the guardian follows the "
                    "studies anyway. Consent can be recorded from the 18th birthday, %(date)s."
                )
                % {"date": add_years(student.date_of_birth, AGE_OF_MAJORITY)}
            }
        )
    if link.valid_to is not None and link.valid_to < given_on:
        raise ValidationError({"date": _("The link to this guardian ended on %(date)s.") % {"date": link.valid_to}})
    if link.consents.select_for_update().filter(withdrawn_on__isnull=True).exists():
        raise ValidationError({"date": _("The student's consent for this guardian is already recorded.")})
    consent = GuardianConsent(link=link, given_on=given_on, recorded_by=acting_user)
    consent.full_clean()
    consent.save()
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.CONSENT_GIVEN,
        what=_("The student lets a former guardian (%(relation)s) follow the studies from %(date)s")
        % {"relation": link.get_relation_display(), "date": given_on},
        student=student,
        details={"link": link.pk, "consent": consent.pk, "given_on": str(given_on)},
    )
    return consent


@transaction.atomic
def guardian_consent_withdraw(*, acting_user, consent: GuardianConsent, withdrawn_on: datetime.date) -> GuardianConsent:
    """Record that the student has withdrawn their consent; access ends that day."""
    consent = GuardianConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError({"date": _("This consent has already been withdrawn.")})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"date": _("The withdrawal cannot be dated in the future.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {
                "date": _("The withdrawal cannot be before the consent was given (%(date)s).")
                % {"date": consent.given_on}
            }
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = acting_user
    consent.withdrawal_recorded_at = timezone.now()
    consent.full_clean()
    consent.save()
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.CONSENT_WITHDRAWN,
        what=_("The student's consent for a former guardian (%(relation)s) ends on %(date)s")
        % {"relation": consent.link.get_relation_display(), "date": withdrawn_on},
        student=consent.link.student,
        details={"link": consent.link_id, "consent": consent.pk, "withdrawn_on": str(withdrawn_on)},
    )
    return consent


# --- The record of access changes --------------------------------------------------


def access_change_record(
    *,
    acting_user,
    kind: str,
    what: str,
    reason: str = "",
    student: Student | None = None,
    subject_user=None,
    school_unit: SchoolUnit | None = None,
    details: dict | None = None,
) -> AccessChange:
    """Write the one row that says who changed whose access, when, what and why.

    Called by every service that changes who may see a student (here, in
    enrolments and in access), inside that service's transaction.
    """
    return AccessChange.objects.create(
        acting_user=acting_user if getattr(acting_user, "pk", None) else None,
        acting_username=acting_user.get_username() if acting_user is not None else "",
        kind=kind,
        what=what[:500],
        reason=reason,
        student=student,
        subject_user=subject_user,
        subject_username=subject_user.get_username() if subject_user is not None else "",
        school_unit=school_unit,
        details=details or {},
    )


@transaction.atomic
def guardian_link_create(
    *,
    acting_user,
    student: Student,
    guardian: Guardian,
    relation: str,
    valid_from: datetime.date,
    reason: str,
) -> GuardianLink:
    """Link a guardian to a student: from ``valid_from`` the guardian follows the studies."""
    if GuardianLink.objects.filter(student=student, guardian=guardian, valid_to__isnull=True).exists():
        raise ValidationError(_("This guardian is already linked to the student."))
    link = GuardianLink(student=student, guardian=guardian, relation=relation, valid_from=valid_from)
    link.full_clean()
    link.save()
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.GUARDIAN_LINKED,
        what=_("A guardian (%(relation)s) linked from %(date)s")
        % {"relation": link.get_relation_display(), "date": valid_from},
        reason=reason,
        student=student,
        details={"link": link.pk, "guardian": guardian.pk, "relation": relation, "valid_from": str(valid_from)},
    )
    return link


@transaction.atomic
def guardian_link_end(*, acting_user, link: GuardianLink, ends_on: datetime.date, reason: str) -> GuardianLink:
    """End a guardian's link to a student; the guardian sees nothing after ``ends_on``."""
    link = GuardianLink.objects.select_for_update().get(pk=link.pk)
    if link.valid_to is not None and link.valid_to <= ends_on:
        raise ValidationError(_("The link has already ended on %(date)s.") % {"date": link.valid_to})
    before = link.valid_to
    link.valid_to = ends_on
    link.full_clean()
    link.save(update_fields=["valid_to"])
    access_change_record(
        acting_user=acting_user,
        kind=AccessChange.Kind.GUARDIAN_UNLINKED,
        what=_("A guardian's link (%(relation)s) ends on %(date)s")
        % {"relation": link.get_relation_display(), "date": ends_on},
        reason=reason,
        student=link.student,
        details={"link": link.pk, "before": str(before) if before else None, "after": str(ends_on)},
    )
    return link
