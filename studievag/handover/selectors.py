"""Reads of handovers, each scoped to the user here and nowhere else.

A handover is seen from one of two sides:

* the **sending** side — users with ``handover.send`` at the sending school unit;
* the **receiving** side — users with ``handover.receive`` at the receiving school
  unit, or at any upper-secondary unit of the receiving organiser when the
  handover went to the organiser. A handover of a student with protected
  identity is on the receiving side only for its named contact person.

The regional coordinator sees no handover, only counts (:func:`counts_by_organiser`)
and the placement queue without content (:func:`placement_queue`).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from studievag.access.models import Role, RoleAssignment
from studievag.access.policy import grants_for, organiser_ids_for_action, unit_ids_for_action
from studievag.organisations.models import Organiser, SchoolUnit

from .models import AT_RECEIVER, NOT_RECEIVED, Handover, HandoverSettings, Status
from .permissions import RECEIVERS

SENDING = "sending"
RECEIVING = "receiving"


def _base() -> QuerySet[Handover]:
    return Handover.objects.select_related(
        "sending_unit__organiser", "receiving_unit__organiser", "receiving_organiser", "programme", "contact_person"
    )


def outgoing(user) -> QuerySet[Handover]:
    """Handovers written at the user's own sending school units."""
    units = unit_ids_for_action(user, "handover.send")
    return _base().filter(sending_unit_id__in=units)


def receiving_scope(user) -> tuple[set[int], set[int]]:
    """School unit ids and organiser ids the user receives handovers for."""
    units = unit_ids_for_action(user, "handover.receive")
    organisers = set(SchoolUnit.objects.filter(pk__in=units).values_list("organiser_id", flat=True))
    return units, organisers


def incoming(user) -> QuerySet[Handover]:
    """Handovers sent to the user's school units (or their organiser), never drafts."""
    units, organisers = receiving_scope(user)
    if not units:
        return Handover.objects.none()
    return (
        _base()
        .filter(status__in=AT_RECEIVER)
        .filter(Q(receiving_unit_id__in=units) | Q(receiving_unit__isnull=True, receiving_organiser_id__in=organisers))
        .filter(Q(protected_identity=False) | Q(contact_person=user))
    )


def handover_for(user, pk: int) -> tuple[Handover, str]:
    """The handover and the side the user sees it from; 404 for missing and not-yours alike."""
    handover = outgoing(user).filter(pk=pk).first()
    if handover is not None:
        return handover, SENDING
    handover = incoming(user).filter(pk=pk).first()
    if handover is not None:
        return handover, RECEIVING
    raise Http404(_("No such handover."))


def for_student(student_ids) -> QuerySet[Handover]:
    """Handovers linked to these student records (the family's page; callers scope the ids)."""
    return _base().select_related("student").filter(student_id__in=student_ids, status__in=AT_RECEIVER)


def overdue(qs: QuerySet[Handover], day: datetime.date) -> QuerySet[Handover]:
    return qs.filter(status__in=NOT_RECEIVED, deadline__lt=day)


def contact_candidates(handover: Handover):
    """Staff who may be named contact person: receivers at the receiving unit (or organiser's units)."""
    today = datetime.date.today()
    scope = (
        Q(school_unit_id=handover.receiving_unit_id)
        if handover.receiving_unit_id
        else Q(school_unit__organiser_id=handover.receiving_organiser_id)
    )
    assignments = RoleAssignment.objects.active_on(today).filter(scope, role__in=RECEIVERS | {Role.MENTOR})
    return (
        get_user_model()
        .objects.filter(pk__in=assignments.values("user_id"), is_active=True)
        .order_by("first_name", "last_name")
    )


def contacts_in_region(region_id: int | None):
    """Receiving staff at the region's upper-secondary units (the sender names the contact for a
    student with protected identity); the service checks the person is at the chosen unit."""
    today = datetime.date.today()
    assignments = RoleAssignment.objects.active_on(today).filter(
        school_unit__organiser__region_id=region_id,
        school_unit__school_type=SchoolUnit.SchoolType.UPPER_SECONDARY,
        role__in=RECEIVERS,
    )
    return (
        get_user_model()
        .objects.filter(pk__in=assignments.values("user_id"), is_active=True)
        .order_by("first_name", "last_name")
    )


def settings_for(organiser_id: int | None) -> HandoverSettings | None:
    if organiser_id is None:
        return None
    return HandoverSettings.objects.filter(organiser_id=organiser_id).first()


def settings_organisers(user) -> QuerySet[Organiser]:
    """Organisers whose handover deadline this user sets."""
    return Organiser.objects.filter(pk__in=organiser_ids_for_action(user, "handover.settings"))


# --- The region: counts and the queue, never content ------------------------------


def coordinator_regions(user) -> list[int]:
    return grants_for(user).scoped(Role.REGIONAL_COORDINATOR, "region")


@dataclass(frozen=True)
class OrganiserCounts:
    organiser: Organiser
    by_status: dict[str, int]
    overdue: int


def counts_by_organiser(region_ids, day: datetime.date) -> list[OrganiserCounts]:
    """Handovers sent (not drafts) per receiving organiser and status, with the overdue count.

    Raw counts: the caller shows them only through the group-figure protection.
    """
    organisers = list(Organiser.objects.filter(region_id__in=region_ids).order_by("name"))
    receiver = Q(receiving_organiser_id__in=[o.pk for o in organisers])
    rows = (
        Handover.objects.filter(receiver)
        .exclude(status=Status.DRAFT)
        .values("receiving_organiser_id", "status")
        .annotate(n=Count("pk"))
    )
    late = dict(
        Handover.objects.filter(receiver, status__in=NOT_RECEIVED, deadline__lt=day)
        .values_list("receiving_organiser_id")
        .annotate(n=Count("pk"))
    )
    table: dict[int, dict[str, int]] = {o.pk: {} for o in organisers}
    for row in rows:
        table[row["receiving_organiser_id"]][row["status"]] = row["n"]
    return [OrganiserCounts(o, table[o.pk], late.get(o.pk, 0)) for o in organisers]


def placement_queue(region_ids) -> QuerySet[Handover]:
    """Handovers waiting in the region's queue; the page shows no name and no content."""
    return (
        Handover.objects.filter(
            destination=Handover.Destination.QUEUE,
            region_id__in=region_ids,
            receiving_unit__isnull=True,
            status=Status.SENT,
        )
        .select_related("sending_unit", "programme")
        .order_by("sent_at", "pk")
    )
