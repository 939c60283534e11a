"""What a user may report on, and whose reflections they may read or write."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from studievag.access.models import Role
from studievag.access.policy import assignments_for_action, grants_for
from studievag.organisations.models import Organiser, SchoolUnit


@dataclass(frozen=True)
class ReportScope:
    """What a user may report on: ids of regions, organisers and school units."""

    regions: frozenset[int]
    organisers: frozenset[int]
    units: frozenset[int]  # school units the user may pick as the report level
    unsuppressed_units: frozenset[int]  # units whose figures the user may see unsuppressed


def report_scope(user) -> ReportScope:
    """Principals: own school units; analysts: own organiser and its units;
    regional coordinators: their region and its organisers (never single units)."""
    grants = grants_for(user)
    regions = set(grants.scoped(Role.REGIONAL_COORDINATOR, "region"))
    organisers = set(grants.scoped(Role.ORGANISER_ANALYST, "organiser"))
    principal_units = set(grants.scoped(Role.PRINCIPAL, "school_unit"))
    if regions:
        organisers |= set(Organiser.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    analyst_organisers = grants.scoped(Role.ORGANISER_ANALYST, "organiser")
    units = set(principal_units)
    if analyst_organisers:
        units |= set(
            SchoolUnit.objects.filter(
                organiser_id__in=analyst_organisers,
                school_type=SchoolUnit.SchoolType.UPPER_SECONDARY,
            ).values_list("pk", flat=True)
        )
    return ReportScope(
        regions=frozenset(regions),
        organisers=frozenset(organisers),
        units=frozenset(units),
        unsuppressed_units=frozenset(principal_units),
    )


def reflection_units(user, *, writing: bool):
    """School units whose reflections this user may write (or, ``writing=False``, read)."""
    unit_ids: set[int] = set()
    organiser_ids: set[int] = set()
    region_ids: set[int] = set()
    for a in assignments_for_action(user, "quality.reflect" if writing else "quality.reflections"):
        if a.school_unit_id:
            unit_ids.add(a.school_unit_id)
        elif a.group_id:
            unit_ids.add(a.group.school_unit_id)
        elif a.organiser_id:
            organiser_ids.add(a.organiser_id)
        elif a.region_id:
            region_ids.add(a.region_id)
    return (
        SchoolUnit.objects.filter(
            Q(pk__in=unit_ids) | Q(organiser_id__in=organiser_ids) | Q(organiser__region_id__in=region_ids)
        )
        .filter(school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
        .select_related("organiser")
    )


def units_in_overview_scope(user) -> QuerySet[SchoolUnit]:
    """School units on the organisation overview: an analyst's organisers', a coordinator's region's."""
    grants = grants_for(user)
    organisers = grants.scoped(Role.ORGANISER_ANALYST, "organiser")
    regions = grants.scoped(Role.REGIONAL_COORDINATOR, "region")
    return (
        SchoolUnit.objects.filter(school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
        .filter(Q(organiser_id__in=organisers) | Q(organiser__region_id__in=regions))
        .select_related("organiser")
        .order_by("organiser__name", "name")
    )
