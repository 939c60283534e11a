"""The rules of a handover, as plain functions: the status order and the consent per part."""

import datetime

from django.utils.translation import gettext as _

from studievag.people.models import AGE_OF_MAJORITY, add_years

from .models import Consenter, Status

# draft → sent → received → handover meeting held → closed. Nothing goes back: a sent
# handover is the receiving school's copy.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SENT}),
    Status.SENT: frozenset({Status.RECEIVED}),
    Status.RECEIVED: frozenset({Status.MEETING_HELD}),
    Status.MEETING_HELD: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def may_move(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, frozenset())


def consenter_required(date_of_birth: datetime.date, on: datetime.date) -> str:
    """Whose consent counts on ``on``: the guardian's for a child, the student's own from 18."""
    return Consenter.STUDENT if on >= add_years(date_of_birth, AGE_OF_MAJORITY) else Consenter.GUARDIAN


def consent_errors(
    *,
    other_information: str,
    consent_by: str,
    consent_given_on: datetime.date | None,
    date_of_birth: datetime.date | None,
    today: datetime.date,
) -> dict[str, str]:
    """Why the consent does not cover the other information (empty when it does, or none is given).

    The pedagogical part needs no consent (skollagen 3 kap. 12 j §); anything else is
    handed over only with the consent of the guardian, or of the student from 18.
    """
    if not (other_information or "").strip():
        return {}
    if not consent_by or consent_given_on is None:
        return {
            "other_information": _(
                "Other information is handed over only with a recorded consent: say who consented and when."
            )
        }
    if consent_given_on > today:
        return {"consent_given_on": _("The consent cannot be dated in the future.")}
    if date_of_birth is not None:
        required = consenter_required(date_of_birth, consent_given_on)
        if consent_by != required:
            if required == Consenter.STUDENT:
                return {"consent_by": _("The student was 18 or older that day: the student's own consent counts.")}
            return {"consent_by": _("The student was under 18 that day: the guardian's consent counts.")}
    return {}
