"""Everything one person can open, protected together: the one door for group figures on pages.

A person with a group-level role can open several *linked* tables: the
organiser and each of its school units (or the region and each organiser),
a term and the school year it belongs to, all programmes and each programme,
every breakdown and pair of breakdowns. :func:`linked_report` computes the
figures of one page with every table it is linked to, as one family of
dimensions for :mod:`studievag.disclosure`:

* ``period``: the two terms of the school year (total: the school year), when
  the page is for a term;
* ``level1``, ``level2`` …: the children of each level on the path from the
  person's top level down to the page's level (total: the parent), each
  nested under the level above;
* ``programme``: every programme (total: all programmes), when the page is
  filtered on one;
* ``d1``, ``d2``: the breakdown.

Because the method protects coarse tables before fine ones, the page for a
parent never depends on its children, and the page for a child computes the
parent's pattern exactly as the parent's page does. The organisation
overview and the start pages read their figures here too, so no page hides
figures on its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils import timezone

from studievag.disclosure import TOTAL, Dim, Family, Thresholds, protect
from studievag.organisations.models import CURRENT_PROGRAMMES, Organiser, Region, SchoolUnit

from . import reading
from .dimensions import available_dimensions
from .indicators import Indicator
from .models import SuppressionRule
from .periods import Period, school_year_of, term_of
from .scope import report_scope, units_in_overview_scope
from .selectors import (
    Gathered,
    Level,
    ReportRequest,
    Table,
    breakdown_groups,
    cell_parts,
    chosen_indicators,
    gather,
    gather_with_top,
    make_table,
    prepare,
    run_report,
    thresholds_of,
    units_of_level,
)

CHILD_KIND = {"region": "organiser", "organiser": "unit"}


@dataclass(frozen=True)
class Node:
    kind: str  # "region", "organiser", "unit"
    id: int

    @property
    def level(self) -> Level:
        return Level(self.kind, self.id, "")


@dataclass
class ScopeTree:
    """The levels one person may see figures for, each under its parent when the person may see that too."""

    parent: dict[Node, Node]
    children: dict[Node, list[Node]]
    thresholds: Thresholds
    nodes: frozenset[Node] = field(default_factory=frozenset)

    def path(self, node: Node) -> list[Node]:
        """From the person's top level down to ``node``."""
        result = [node]
        while result[-1] in self.parent:
            result.append(self.parent[result[-1]])
        return list(reversed(result))

    @property
    def roots(self) -> list[Node]:
        return sorted((n for n in self.nodes if n not in self.parent), key=lambda n: (n.kind, n.id))


def thresholds_of_organisers(organiser_ids) -> Thresholds:
    """The deployment's limits, raised by any of these organisers: the strictest applies to all."""
    base = Thresholds(settings.QUALITY_MIN_COUNT, settings.QUALITY_MIN_BASE)
    rules = SuppressionRule.objects.filter(organiser_id__in=list(organiser_ids))
    return Thresholds.strictest([base] + [Thresholds(r.min_count, r.min_base) for r in rules])


def scope_tree(user) -> ScopeTree:
    """Regions, organisers and school units the person can see figures for (reports and the overview)."""
    scope = report_scope(user)
    unit_ids = set(scope.units) | set(units_in_overview_scope(user).values_list("pk", flat=True))
    unit_organiser = dict(SchoolUnit.objects.filter(pk__in=unit_ids).values_list("pk", "organiser_id"))
    organiser_ids = set(scope.organisers)
    organiser_region = dict(
        Organiser.objects.filter(pk__in=organiser_ids | set(unit_organiser.values())).values_list("pk", "region_id")
    )
    parent: dict[Node, Node] = {}
    nodes = {Node("region", r) for r in scope.regions}
    for o in organiser_ids:
        nodes.add(Node("organiser", o))
        if organiser_region.get(o) in scope.regions:
            parent[Node("organiser", o)] = Node("region", organiser_region[o])
    for u, o in unit_organiser.items():
        nodes.add(Node("unit", u))
        if o in organiser_ids:
            parent[Node("unit", u)] = Node("organiser", o)
    children: dict[Node, list[Node]] = {}
    for child, p in parent.items():
        children.setdefault(p, []).append(child)
    for kids in children.values():
        kids.sort(key=lambda n: n.id)
    # A person never sees a figure that the strictest organiser in their scope would hide.
    thresholds = thresholds_of_organisers(set(organiser_region) | set(unit_organiser.values()))
    return ScopeTree(parent=parent, children=children, thresholds=thresholds, nodes=frozenset(nodes))


