"""Group-level reads: report scope, the report engine, reflections.

A report is computed by one ``GROUP BY`` query per population (see
:mod:`studievag.quality.indicators`) over enrolments of school units in the
user's scope, never returning anything about an individual: every row out of
the database is a group of students, and every figure passes through
:mod:`studievag.quality.suppression` before it reaches a page or an export.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.disclosure import TOTAL, Dim, Figure, Kind, Thresholds, figure, missing, protect
from studievag.enrolments.models import Enrolment
from studievag.limits import search_words
from studievag.organisations.models import Organiser, Region, SchoolUnit

from .dimensions import UNKNOWN, Dimension, available_dimensions
from .indicators import Category, Context, Indicator, available
from .models import PeriodFactsStatus, Reflection, ReflectionTag, SuppressionRule
from .periods import Period
from .scope import ReportScope, reflection_units, report_scope

# --- Scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    kind: str  # "unit", "organiser", "region", "national"
    entity_id: int | None
    label: str

    @property
    def code(self) -> str:
        return f"{self.kind}:{self.entity_id}" if self.entity_id else self.kind


def level_choices(user) -> list[Level]:
    """The levels (school units, organisers, regions) this user may report on."""
    scope = report_scope(user)
    levels = [Level("region", r.pk, f"{_('Region')}: {r.name}") for r in Region.objects.filter(pk__in=scope.regions)]
    levels += [
        Level("organiser", o.pk, f"{_('Organiser')}: {o.name}")
        for o in Organiser.objects.filter(pk__in=scope.organisers)
    ]
    levels += [
        Level("unit", u.pk, f"{_('School unit')}: {u.name}") for u in SchoolUnit.objects.filter(pk__in=scope.units)
    ]
    return levels


def units_of_level(level: Level, scope: ReportScope | None = None) -> list[int] | None:
    """School unit ids a level covers (``None``: every unit, the national level)."""
    if level.kind == "national":
        return None
    units = SchoolUnit.objects.filter(school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
    if level.kind == "unit":
        units = units.filter(pk=level.entity_id)
    elif level.kind == "organiser":
        units = units.filter(organiser_id=level.entity_id)
    elif level.kind == "region":
        units = units.filter(organiser__region_id=level.entity_id)
    return list(units.values_list("pk", flat=True))


def thresholds_for(unit_ids: list[int] | None) -> Thresholds:
    """The deployment's limits, raised by any organiser in the report's scope."""
    base = Thresholds(settings.QUALITY_MIN_COUNT, settings.QUALITY_MIN_BASE)
    rules = SuppressionRule.objects.all()
    if unit_ids is not None:
        rules = rules.filter(organiser__school_units__in=unit_ids).distinct()
    return Thresholds.strictest([base] + [Thresholds(r.min_count, r.min_base) for r in rules])


# --- The report -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRequest:
    period: Period
    unit_ids: list[int] | None
    thresholds: Thresholds
    programme: str = ""
    dims: tuple[str, ...] = ()
    indicator_ids: tuple[str, ...] | None = None  # None: all available
    suppress: bool = True
    today: datetime.date = field(default_factory=timezone.localdate)
    # For linked tables (see linked.py): count each student once per child level
    # ("unit" or "organiser") instead of once in the whole scope, and group the
    # rows by that child; and group by programme instead of filtering on one.
    partition: str = ""
    by_programme: bool = False
    # With ``partition``: also the figures of the whole scope, from the same query (each
    # row says whether it is also the student's latest enrolment in the whole scope).
    with_top: bool = False
    anchor: Period | None = None  # a trend point: the report's own period (for comparable survey items)


@dataclass
class Table:
    """One indicator over the breakdown: ``cells[i][j]``, last row/column the totals."""

    indicator: Indicator
    rows: list[tuple[str, str]]  # (key, label); the last is the total
    cols: list[tuple[str, str]]
    cells: list[list[Figure]]

    @property
    def total(self) -> Figure:
        return self.cells[-1][-1]

    @property
    def row_margin(self) -> list[Figure]:
        return [row[-1] for row in self.cells]


def _groups(dimension: Dimension | None) -> list[tuple[str, str]]:
    if dimension is None:
        return []
    return [(k, str(v)) for k, v in dimension.groups()]


def _active_in(period: Period) -> Q:
    return Q(start_date__lte=period.end) & (Q(end_date__isnull=True) | Q(end_date__gte=period.start))


def population(req: ReportRequest, kind: str, period: Period) -> QuerySet[Enrolment]:
    """One enrolment row per student: the population an indicator counts over."""
    scope = Q() if req.unit_ids is None else Q(school_unit_id__in=req.unit_ids)
    if kind == "period":
        rows = Q(scope) & _active_in(period)
        later = Enrolment.objects.filter(rows, student_id=OuterRef("student_id")).filter(
            Q(start_date__gt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), pk__gt=OuterRef("pk"))
        )
        whole = later
        if req.partition:
            # Once per child level: the latest enrolment within the same unit (or organiser).
            later = later.filter(**{PARTITIONS[req.partition]: OuterRef(PARTITIONS[req.partition])})
        qs = Enrolment.objects.filter(rows).filter(~Exists(later))
        if req.partition and req.with_top:
            # The whole scope's population is the rows that are also the latest in it: a subset.
            qs = qs.annotate(**{TOP: ~Exists(whole)})
    else:  # a cohort: the student's first enrolment ever started in the period
        rows = Q(scope) & Q(start_date__gte=period.start, start_date__lte=period.end)
        earlier = Enrolment.objects.filter(student_id=OuterRef("student_id")).filter(
            Q(start_date__lt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk"))
        )
        qs = Enrolment.objects.filter(rows).filter(~Exists(earlier))
    if req.programme and not req.by_programme:
        qs = qs.filter(programme__code=req.programme)
    return qs.order_by()


# The column a child level is grouped by, for a partitioned population.
PARTITIONS = {"unit": "school_unit_id", "organiser": "school_unit__organiser_id"}
# Whether a row of a partitioned population also counts for the whole scope (see ``with_top``).
TOP = "tp"


def _groups_for(req: ReportRequest, expressions: list, kind: str = "cohort") -> dict:
    """The GROUP BY columns: child level, programme, the breakdown's two dimensions and,
    with ``with_top``, whether the row counts for the whole scope too (a cohort's rows always do:
    a student's first enrolment does not depend on the partition)."""
    constant = Value(TOTAL, output_field=CharField())
    groups = {"ch": constant, "pg": constant, "d1": constant, "d2": constant}
    if req.partition and req.with_top and kind == "period":
        groups[TOP] = F(TOP)
    if req.partition:
        groups["ch"] = F(PARTITIONS[req.partition])
    if req.by_programme:
        groups["pg"] = F("programme__code")
    for n, expression in enumerate(expressions):
        groups[f"d{n + 1}"] = expression
    return groups


GROUPS = ("ch", "pg", "d1", "d2")


def population_period(kind: str, period: Period) -> Period:
    return period if kind == "period" else period.shifted(-int(kind.removeprefix("cohort")))


def _count(q) -> Count:
    return Count("pk", filter=q) if q is not None and q != Q() else Count("pk")


def _aggregates(indicator: Indicator, ctx: Context) -> dict:
    k = indicator.id
    if indicator.kind == Kind.COUNT:
        return {f"{k}__num": _count(indicator.numerator(ctx))}
    if indicator.kind == Kind.SHARE:
        den = indicator.denominator(ctx)
        return {
            f"{k}__num": _count(den & indicator.numerator(ctx)),
            f"{k}__den": _count(den),
        }
    return {  # a rate: sums over per-student annotations
        f"{k}__num": Sum(indicator.numerator(ctx)),
        f"{k}__den": Sum(indicator.denominator(ctx)),
        f"{k}__base": _count(indicator.base(ctx)),
    }


STATE = "st"


def _state(indicator: Indicator, ctx: Context):
    """0 outside the denominator, 1 in it, 2 also in the numerator: one value per student.

    Grouping by this value (instead of aggregating with two filters) makes the
    database evaluate an indicator's per-student subqueries once per row.
    The denominator is tested first, so each subquery runs at most once.
    """
    den = indicator.denominator(ctx)
    whens = []
    if den != Q():
        whens.append(When(~den, then=Value(0)))
    whens.append(When(indicator.numerator(ctx), then=Value(2)))
    return Case(*whens, default=Value(1), output_field=IntegerField())


@dataclass
class ReportQuery:
    """One query of a report and how to read its rows."""

    queryset: QuerySet
    indicators: list[Indicator]
    context: Context
    mode: str  # "plain": aggregates per indicator; "state": counts per state of one indicator


def report_querysets(req: ReportRequest) -> list[ReportQuery]:
    """The queries a report runs (also shown on definition pages).

    Indicators that only filter on columns share one ``GROUP BY`` query per
    population; shares with per-student subqueries share one query per population
    grouped by each one's :func:`_state`, a rate with its own subqueries gets a
    query of its own summing them.
    """
    dims = [available_dimensions()[d] for d in req.dims]
    chosen = available()
    if req.indicator_ids is not None:
        chosen = {k: v for k, v in chosen.items() if k in req.indicator_ids}
    batches, cohort_shares, own_shares = _batches(chosen)
    result = []
    populations: dict[str, QuerySet] = {}  # built once per population, each batch a clone
    for kind, indicators in own_shares.items():
        for together in _without_clashes(indicators, population_period(kind, req.period), req):
            result.append(_states_query(req, dims, kind, together, populations))
    for (kind, _own), indicators in batches.items():
        pperiod = population_period(kind, req.period)
        ctx = Context(period=req.period, population_period=pperiod, today=req.today)
        if kind not in populations:
            populations[kind] = population(req, kind, pperiod)
        qs = populations[kind].all()
        extra: dict = {}
        facts: set[str] = set()
        for indicator in indicators:
            if indicator.facts:
                facts.update(indicator.annotations(ctx))
            elif indicator.annotations:
                extra.update(indicator.annotations(ctx))
        if facts:
            # One LEFT JOIN on the period's per-student facts (see facts.py).
            qs = qs.annotate(
                fx=FilteredRelation("student__period_facts", condition=Q(student__period_facts__period=pperiod.code))
            )
            extra.update({name: F(f"fx__{name}") for name in sorted(facts)})
        if extra:
            qs = qs.annotate(**extra)
        # Without a breakdown, a constant group: no GROUP BY, one row.
        groups = _groups_for(req, [dimension.expression(pperiod) for dimension in dims], kind)
        qs = qs.annotate(**{g: e for g, e in groups.items() if g != TOP})
        aggregates: dict = {}
        for indicator in indicators:
            aggregates.update(_aggregates(indicator, ctx))
        qs = qs.values(*groups).annotate(**aggregates).order_by()
        result.append(ReportQuery(qs, indicators, ctx, "plain"))
    if cohort_shares:
        result.append(_cohorts_query(req, dims, cohort_shares))
    return result


def _batches(chosen: dict[str, Indicator]) -> tuple[dict, list[Indicator], dict[str, list[Indicator]]]:
    """Which query counts each indicator: ``(population, "")`` batches share one query per
    population, a rate with its own subqueries gets ``(population, id)``; cohort shares with
    subqueries share the cohorts' query; other shares with subqueries a states query per population."""
    batches: dict[tuple[str, str], list[Indicator]] = {}
    cohort_shares: list[Indicator] = []
    own_shares: dict[str, list[Indicator]] = {}
    for indicator in chosen.values():
        if indicator.missing is not None or indicator.external is not None:
            continue
        if (
            indicator.population.startswith("cohort")
            and indicator.annotations is not None
            and indicator.kind == Kind.SHARE
        ):
            cohort_shares.append(indicator)
            continue
        shared = indicator.annotations is None or indicator.facts
        if not shared and indicator.kind == Kind.SHARE:
            own_shares.setdefault(indicator.population, []).append(indicator)
            continue
        key = (indicator.population, "" if shared else indicator.id)
        batches.setdefault(key, []).append(indicator)
    return batches, cohort_shares, own_shares


def _without_clashes(indicators: list[Indicator], pperiod: Period, req: ReportRequest) -> list[list[Indicator]]:
    """Indicators that can share one query: no two annotate the same name differently (two that
    take their annotations from the same definition, e.g. the handover's timing, share them)."""
    ctx = Context(period=req.period, population_period=pperiod, today=req.today)
    together: list[tuple[dict, list[Indicator]]] = []
    for indicator in indicators:
        names = dict.fromkeys(indicator.annotations(ctx), indicator.annotations) if indicator.annotations else {}
        for used, group in together:
            if all(used.get(name, source) is source for name, source in names.items()):
                used.update(names)
                group.append(indicator)
                break
        else:
            together.append((names, [indicator]))
    return [group for _used, group in together]


def _states_query(req: ReportRequest, dims, kind: str, indicators: list[Indicator], populations: dict) -> ReportQuery:
    """Shares with per-student subqueries of one population in one query, grouped by each one's
    :func:`_state`: every subquery still runs once per row, and the population is scanned once
    instead of once per indicator."""
    pperiod = population_period(kind, req.period)
    ctx = Context(period=req.period, population_period=pperiod, today=req.today)
    if kind not in populations:
        populations[kind] = population(req, kind, pperiod)
    qs = populations[kind].all()
    extra: dict = {}
    for indicator in indicators:
        extra.update(indicator.annotations(ctx))
    if extra:
        qs = qs.annotate(**extra)
    groups = _groups_for(req, [dimension.expression(pperiod) for dimension in dims], kind)
    qs = qs.annotate(**{g: e for g, e in groups.items() if g != TOP})
    states = {f"st_{i.id}": _state(i, ctx) for i in indicators}
    qs = qs.annotate(**states).values(*groups, *states).annotate(n=Count("pk")).order_by()
    return ReportQuery(qs, indicators, ctx, "states")


def _cohorts_query(req: ReportRequest, dims, indicators: list[Indicator]) -> ReportQuery:
    """Every cohort share in one query: one scan of the enrolments instead of one per cohort.

    Each row carries its cohort number; each indicator's :func:`_state` is
    evaluated only for the rows of its own cohort, and the dimensions are
    taken at the start of each row's own cohort period.
    """
    numbers = sorted({int(i.population.removeprefix("cohort")) for i in indicators})
    periods = {n: req.period.shifted(-n) for n in numbers}
    contexts = {n: Context(period=req.period, population_period=p, today=req.today) for n, p in periods.items()}
    scope = Q() if req.unit_ids is None else Q(school_unit_id__in=req.unit_ids)
    started = Q(pk__in=[])
    for p in periods.values():
        started |= Q(start_date__gte=p.start, start_date__lte=p.end)
    earlier = Enrolment.objects.filter(student_id=OuterRef("student_id")).filter(
        Q(start_date__lt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk"))
    )
    qs = Enrolment.objects.filter(scope & started).filter(~Exists(earlier))
    if req.programme and not req.by_programme:
        qs = qs.filter(programme__code=req.programme)
    qs = qs.order_by().annotate(
        cohort=Case(
            *[When(start_date__gte=p.start, start_date__lte=p.end, then=Value(n)) for n, p in periods.items()],
            output_field=IntegerField(),
        )
    )
    extra: dict = {}
    for indicator in indicators:
        extra.update(indicator.annotations(contexts[int(indicator.population[6:])]))
    qs = qs.annotate(**extra)
    groups = _groups_for(
        req,
        [
            Case(*[When(cohort=n, then=dimension.expression(p)) for n, p in periods.items()], output_field=CharField())
            for dimension in dims
        ],
    )
    states = {
        f"st_{i.id}": Case(
            When(cohort=int(i.population[6:]), then=_state(i, contexts[int(i.population[6:])])),
            default=Value(-1),
            output_field=IntegerField(),
        )
        for i in indicators
    }
    qs = qs.annotate(**groups, **states).values(*GROUPS, *states).annotate(n=Count("pk")).order_by()
    return ReportQuery(qs, indicators, contexts[numbers[0]], "cohorts")


def _chosen(req: ReportRequest) -> dict[str, Indicator]:
    return (
        available() if req.indicator_ids is None else {k: v for k, v in available().items() if k in req.indicator_ids}
    )


def facts_pending(req: ReportRequest) -> set[str]:
    """Chosen indicators read from per-student facts the background job has not computed yet."""
    waiting = {k for k, i in _chosen(req).items() if i.facts and i.missing is None}
    if waiting and PeriodFactsStatus.objects.filter(period=req.period.code).exists():
        return set()
    return waiting


def report_cells(req: ReportRequest) -> dict[str, dict[tuple, dict]]:
    """Unsuppressed numerators, denominators and bases per indicator and group.

    Keyed by ``(d1, d2)``; with ``partition`` or ``by_programme`` set, by
    ``(child, programme, d1, d2)`` (``TOTAL`` where a column is not grouped).
    Indicators over per-student facts read what the background job computed
    (``facts.py``); while a period has none yet they are left out.
    """
    return report_cells_with_top(req)[0]


@dataclass
class Prepared:
    """A report request's compiled queries, ready to be read (see :func:`prepare`)."""

    req: ReportRequest  # as read: the indicators whose facts are not computed yet left out
    pending: set[str]
    queries: list[CompiledQuery]


def prepare(req: ReportRequest) -> Prepared:
    """The queries a request reads (indicators over facts not computed yet are left out)."""
    pending = facts_pending(req)
    if pending:
        req = replace(req, indicator_ids=tuple(k for k in _chosen(req) if k not in pending))
    return Prepared(req, pending, compiled_queries(req))


def report_cells_with_top(
    req: ReportRequest, *, prepared: Prepared | None = None, rows: list[list[dict]] | None = None
) -> tuple[dict[str, dict[tuple, dict]], dict[str, dict[tuple, dict]]]:
    """:func:`report_cells`, and with ``partition`` and ``with_top`` the cells of the whole scope
    from the same queries (keyed ``(TOTAL, programme, d1, d2)``; else empty).

    ``prepared`` and ``rows``: the request's queries and their rows, already read (side by side
    with other requests' queries, see :mod:`.reading`)."""
    prepared = prepared or prepare(req)
    req = prepared.req
    if rows is None:
        rows = [query.rows() for query in prepared.queries]
    wide = bool(req.partition or req.by_programme)
    top_too = bool(req.partition and req.with_top)
    data: dict[str, dict[tuple, dict]] = {}
    top: dict[str, dict[tuple, dict]] = {}
    for query, found in zip(prepared.queries, rows, strict=True):
        for row in found:
            key = tuple(row[g] for g in GROUPS) if wide else (row["d1"], row["d2"])
            _add_row(data, key, query, row)
            if top_too and row.get(TOP, True):
                _add_row(top, (TOTAL, *key[1:]), query, row)
    return data, top


@dataclass(frozen=True)
class _Output:
    """What a database converter reads of the expression it converts (not the expression's tree)."""

    output_field: object


@dataclass
class CompiledQuery:
    """A report query compiled once: its SQL is a function of the request alone, so a page opened
    again (another indicator in focus, a download, the trend of a neighbouring term) runs the same
    SQL without building and compiling it again. Rows are read live every time, and converted as
    Django converts a ``values()`` row."""

    mode: str
    indicators: list[Indicator]
    sql: str | None  # None: the query can match no row
    params: tuple
    names: list[str]
    converters: list[tuple[int, list, _Output]]
    alias: str

    def rows(self) -> list[dict]:
        if self.sql is None:
            return []
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            fetched = cursor.fetchall()
        names = self.names
        result = []
        for raw in fetched:
            row = list(raw)
            for pos, convs, expression in self.converters:
                value = row[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[pos] = value
            result.append(dict(zip(names, row, strict=True)))
        return result


# Compiled report queries per database connection (a connection belongs to one thread), the most
# recently used kept: a few pages' worth.
COMPILED_KEPT = 48


def _request_key(req: ReportRequest) -> tuple:
    """Everything a report query's SQL depends on (not the limits: suppression is not in SQL)."""
    return (
        None if req.unit_ids is None else tuple(req.unit_ids),
        req.period,
        req.programme,
        tuple(req.dims),
        None if req.indicator_ids is None else tuple(req.indicator_ids),
        req.today,
        req.partition,
        req.by_programme,
        req.with_top,
        req.anchor,
    )


def compiled_queries(req: ReportRequest) -> list[CompiledQuery]:
    """:func:`report_querysets`, compiled: once per request key and database connection."""
    connection = connections[Enrolment.objects.db]
    kept: OrderedDict | None = getattr(connection, "_studievag_compiled", None)
    if kept is None:
        kept = OrderedDict()
        connection._studievag_compiled = kept  # type: ignore[attr-defined]
    key = _request_key(req)
    found = kept.get(key)
    if found is not None:
        kept.move_to_end(key)
        return found
    found = [_compile(query) for query in report_querysets(req)]
    kept[key] = found
    while len(kept) > COMPILED_KEPT:
        kept.popitem(last=False)
    return found


def _compile(query: ReportQuery) -> CompiledQuery:
    qs = query.queryset
    compiler = qs.query.get_compiler(using=qs.db)
    names = (
        list(qs.query.selected)
        if qs.query.selected
        else [
            *qs.query.extra_select,
            *qs.query.values_select,
            *qs.query.annotation_select,
        ]
    )
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        sql, params = "", ()
    if not sql:
        return CompiledQuery(query.mode, query.indicators, None, (), names, [], qs.db)
    if compiler.has_extra_select or len(names) != compiler.col_count:
        raise ValueError("a report query selects its named columns only")
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    converters = [
        (pos, list(convs), _Output(expression.output_field))
        for pos, (convs, expression) in compiler.get_converters(fields).items()
    ]
    return CompiledQuery(query.mode, query.indicators, sql, tuple(params), names, converters, qs.db)


def _add_row(data: dict, key: tuple, query, row: dict) -> None:
    """Add one grouped row of a report query to the cells it counts in."""
    if query.mode == "cohorts":
        for indicator in query.indicators:
            state = row[f"st_{indicator.id}"]
            if state < 1:
                continue
            cell = data.setdefault(indicator.id, {}).setdefault(key, {})
            cell["den"] = cell.get("den", 0) + row["n"]
            if state == 2:
                cell["num"] = cell.get("num", 0) + row["n"]
        return
    if query.mode == "states":
        for indicator in query.indicators:
            state = row[f"st_{indicator.id}"]
            cell = data.setdefault(indicator.id, {}).setdefault(key, {})
            if state >= 1:
                cell["den"] = cell.get("den", 0) + row["n"]
            if state == 2:
                cell["num"] = cell.get("num", 0) + row["n"]
        return
    for indicator in query.indicators:
        cell = data.setdefault(indicator.id, {}).setdefault(key, {})
        for part in ("num", "den", "base"):
            v = row.get(f"{indicator.id}__{part}")
            if v is not None:
                cell[part] = cell.get(part, 0) + v


def chosen_indicators(req: ReportRequest) -> list[Indicator]:
    return sorted(_chosen(req).values(), key=_order)


def external_cells(req: ReportRequest, chosen: dict[str, Indicator]) -> tuple[dict, dict[str, int]]:
    """Cells of indicators counted outside the enrolment query, each source asked once.

    A cell map is ``None`` where the source cannot break down the way the report asks.
    """
    data: dict[str, dict | None] = {}
    limits: dict[str, int] = {}
    sources: dict = {}
    for indicator in chosen.values():
        if indicator.external is None or indicator.missing is not None:
            continue
        if indicator.external not in sources:
            sources[indicator.external] = indicator.external(req)
        found = sources[indicator.external]
        if found is None:
            data[indicator.id] = None
        else:
            data[indicator.id] = found[0].get(indicator.id, {})
            limits[indicator.id] = found[1]
    return data, limits


@dataclass
class Gathered:
    """What a report's figures rest on, unsuppressed: cells per indicator, own limits, pending facts."""

    data: dict[str, dict | None]  # None: the source cannot break down this way
    limits: dict[str, int]  # a source's own minimum (a survey wave's)
    pending: set[str]  # facts not computed yet: shown as missing


# A request's queries already read: what :func:`prepare` gave and the rows of each query.
Read = tuple[Prepared, list[list[dict]]]


def gather(req: ReportRequest, read: Read | None = None) -> Gathered:
    prepared, rows = read if read is not None else (None, None)
    data: dict[str, dict | None] = dict(report_cells_with_top(req, prepared=prepared, rows=rows)[0])
    external, limits = external_cells(req, _chosen(req))
    data.update(external)
    pending = prepared.pending if prepared is not None else facts_pending(req)
    return Gathered(data=data, limits=limits, pending=pending)


def gather_with_top(req: ReportRequest, read: Read | None = None) -> tuple[Gathered, Gathered]:
    """A partitioned request's cells and those of its whole scope, the enrolment figures of both
    from the same queries (sources counted outside the enrolments are asked for each).

    ``read``: the queries of the request with ``with_top`` set, already read."""
    if not req.partition:
        raise ValueError("gather_with_top needs a partitioned request")
    req = replace(req, with_top=True)
    prepared, rows = read if read is not None else (None, None)
    cells, top_cells = report_cells_with_top(req, prepared=prepared, rows=rows)
    if not req.by_programme:  # keyed as the whole scope's own request would be: (d1, d2)
        top_cells = {i: {k[2:]: c for k, c in by_key.items()} for i, by_key in top_cells.items()}
    pending = prepared.pending if prepared is not None else facts_pending(req)
    result = []
    for r, d in ((req, cells), (replace(req, partition="", with_top=False), top_cells)):
        data: dict[str, dict | None] = dict(d)
        external, limits = external_cells(r, _chosen(r))
        data.update(external)
        result.append(Gathered(data=data, limits=limits, pending=pending))
    return result[0], result[1]


def thresholds_of(indicator: Indicator, thresholds: Thresholds, limits: dict[str, int]) -> Thresholds:
    """The limits an indicator's figures are hidden by: a source's own minimum, never under the report's."""
    if indicator.id in limits:
        k = max(limits[indicator.id], thresholds.min_count)
        return Thresholds(min_count=k, min_base=k)
    return thresholds


def breakdown_groups(req: ReportRequest, keys) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The row and column groups of the breakdown, with any key the dimension did not list (a programme code)."""
    dims = [available_dimensions()[d] for d in req.dims]
    row_groups = _groups(dims[0]) if dims else []
    col_groups = _groups(dims[1]) if len(dims) > 1 else []
    for k1, k2 in keys:
        if dims and k1 not in dict(row_groups):
            row_groups.append((k1, k1 if k1 != UNKNOWN else _("Not known")))
        if len(dims) > 1 and k2 not in dict(col_groups):
            col_groups.append((k2, k2))
    return row_groups, col_groups


def run_report(req: ReportRequest) -> dict[str, Table]:
    """Every chosen indicator as a suppressed :class:`Table`, the table protected on its own.

    For a table nobody can open at another level, period or programme (the
    national benchmark, tests of the counting). Pages and exports go through
    :func:`studievag.quality.linked.linked_report`, which protects everything
    the person can open together.
    """
    gathered = gather(req)
    data = gathered.data
    row_groups, col_groups = breakdown_groups(req, {k for cells in data.values() for k in cells or {}})
    dims = []
    if req.dims:
        dims.append(Dim("d1", tuple(k for k, _l in row_groups)))
    if len(req.dims) > 1:
        dims.append(Dim("d2", tuple(k for k, _l in col_groups)))

    def key(k1, k2):
        return ((k1,) if len(dims) > 0 else ()) + ((k2,) if len(dims) > 1 else ())

    tables = {}
    for indicator in chosen_indicators(req):
        cells = data.get(indicator.id, {})
        if cells is None or indicator.id in gathered.pending:
            tables[indicator.id] = make_table(indicator, row_groups, col_groups, None, None)
            continue
        finest = {key(k1, k2): cell for (k1, k2), cell in cells.items()}
        parts = cell_parts(indicator, dims, finest, additive=[d.name for d in dims])
        hidden = frozenset()
        if req.suppress and indicator.missing is None:
            limits = thresholds_of(indicator, req.thresholds, gathered.limits)
            hidden = protect(dims, parts["base_of"], limits, indicator.kind).hidden
        tables[indicator.id] = make_table(
            indicator,
            row_groups,
            col_groups,
            lambda rk, ck, parts=parts: {p: parts[p].get(key(rk, ck), 0) for p in ("num", "den", "base_of")},
            lambda rk, ck, hidden=hidden: key(rk, ck) in hidden,
        )
    return tables


def cell_parts(
    indicator: Indicator, dims, cells: dict[tuple, dict], *, additive, totals: dict | None = None
) -> dict[str, dict[tuple, float]]:
    """Numerators, denominators and the base each figure rests on, with the totals of additive dimensions.

    ``totals``: a memo of the totals each key adds to, shared by the indicators of one family.
    """
    names = [d.name for d in dims]
    positions = [names.index(name) for name in additive]
    memo = {} if totals is None else totals
    num: dict[tuple, float] = {}
    den: dict[tuple, float] = {}
    base: dict[tuple, float] = {}
    for key, cell in cells.items():
        targets = memo.get(key)
        if targets is None:
            targets = memo[key] = _totals_of(key, positions)
        n, d, b = cell.get("num") or 0, cell.get("den") or 0, cell.get("base") or 0
        for t in targets:
            num[t] = num.get(t, 0) + n
            den[t] = den.get(t, 0) + d
            base[t] = base.get(t, 0) + b
    source = num if indicator.kind == Kind.COUNT else den if indicator.kind == Kind.SHARE else base
    return {"num": num, "den": den, "base": base, "base_of": {k: int(v) for k, v in source.items()}}


def _totals_of(key: tuple, positions: list[int]) -> list[tuple]:
    """The key itself and every total it adds to: each subset of its additive members set to ``TOTAL``."""
    present = [k for k in positions if key[k] != TOTAL]
    result = []
    for mask in range(1 << len(present)):
        total = list(key)
        for bit, k in enumerate(present):
            if mask >> bit & 1:
                total[k] = TOTAL
        result.append(tuple(total))
    return result


def base_of(indicator: Indicator, num: float, den: float, base: float) -> int:
    """The students a figure rests on: the count itself, a share's denominator, a rate's students with data."""
    if indicator.kind == Kind.COUNT:
        return int(num)
    return int(den if indicator.kind == Kind.SHARE else base)


def _order(indicator: Indicator) -> int:
    return Category.ORDER.index(indicator.category)


def make_table(indicator, row_groups, col_groups, value, hidden) -> Table:
    """A :class:`Table` over the groups (the total last), each cell a disclosure :class:`Figure`.

    ``value(row_key, col_key)`` gives ``num``/``den``/``base_of`` of a cell and
    ``hidden(row_key, col_key)`` whether the protection hides it; ``TOTAL`` is
    the key of a margin. Without ``value`` every cell is missing (``.``).
    """
    rows = row_groups + [(TOTAL, _("Total"))]
    cols = col_groups + [(TOTAL, _("Total"))]
    if indicator.missing is not None or value is None:
        return Table(indicator, rows, cols, [[missing() for _c in cols] for _r in rows])
    cells = []
    for rk, _rl in rows:
        line = []
        for ck, _cl in cols:
            v = value(rk, ck)
            line.append(
                figure(
                    indicator.kind,
                    numerator=float(v["num"]),
                    denominator=float(v["den"]),
                    base=int(v["base_of"]),
                    hidden=hidden(rk, ck),
                )
            )
        cells.append(line)
    return Table(indicator, rows, cols, cells)


# --- Reflections ------------------------------------------------------------------------


def reflections_for(
    user,
    *,
    query: str = "",
    tag: str = "",
    unit_ids=None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
):
    """Reflections this user may read, newest first, optionally searched."""
    units = reflection_units(user, writing=False)
    report_units = report_scope(user)
    qs = Reflection.objects.filter(
        Q(school_unit__in=units)
        | Q(school_unit_id__in=report_units.units)
        | Q(school_unit__organiser_id__in=report_units.organisers)
    )
    if unit_ids is not None:
        qs = qs.filter(school_unit_id__in=unit_ids)
    # One subquery per word, not a join: joining the tags once per word
    # multiplied the rows (15 words kept a worker busy for 30 s).
    for word in search_words(query):
        tagged = ReflectionTag.objects.filter(tag__icontains=word).values("reflection_id")
        qs = qs.filter(Q(text__icontains=word) | Q(pk__in=tagged))
    if tag:
        qs = qs.filter(tags__tag=tag)
    if since:
        qs = qs.filter(written_on__gte=since)
    if until:
        qs = qs.filter(written_on__lte=until)
    return qs.distinct().select_related("school_unit", "author").prefetch_related("tags").order_by("-written_on", "-pk")
