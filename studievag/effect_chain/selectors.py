"""Reads of the effect chain area: which chains a user may see or change, and a chain
with its live figures.

Every figure comes from the quality area's door for group figures
(:func:`studievag.quality.linked.level_figures`), protected together with
everything else the person can open, for the chain's own level (the organiser
or the region), and only where that level is in the user's report scope: an analyst reads the region's chain but not the
region's figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.models import Role, RoleAssignment
from studievag.access.policy import grants_for, may
from studievag.organisations.models import Organiser, SchoolUnit, StaffTraining
from studievag.quality.indicators import available
from studievag.quality.linked import level_figures
from studievag.quality.periods import Period, parse, term_of
from studievag.quality.scope import report_scope
from studievag.quality.selectors import Figure, Level

from . import rules
from .models import LEVEL_ORDER, ChainNode, DevelopmentNote, EffectChain, IndicatorLink, Target
from .models import Level as NodeLevel


@dataclass(frozen=True)
class ChainScope:
    read_organisers: frozenset[int]
    read_regions: frozenset[int]
    edit_organisers: frozenset[int]
    edit_regions: frozenset[int]


def chain_scope(user) -> ChainScope:
    """Analysts: their organiser's chains (read and write) and their region's (read).
    Regional coordinators: their region's chain (read and write) and the chains of the
    region's organisers (read)."""
    if not may(user, "effect_chain.view"):
        return ChainScope(frozenset(), frozenset(), frozenset(), frozenset())
    grants = grants_for(user)
    analyst_of = set(grants.scoped(Role.ORGANISER_ANALYST, "organiser"))
    coordinator_of = set(grants.scoped(Role.REGIONAL_COORDINATOR, "region"))
    regions_of_organisers = set(
        Organiser.objects.filter(pk__in=analyst_of, region__isnull=False).values_list("region_id", flat=True)
    )
    organisers_in_regions = set(Organiser.objects.filter(region_id__in=coordinator_of).values_list("pk", flat=True))
    return ChainScope(
        read_organisers=frozenset(analyst_of | organisers_in_regions),
        read_regions=frozenset(coordinator_of | regions_of_organisers),
        edit_organisers=frozenset(analyst_of),
        edit_regions=frozenset(coordinator_of),
    )


def chains_for(user) -> QuerySet[EffectChain]:
    scope = chain_scope(user)
    return (
        EffectChain.objects.filter(Q(organiser_id__in=scope.read_organisers) | Q(region_id__in=scope.read_regions))
        .select_related("organiser", "region", "education_plan__programme", "regional_chain")
        .order_by("region", "organiser__name", "title", "pk")
    )


def may_edit(user, chain: EffectChain) -> bool:
    scope = chain_scope(user)
    return chain.organiser_id in scope.edit_organisers or chain.region_id in scope.edit_regions


def chain_for_view(user, pk: int) -> EffectChain:
    """A chain this user may read; a missing chain and one outside the scope are the same 404."""
    chain = chains_for(user).filter(pk=pk).first()
    if chain is None:
        raise Http404(_("No such effect chain."))
    return chain


def chain_for_edit(user, pk: int) -> EffectChain:
    chain = chain_for_view(user, pk)
    if not may_edit(user, chain):
        raise Http404(_("No such effect chain."))
    return chain


def node_for_edit(user, pk: int) -> ChainNode:
    node = ChainNode.objects.filter(pk=pk).select_related("chain").first()
    if node is None:
        raise Http404(_("No such node."))
    chain_for_edit(user, node.chain_id)
    return node


def link_for_edit(user, pk: int) -> IndicatorLink:
    link = IndicatorLink.objects.filter(pk=pk).select_related("node__chain").first()
    if link is None:
        raise Http404(_("No such indicator."))
    chain_for_edit(user, link.node.chain_id)
    return link


# --- Figures ----------------------------------------------------------------------------


def chain_level(chain: EffectChain) -> Level:
    if chain.is_regional:
        return Level("region", chain.region_id, str(chain.region))
    return Level("organiser", chain.organiser_id, str(chain.organiser))


def figures_visible(user, chain: EffectChain) -> bool:
    """Whether the chain's level lies in the user's report scope."""
    scope = report_scope(user)
    if chain.is_regional:
        return chain.region_id in scope.regions
    return chain.organiser_id in scope.organisers


def chain_figures(
    chain: EffectChain, indicator_ids, *, user, on: datetime.date | None = None
) -> tuple[Period, dict[str, Figure]]:
    """The chain level's figures for the term containing ``on``, as the report pages
    show them to ``user`` (suppressed)."""
    on = on or timezone.localdate()
    period = term_of(on)
    ids = tuple(i for i in dict.fromkeys(indicator_ids) if i in available())
    if not ids:
        return period, {}
    tables = level_figures(
        user, chain_level(chain), period, programme=chain.programme_code, indicator_ids=ids, today=on
    )
    return period, {k: t.total for k, t in tables.items()}


@dataclass
class LinkView:
    link: IndicatorLink
    name: str
    unit: str
    baseline_period: Period | None
    targets: list[Target]
    current: Figure | None
    status: rules.Status
    expected: float | None
    next_target: Target | None

    @property
    def status_label(self) -> str:
        return str(rules.STATUS_LABELS[self.status])