class CellCache:
    """Unsuppressed cells fetched once per request, shared by the tables of a page (report, trend).

    :meth:`prefetch` reads the queries of many requests at once, side by side on several
    connections (see :mod:`.reading`); :meth:`get` then builds the cells from those rows."""

    def __init__(self):
        self._data: dict = {}
        self._units: dict = {}
        self._read: dict = {}  # (request key, with its whole scope) -> the queries and their rows

    def units(self, node: Node) -> list[int] | None:
        if node not in self._units:
            self._units[node] = units_of_level(node.level)
        return self._units[node]

    @staticmethod
    def _key(req: ReportRequest) -> tuple:
        return (
            tuple(req.unit_ids or ()),
            req.period,
            req.partition,
            req.by_programme,
            req.programme,
            req.dims,
            req.indicator_ids,
            req.today,
            req.anchor,
        )

    def prefetch(self, wanted: list[tuple[ReportRequest, bool]]) -> None:
        """Read the queries of every request not fetched yet (``True``: a partitioned request
        with its whole scope, as :meth:`get_with_top` asks) in one go, side by side.

        Nothing is read ahead where the queries would be read on one connection anyway."""
        if reading.connections_to_use() < 2:
            return
        todo: dict = {}
        for req, top in wanted:
            key = (self._key(req), top)
            if key[0] not in self._data and key not in self._read and key not in todo:
                todo[key] = prepare(replace(req, with_top=True) if top else req)
        if not todo:
            return
        rows = reading.read_all([query for prepared in todo.values() for query in prepared.queries])
        start = 0
        for key, prepared in todo.items():
            end = start + len(prepared.queries)
            self._read[key] = (prepared, rows[start:end])
            start = end

    def get(self, req: ReportRequest) -> Gathered:
        key = self._key(req)
        if key not in self._data:
            self._data[key] = gather(req, self._read.pop((key, False), None))
        return self._data[key]

    def get_with_top(self, req: ReportRequest) -> tuple[Gathered, Gathered]:
        """A partitioned request and its whole scope (``partition`` unset), from the same queries."""
        whole = replace(req, partition="")
        key, top_key = self._key(req), self._key(whole)
        if key not in self._data:
            if top_key in self._data:
                self._data[key] = self.get(req)
            else:
                self._data[key], self._data[top_key] = gather_with_top(req, self._read.pop((key, True), None))
        if top_key not in self._data:
            self._data[top_key] = self.get(whole)
        return self._data[key], self._data[top_key]


