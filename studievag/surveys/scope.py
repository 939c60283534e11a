"""Which waves a user may manage or read results of, and at which levels.

A wave is not a student's record, so it has its own scope, built on the
user's grants: organiser analysts manage and read their organiser's waves
(the organiser and each of its units); principals read their own units;
regional coordinators read their region's organisers, never a single unit.
Free text is for staff of the unit only (:func:`free_text_units`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from studievag.access.models import Role
from studievag.access.policy import grants_for, organiser_ids_for_action, unit_ids_for_action
from studievag.organisations.models import Organiser, SchoolUnit

from .models import Wave


@dataclass(frozen=True)
class ResultScope:
    organisers: frozenset[int]  # organisers whose whole-wave figures the user may read
    units: frozenset[int]  # single school units the user may read


def result_scope(user) -> ResultScope:
    grants = grants_for(user)
    analyst = set(grants.scoped(Role.ORGANISER_ANALYST, "organiser"))
    regions = grants.scoped(Role.REGIONAL_COORDINATOR, "region")
    organisers = set(analyst)
    if regions:
        organisers |= set(Organiser.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    units = set(grants.scoped(Role.PRINCIPAL, "school_unit"))
    if analyst:
        units |= set(
            SchoolUnit.objects.filter(
                organiser_id__in=analyst, school_type=SchoolUnit.SchoolType.UPPER_SECONDARY
            ).values_list("pk", flat=True)
        )
    return ResultScope(frozenset(organisers), frozenset(units))


def managed_waves(user) -> QuerySet[Wave]:
    return Wave.objects.filter(organiser_id__in=organiser_ids_for_action(user, "surveys.manage"))


def managed_organisers(user) -> QuerySet[Organiser]:
    return Organiser.objects.filter(pk__in=organiser_ids_for_action(user, "surveys.manage")).order_by("name")


def readable_waves(user) -> QuerySet[Wave]:
    scope = result_scope(user)
    return Wave.objects.filter(
        Q(organiser_id__in=scope.organisers) | Q(organiser__school_units__in=scope.units)
    ).distinct()


def free_text_units(user) -> frozenset[int]:
    """School units whose free-text answers this user may read: staff of the unit."""
    return frozenset(unit_ids_for_action(user, "surveys.free_text"))
