"""Reads of the interop area, each scoped by the access policy."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from studievag.access.permissions import GUARDIANS
from studievag.access.policy import assignments_for_action, visible_students
from studievag.organisations.models import Organiser

from .models import Conflict, Connection, SyncRun


def organisers_for_sync(user) -> QuerySet[Organiser]:
    """Organisers whose register link this user may set up and run: organiser and region scopes."""
    organiser_ids, region_ids = set(), set()
    for a in assignments_for_action(user, "interop.sync"):
        if a.organiser_id:
            organiser_ids.add(a.organiser_id)
        elif a.region_id:
            region_ids.add(a.region_id)
    return Organiser.objects.filter(Q(pk__in=organiser_ids) | Q(region_id__in=region_ids)).order_by("name")


@dataclass(frozen=True)
class OrganiserSync:
    """One organiser of the user's and its register link: the connection (with
    ``open_conflicts``) and its latest run, either of which may be missing."""

    organiser: Organiser
    connection: Connection | None
    last_run: SyncRun | None


def connections_for(user) -> list[OrganiserSync]:
    """The user's organisers, each with its connection and last run (3 queries)."""
    organisers = list(organisers_for_sync(user))
    connections = {
        c.organiser_id: c
        for c in Connection.objects.filter(organiser__in=organisers).annotate(
            open_conflicts=Count("conflicts", filter=Q(conflicts__status=Conflict.Status.OPEN))
        )
    }
    last_runs: dict[int, SyncRun] = {}
    for run in SyncRun.objects.filter(connection__in=connections.values()).order_by("connection_id", "-requested_at"):
        last_runs.setdefault(run.connection_id, run)
    rows = []
    for organiser in organisers:
        connection = connections.get(organiser.pk)
        rows.append(OrganiserSync(organiser, connection, last_runs.get(connection.pk) if connection else None))
    return rows


def connection_for(user, organiser_pk: int) -> Organiser:
    """One organiser in the user's scope (404 otherwise, as for one that does not exist)."""
    return get_object_or_404(organisers_for_sync(user), pk=organiser_pk)


def runs_for(user, organiser: Organiser) -> QuerySet[SyncRun]:
    return SyncRun.objects.filter(connection__organiser=organiser).select_related("requested_by")[:50]


def run_for(user, run_pk: int) -> SyncRun:
    return get_object_or_404(
        SyncRun.objects.select_related("connection__organiser", "requested_by"),
        pk=run_pk,
        connection__organiser__in=organisers_for_sync(user),
    )


def conflicts_for(user, *, status: str = Conflict.Status.OPEN) -> QuerySet[Conflict]:
    """Conflicts about students whose record and guardians this user sees (principals of their unit)."""
    return (
        Conflict.objects.filter(status=status, student__in=visible_students(user, GUARDIANS))
        .select_related("student", "connection__organiser", "decided_by")
        .order_by("found_at", "pk")
    )