@dataclass
class LinkedFamily:
    """One indicator set over the family of a page: the protected figures of every table in it."""

    dims: list[Dim]
    variables: list[str]  # breakdowns and the programme filter, in the registry's order
    breakdown: tuple[str, ...]  # the page's rows and columns
    expand: list[Node]  # the top level and the levels below it whose children are in the family
    term: str  # the period coordinate of the page's period (TOTAL for a school year)
    programme: str
    row_groups: list
    col_groups: list
    parts: dict[str, dict | None]  # indicator id -> cell parts (None: shown as missing)
    hidden: dict[str, frozenset]  # indicator id -> hidden keys
    indicators: list[Indicator]
    pending: set[str] = field(default_factory=set)  # facts not computed yet for a period of the family
    unlinked: set[str] = field(default_factory=set)  # not about students, not per level: their own table
    request: dict = field(default_factory=dict)
    cache: CellCache | None = None
    thresholds: Thresholds | None = None

    def key(self, node: Node, rk, ck) -> tuple | None:
        """The family's key of a cell of ``node``'s table: the top, a level below it, or a child of the last.

        ``None`` for a row that the programme filter excludes (another programme: nobody).
        """
        key: list = []
        if self.has_period:
            key.append(self.term)
        if node in self.expand:
            ids = [n.id for n in self.expand[1 : self.expand.index(node) + 1]]
        else:
            ids = [n.id for n in self.expand[1:]] + [node.id]
        n_levels = sum(1 for d in self.dims if d.name.startswith("level"))
        key += ids + [TOTAL] * (n_levels - len(ids))
        coordinates = dict(zip(self.breakdown, (rk, ck), strict=False))
        for v in self.variables:
            c = coordinates.get(v, TOTAL)
            if v == "programme" and self.programme:
                if c not in (TOTAL, self.programme):
                    return None
                c = self.programme
            key.append(c)
        return tuple(key)

    @property
    def has_period(self) -> bool:
        return bool(self.dims) and self.dims[0].name == "period"

    def tables(self, node: Node) -> dict[str, Table]:
        result = {}
        for indicator in self.indicators:
            parts = self.parts[indicator.id]
            hidden = self.hidden[indicator.id]
            if indicator.id in self.unlinked:
                result[indicator.id] = run_report(
                    ReportRequest(
                        unit_ids=self.cache.units(node),
                        thresholds=self.thresholds,
                        indicator_ids=(indicator.id,),
                        **self.request,
                    )
                )[indicator.id]
                continue
            if parts is None:
                result[indicator.id] = make_table(indicator, list(self.row_groups), list(self.col_groups), None, None)
                continue
            result[indicator.id] = make_table(
                indicator,
                list(self.row_groups),
                list(self.col_groups),
                lambda rk, ck, parts=parts: {
                    p: parts[p].get(self.key(node, rk, ck), 0) for p in ("num", "den", "base_of")
                },  # a row the filter excludes (key None) is 0
                lambda rk, ck, hidden=hidden: self.key(node, rk, ck) in hidden,
            )
        return result


def _coordinates(wide_key: tuple, dims: tuple[str, ...], programme: str) -> dict[str, str]:
    """A fetched cell's member per variable: the breakdown's groups, and the programme when filtered."""
    _ch, pg, d1, d2 = wide_key if len(wide_key) == 4 else (TOTAL, TOTAL, *wide_key)
    result = {}
    if programme:
        result["programme"] = pg
    for v, c in zip(dims, (d1, d2), strict=False):
        result[v] = c
    return result


def _periods(period: Period, today: datetime.date) -> tuple[tuple[Period, ...], list[tuple[str, Period]]]:
    """A term with the other term of its school year (total: the school year), as far as it has
    begun: a term not begun cannot be opened (and a cohort in it is empty). A school year alone."""
    if period.kind not in ("ht", "vt"):
        return (), [(TOTAL, period)]
    year = school_year_of(period.start)
    current = term_of(today)
    terms = tuple(
        t for t in (Period("ht", year.year), Period("vt", year.year + 1)) if t == period or t.start <= current.start
    )
    return terms, [(t.code, t) for t in terms] + [(TOTAL, year)]


@dataclass
class _Fetch:
    coord: str  # the period's coordinate (TOTAL: the school year)
    level_ids: list  # the levels below the top on the way to the fetched children
    gathered: Gathered
    wide: bool  # asked for cells per child level or per programme