@dataclass
class NodeView:
    node: ChainNode
    links: list[LinkView] = field(default_factory=list)


@dataclass
class ChainView:
    chain: EffectChain
    levels: list[tuple[str, str, list[NodeView]]]
    period: Period
    figures_shown: bool
    on: datetime.date

    @property
    def links(self) -> list[LinkView]:
        return [lv for _k, _l, nodes in self.levels for n in nodes for lv in n.links]


def _point(link: IndicatorLink) -> rules.Point | None:
    if link.baseline_value is None:
        return None
    return rules.Point(link.baseline_on, link.baseline_value)


def link_status(link: IndicatorLink, targets: list[Target], current: Figure | None, on: datetime.date):
    points = [rules.Point(t.checkpoint, float(t.value)) for t in targets]
    value = None if current is None or current.hidden or current.missing else current.value
    return rules.status(
        current=value,
        hidden=bool(current and current.hidden),
        baseline=_point(link),
        targets=points,
        higher_is_better=link.higher_is_better,
        on=on,
    )


def chain_view(user, chain: EffectChain, *, on: datetime.date | None = None) -> ChainView:
    """The chain level by level with each linked indicator's baseline, targets, current
    figure and status. Queries: nodes, their links and targets (prefetched), and the
    report's own (only when the user may see the level's figures)."""
    on = on or timezone.localdate()
    nodes = list(
        chain.nodes.prefetch_related(
            Prefetch("links", queryset=IndicatorLink.objects.order_by("pk").prefetch_related("targets")),
            "leads_to",
        )
        .select_related("regional_node")
        .order_by("start_date", "pk")
    )
    shown = figures_visible(user, chain)
    ids = [link.indicator for n in nodes for link in n.links.all()]
    period, figures = chain_figures(chain, ids, user=user, on=on) if shown else (term_of(on), {})
    names = available()
    levels: list[tuple[str, str, list[NodeView]]] = []
    for level in LEVEL_ORDER:
        views = []
        for n in nodes:
            if n.level != level:
                continue
            nv = NodeView(n)
            for link in n.links.all():
                targets = sorted(link.targets.all(), key=lambda t: t.checkpoint)
                indicator = names.get(link.indicator)
                current = figures.get(link.indicator) if shown else None
                st, expected = link_status(link, targets, current, on)
                if not shown:
                    st, expected = rules.Status.NO_DATA, None
                upcoming = [t for t in targets if t.checkpoint >= on]
                nv.links.append(
                    LinkView(
                        link=link,
                        name=str(indicator.name) if indicator else link.indicator,
                        unit=indicator.unit if indicator else "",
                        baseline_period=parse(link.baseline_period),
                        targets=targets,
                        current=current,
                        status=st,
                        expected=expected,
                        next_target=upcoming[0] if upcoming else (targets[-1] if targets else None),
                    )
                )
            views.append(nv)
        levels.append((level, str(NodeLevel(level).label), views))
    return ChainView(chain=chain, levels=levels, period=period, figures_shown=shown, on=on)


def notes_for(user, *, query: str = "", theme: str = "", kind: str = "", chain_id: int | None = None):
    """Development notes of the chains this user may read, newest first, searched by words."""
    qs = DevelopmentNote.objects.filter(chain__in=chains_for(user))
    if chain_id:
        qs = qs.filter(chain_id=chain_id)
    for word in query.split():
        qs = qs.filter(text__icontains=word)
    if theme:
        qs = qs.filter(theme=theme)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("chain", "author").order_by("-written_on", "-pk")


# --- Staff development ------------------------------------------------------------------

STAFF_ROLES = (Role.MENTOR, Role.TEACHER, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL)


def staff_development_units(user) -> set[int]:
    """School units whose staff this user records training for: a principal's own units,
    an analyst's organiser's units."""
    grants = grants_for(user)
    units = set(grants.scoped(Role.PRINCIPAL, "school_unit"))
    organisers = grants.scoped(Role.ORGANISER_ANALYST, "organiser")
    if organisers:
        units |= set(SchoolUnit.objects.filter(organiser_id__in=organisers).values_list("pk", flat=True))
    return units


def staff_development_organisers(user) -> QuerySet[Organiser]:
    return Organiser.objects.filter(school_units__in=staff_development_units(user)).distinct().order_by("name")


def staff_people(user):
    """Staff with a role at those units today (the people whose training may be recorded)."""
    units = staff_development_units(user)
    today = timezone.localdate()
    assignments = (
        RoleAssignment.objects.filter(role__in=STAFF_ROLES)
        .active_on(today)
        .filter(Q(school_unit_id__in=units) | Q(group__school_unit_id__in=units))
    )
    return User.objects.filter(pk__in=assignments.values("user_id")).order_by("last_name", "first_name", "pk")


def trainings_for(user):
    return (
        StaffTraining.objects.filter(person__in=staff_people(user))
        .select_related("person", "organiser", "recorded_by")
        .order_by("-completed_on", "-pk")
    )