def _requests(tree, cache, top, levels, periods, base) -> list[tuple[str, list, ReportRequest, str]]:
    """What a family reads, per period: the children of every level on the way (each counted once
    per child) and the top level itself. ``(coordinate, level ids, request, how)``: how is "top"
    (the children with the top level from the same queries), "children" or "whole"."""
    wanted = []
    for coord, p in periods:
        for depth, node in enumerate(levels):
            req = ReportRequest(
                period=p,
                unit_ids=cache.units(node),
                thresholds=tree.thresholds,
                partition=CHILD_KIND[node.kind],
                **base,
            )
            how = "top" if depth == 0 and node == top else "children"
            wanted.append((coord, [n.id for n in levels[1 : depth + 1]], req, how))
        if not levels or levels[0] != top:
            req = ReportRequest(period=p, unit_ids=cache.units(top), thresholds=tree.thresholds, **base)
            wanted.append((coord, [], req, "whole"))
    return wanted


def _fetch(tree, cache, top, levels, periods, base) -> list[_Fetch]:
    """The top level itself, and the children of every level on the way (each counted once per child).

    The top level's figures come from the same queries as its children's (one query per
    population and period for both). Every query of the family is read in one go (side by
    side where the database allows, see :mod:`.reading`)."""
    wanted = _requests(tree, cache, top, levels, periods, base)
    cache.prefetch([(req, how == "top") for _c, _ids, req, how in wanted])
    fetched = []
    for coord, _p in periods:
        children = []
        whole = None
        for c, ids, req, how in wanted:
            if c != coord:
                continue
            if how == "top":
                gathered, whole = cache.get_with_top(req)
            elif how == "children":
                gathered = cache.get(req)
            else:
                whole = cache.get(req)
                continue
            children.append(_Fetch(coord, ids, gathered, True))
        fetched.append(_Fetch(coord, [], whole, bool(base["by_programme"])))
        fetched += children
    return fetched


def _unlinked(fetched: list[_Fetch]) -> set[str]:
    """Sources counted outside the enrolments (staff training) that cannot give their cells per child
    level or programme: not about students; their figures are protected as their own table."""
    return {
        indicator_id
        for f in fetched
        if f.wide
        for indicator_id, cells in f.gathered.data.items()
        if cells and any(len(k) != 4 for k in cells)
    }


def _members(tree, period, variables, fetched, unlinked, dims, programme) -> dict[str, list[tuple[str, str]]]:
    """Each variable's groups: the dimension's own, then any other key found, sorted (the same on every page)."""
    seen: dict[str, set] = {v: set() for v in variables}
    for f in fetched:
        for indicator_id, cells in f.gathered.data.items():
            if indicator_id in unlinked:
                continue
            for k in cells or {}:
                for v, c in _coordinates(k, dims, programme).items():
                    seen[v].add(c)
    members: dict[str, list[tuple[str, str]]] = {}
    for v in variables:
        groups, _cols = breakdown_groups(
            ReportRequest(period=period, unit_ids=None, thresholds=tree.thresholds, dims=(v,)),
            sorted((c, TOTAL) for c in seen[v] if c != TOTAL),
        )
        if v == "programme" and programme and programme not in dict(groups):
            groups.append((programme, programme))
        members[v] = groups
    return members


def _limits(indicator: Indicator, fetched: list[_Fetch]) -> dict[str, int]:
    limits: dict[str, int] = {}
    for f in fetched:
        if indicator.id in f.gathered.limits:
            limits[indicator.id] = max(limits.get(indicator.id, 0), f.gathered.limits[indicator.id])
    return limits


def _base(programme: str, dims: tuple[str, ...], indicator_ids, today: datetime.date, anchor) -> dict:
    return dict(
        dims=dims,
        indicator_ids=indicator_ids,
        programme=programme,
        by_programme=bool(programme),
        today=today,
        anchor=anchor,
    )


def prefetch_families(
    tree: ScopeTree,
    top: Node,
    expand: list[Node],
    families: list[tuple[Period, dict]],
    *,
    cache: CellCache,
    programme: str = "",
    today: datetime.date | None = None,
) -> None:
    """Read ahead, in one go, what several families of the same levels will ask for (a report's
    own family and those of its trend: ``(period, {"dims", "indicator_ids", "anchor"})``), so
    their queries are read side by side (see :mod:`.reading`); :func:`linked_family` then finds
    the rows read."""
    if reading.connections_to_use() < 2:
        return
    today = today or timezone.localdate()
    wanted = []
    for period, options in families:
        _terms, periods = _periods(period, today)
        base = _base(programme, options.get("dims", ()), options.get("indicator_ids"), today, options.get("anchor"))
        wanted += [
            (req, how == "top") for _c, _ids, req, how in _requests(tree, cache, top, list(expand), periods, base)
        ]
    cache.prefetch(wanted)


def linked_family(
    tree: ScopeTree,
    top: Node,
    expand: list[Node],
    period: Period,
    *,
    programme: str = "",
    dims: tuple[str, ...] = (),
    indicator_ids: tuple[str, ...] | None = None,
    suppress: bool = True,
    today: datetime.date | None = None,
    anchor: Period | None = None,
    cache: CellCache | None = None,
) -> LinkedFamily:
    """The family of ``top`` and the children of every level in ``expand`` (a path down from ``top``)."""
    today = today or timezone.localdate()
    cache = cache or CellCache()
    terms, periods = _periods(period, today)
    levels = list(expand)
    base = _base(programme, dims, indicator_ids, today, anchor)
    fetched = _fetch(tree, cache, top, levels, periods, base)
    # Breakdowns and the programme filter are variables in one fixed order (the registry's),
    # with fixed members, so every page builds the same cube of the same variables the same
    # way: a programme filter is the programme breakdown's member.
    variables = [v for v in available_dimensions() if v in dims or (v == "programme" and programme)]
    unlinked = _unlinked(fetched)
    members = _members(tree, period, variables, fetched, unlinked, dims, programme)
    family: list[Dim] = [Dim("period", tuple(t.code for t in terms))] if terms else []
    for depth, node in enumerate(levels):
        within = (f"level{depth}", node.id) if depth else None
        family.append(Dim(f"level{depth + 1}", tuple(c.id for c in tree.children[node]), within=within))
    family += [Dim(v, tuple(k for k, _l in members[v])) for v in variables]

    def family_key(f: _Fetch, wide_key) -> tuple:
        ch = wide_key[0] if len(wide_key) == 4 else TOTAL
        ids = list(f.level_ids) + ([ch] if ch != TOTAL else [])
        key: list = ([f.coord] if terms else []) + ids + [TOTAL] * (len(levels) - len(ids))
        coordinates = _coordinates(wide_key, dims, programme)
        return tuple(key + [coordinates.get(v, TOTAL) for v in variables])

    indicators = chosen_indicators(
        ReportRequest(period=period, unit_ids=None, thresholds=tree.thresholds, indicator_ids=indicator_ids)
    )
    checked = Family(family)
    parts: dict[str, dict | None] = {}
    hidden: dict[str, frozenset] = {i.id: frozenset() for i in indicators}
    pending: set[str] = set().union(*(f.gathered.pending for f in fetched))
    keys: dict = {}  # (fetch, fetched key) -> family key, shared by the indicators
    totals: dict = {}  # family key -> the totals it adds to (see cell_parts)
    for indicator in indicators:
        sources = [(f, f.gathered.data.get(indicator.id, {})) for f in fetched]
        if indicator.id in unlinked or indicator.id in pending or any(data is None for _f, data in sources):
            # Facts not computed yet for one of the periods, or a source that cannot break
            # down this way: shown as missing, never protected from part of the family.
            parts[indicator.id] = None
            continue
        cells = {}
        for n, (f, data) in enumerate(sources):
            for wide_key, cell in data.items():
                key = keys.get((n, wide_key))
                if key is None:
                    key = keys[(n, wide_key)] = family_key(f, wide_key)
                cells[key] = cell
        own = parts[indicator.id] = cell_parts(indicator, family, cells, additive=variables, totals=totals)
        if suppress and indicator.missing is None:
            limits = thresholds_of(indicator, tree.thresholds, _limits(indicator, fetched))
            hidden[indicator.id] = protect(checked, own["base_of"], limits, indicator.kind).hidden
    return LinkedFamily(
        dims=family,
        variables=variables,
        breakdown=tuple(dims),
        expand=levels or [top],
        term=period.code if terms else TOTAL,
        programme=programme,
        row_groups=list(members[dims[0]]) if dims else [],
        col_groups=list(members[dims[1]]) if len(dims) > 1 else [],
        parts=parts,
        hidden=hidden,
        indicators=indicators,
        pending=pending & {i.id for i in indicators},
        unlinked=unlinked,
        request=dict(period=period, programme=programme, dims=dims, suppress=suppress, today=today, anchor=anchor),
        cache=cache,
        thresholds=tree.thresholds,
    )


def level_figures(user, level: Level, period: Period, **kwargs) -> dict[str, Table]:
    """The door for another area's page that shows a level's figures (an effect chain's live status):
    the same tables, protected the same way, as this person's report for that level."""
    return linked_report(scope_tree(user), Node(level.kind, level.entity_id), period, **kwargs)


def linked_report(tree: ScopeTree, node: Node, period: Period, **kwargs) -> dict[str, Table]:
    """Every chosen indicator as a :class:`Table` for ``node``, protected with everything linked to it."""
    path = tree.path(node)
    family = linked_family(tree, path[0], path[:-1], period, **kwargs)
    return family.tables(node)


# --- The organisation overview and the start pages ----------------------------------------


@dataclass
class OverviewRow:
    unit: SchoolUnit
    cells: list[str]  # one per current programme
    total: str


def overview_rows(user, *, today: datetime.date | None = None) -> tuple[Period, list[OverviewRow]]:
    """Students this term per school unit and current programme, protected with the person's reports.

    The figures are the report's "Students" broken down by programme for each
    unit, so the overview can never show what a report hides, or the reverse.
    """
    today = today or timezone.localdate()
    period = term_of(today)
    tree = scope_tree(user)
    units = list(units_in_overview_scope(user))
    cache = CellCache()
    codes = list(CURRENT_PROGRAMMES)
    families: dict[int, LinkedFamily] = {}
    rows = []
    for unit in units:
        organiser = Node("organiser", unit.organiser_id)
        if organiser not in families:
            path = tree.path(organiser)
            families[organiser.id] = linked_family(
                tree, path[0], path, period, dims=("programme",), indicator_ids=("students",), today=today, cache=cache
            )
        table = families[organiser.id].tables(Node("unit", unit.pk))["students"]
        by_key = {key: row[-1].text for (key, _label), row in zip(table.rows, table.cells, strict=True)}
        rows.append(OverviewRow(unit=unit, cells=[by_key.get(code, "0") for code in codes], total=by_key[TOTAL]))
    return period, rows


@dataclass
class ScopeSummary:
    name: str
    units: int
    students: str  # students this term, as shown


def scope_summaries(user, *, today: datetime.date | None = None) -> tuple[Period, list[ScopeSummary]]:
    """For the start page: each region or organiser the person follows, with its students this term.

    One line per top level: a sum over several would be a figure no report
    protects (and would give away a hidden one).
    """
    today = today or timezone.localdate()
    period = term_of(today)
    tree = scope_tree(user)
    cache = CellCache()
    names = {
        **{
            ("region", r.pk): r.name
            for r in Region.objects.filter(pk__in=[n.id for n in tree.roots if n.kind == "region"])
        },
        **{
            ("organiser", o.pk): o.name
            for o in Organiser.objects.filter(pk__in=[n.id for n in tree.roots if n.kind == "organiser"])
        },
    }
    result = []
    for root in tree.roots:
        if root.kind not in ("region", "organiser"):
            continue
        family = linked_family(tree, root, [], period, indicator_ids=("students",), today=today, cache=cache)
        figure = family.tables(root)["students"].total
        result.append(
            ScopeSummary(name=names[(root.kind, root.id)], units=len(cache.units(root) or ()), students=figure.text)
        )
    return period, result
