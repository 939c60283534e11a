"""A report as a page, a download or a board paper: the same figures, suppressed once.

:func:`build` turns a valid :class:`~studievag.quality.forms.ReportForm` into
a :class:`Report`: every indicator over the breakdown (the overview), the
chosen indicator's two-way table and chart data, its trend over earlier
terms, and the reflections next to it. Exports render this object, so a
download never holds a figure the page would hide.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studievag import disclosure
from studievag.access.policy import may

from . import periods
from .dimensions import available_dimensions
from .facts import facts_status
from .indicators import Category, available
from .linked import CellCache, Node, linked_family, prefetch_families, scope_tree
from .periods import Period, trend_of
from .scope import report_scope
from .selectors import Level, Table, reflections_for, units_of_level

LEGEND = disclosure.LEGEND


@dataclass
class TrendPoint:
    period: Period
    figures: list  # Figure per row group (the last is the total)
    # The students in the group that period (a protected figure like any other): with it a
    # "–" reads as "none with a record for this figure", not as "no students".
    students: object = None


@dataclass
class Report:
    level: Level
    period: Period
    programme: str
    dims: list
    tables: dict[str, Table]
    focus: Table
    trend: list[TrendPoint]
    reflections: list
    thresholds: object
    suppressed: bool
    categories: list = field(default_factory=list)
    # When the per-student facts behind the follow-up indicators were computed
    # (None: not yet; they are then shown as missing, and the page asks the job to run).
    facts_computed_at: datetime.datetime | None = None
    facts_pending: bool = False

    @property
    def title(self) -> str:
        return _("Quality report: %(level)s, %(period)s") % {"level": self.level.label, "period": self.period.label}

    @property
    def breakdown_label(self) -> str:
        return " × ".join(str(d.label) for d in self.dims) or _("No breakdown")

    @property
    def row_groups(self):
        return self.focus.rows

    def chart_data(self) -> dict:
        t = self.focus
        unit = t.indicator.unit
        if len(t.cols) > 1:  # two-way: one dataset per column group
            datasets = [
                {
                    "label": label,
                    "data": [t.cells[i][j].chart_value for i in range(len(t.rows) - 1)],
                    "texts": [t.cells[i][j].text for i in range(len(t.rows) - 1)],
                }
                for j, (_k, label) in enumerate(t.cols[:-1])
            ]
            labels = [label for _k, label in t.rows[:-1]]
        else:
            labels = [label for _k, label in t.rows]
            datasets = [
                {
                    "label": str(t.indicator.name),
                    "data": [r.chart_value for r in t.row_margin],
                    "texts": [r.text for r in t.row_margin],
                }
            ]
        trend = {
            "labels": [p.period.label for p in self.trend],
            "datasets": [
                {
                    "label": label,
                    "data": [p.figures[i].chart_value for p in self.trend],
                    "texts": [p.figures[i].text for p in self.trend],
                }
                for i, (_k, label) in enumerate(t.rows)
            ],
        }
        return {"title": str(t.indicator.name), "unit": unit, "labels": labels, "datasets": datasets, "trend": trend}


def _trend_periods(period: Period) -> list[Period]:
    return trend_of(period)


def build(user, data: dict, *, today: datetime.date | None = None) -> Report:
    """The report for a cleaned ``ReportForm``; the level must be one the user may report on."""
    level: Level = data["level_obj"]
    period: Period = data["period_obj"]
    scope = report_scope(user)
    unit_ids = units_of_level(level, scope)
    unsuppressed = bool(
        data.get("unsuppressed")
        and level.kind == "unit"
        and level.entity_id in scope.unsuppressed_units
        and may(user, "quality.unsuppressed")
    )
    dim_ids = tuple(d for d in (data.get("dim1"), data.get("dim2")) if d)
    # Every figure is protected together with everything else this person can open.
    tree = scope_tree(user)
    node = Node(level.kind, level.entity_id)
    path = tree.path(node)
    cache = CellCache()
    programme = data.get("programme") or ""
    common = {"programme": programme, "suppress": not unsuppressed, "cache": cache}
    if today:
        common["today"] = today
    focus_id = data.get("indicator") or "students"
    if focus_id not in available() or available()[focus_id].missing is not None:
        focus_id = "students"
    trend_ids = tuple(dict.fromkeys((focus_id, "students")))
    # The report's own family and every term of its trend, read in one go (side by side).
    prefetch_families(
        tree,
        path[0],
        path[:-1],
        [(period, {"dims": dim_ids})]
        + [
            (p, {"dims": dim_ids[:1], "indicator_ids": trend_ids, "anchor": period})
            for p in _trend_periods(period)
            if p != period
        ],
        cache=cache,
        programme=programme,
        today=today,
    )
    family = linked_family(tree, path[0], path[:-1], period, dims=dim_ids, **common)
    tables = family.tables(node)
    pending = bool(family.pending)
    status = facts_status(period)
    if focus_id not in tables or tables[focus_id].indicator.missing is not None:
        focus_id = "students"
    focus = tables[focus_id]
    trend = []
    for p in _trend_periods(period):
        if p == period:
            trend.append(TrendPoint(p, focus.row_margin, tables["students"].total if "students" in tables else None))
            continue
        ids = tuple(dict.fromkeys((focus_id, "students")))
        earlier = linked_family(
            tree, path[0], path[:-1], p, dims=dim_ids[:1], indicator_ids=ids, anchor=period, **common
        ).tables(node)
        trend.append(TrendPoint(p, earlier[focus_id].row_margin, earlier["students"].total))
    reflections = list(
        reflections_for(user, unit_ids=unit_ids, since=period.start, until=period.end).filter(
            tags__tag__startswith="indicator:"
        )[:20]
    )
    for r in reflections:
        r.tag_list = [t.tag for t in r.tags.all()]
        r.tag_labels = tag_labels(r.tag_list)
        r.about_focus = f"indicator:{focus_id}" in r.tag_list
    reflections.sort(key=lambda r: not r.about_focus)
    dims = [available_dimensions()[d] for d in dim_ids]
    categories = []
    for category in Category.ORDER:
        rows = [t for t in tables.values() if t.indicator.category == category]
        categories.append(
            {
                "id": category,
                "label": Category.LABELS[category],
                "tables": rows,
                "note": Category.EMPTY_NOTE.get(category, ""),
            }
        )
    return Report(
        level=level,
        period=period,
        programme=programme,
        dims=dims,
        tables=tables,
        focus=focus,
        trend=trend,
        reflections=reflections,
        thresholds=tree.thresholds,
        suppressed=not unsuppressed,
        categories=categories,
        facts_computed_at=status.computed_at if status else None,
        facts_pending=pending,
    )


def tag_labels(tags: list[str]) -> list[str]:
    """A reflection's tags as a reader names them: an indicator by its name ("Newly
    arrived", not ``newly_arrived``), a theme by its word."""
    names = {f"indicator:{k}": str(i.name) for k, i in available().items()}
    return [names.get(t) or t.removeprefix("indicator:").removeprefix("theme:").replace("_", " ") for t in tags]


def indicator_names() -> dict[str, str]:
    return {k: str(i.name) for k, i in available().items()}


# --- Outcomes after the programme ---------------------------------------------------------

OUTCOME_SECTIONS = [
    ("exits", gettext_lazy("Exits by reason"), ("exit_",)),
    ("dest6", gettext_lazy("Destination 6 months after leaving"), ("dest6_",)),
    ("dest12", gettext_lazy("Destination 12 months after leaving"), ("dest12_",)),
    ("transfer", gettext_lazy("Transfer to a national programme, by the year the students started"), ("transfer_",)),
    ("kaa", gettext_lazy("The activity responsibility and the goal in the plan"), ("kaa_", "plan_goal_")),
]
# The figures followed over the terms of exit (the cohorts).
COHORT_TREND = (
    "exit_national_programme",
    "exit_unknown",
    "dest6_studying",
    "dest6_working",
    "dest6_not_reached",
    "dest12_not_reached",
    "kaa_handed",
    "plan_goal_reached",
)


@dataclass
class OutcomeReport:
    level: Level
    period: Period
    programme: str
    dims: list
    sections: list  # (key, label, [Table]) in OUTCOME_SECTIONS order
    trend_columns: list  # Indicator
    trend: list  # TrendPoint: figures per COHORT_TREND column
    thresholds: object
    suppressed: bool

    @property
    def breakdown_label(self) -> str:
        return " × ".join(str(d.label) for d in self.dims) or _("No breakdown")

    @property
    def row_groups(self):
        first = next((tables[0] for _k, _l, tables in self.sections if tables), None)
        return first.rows if first else []


def build_outcomes(user, data: dict, *, today: datetime.date | None = None) -> OutcomeReport:
    """The outcome indicators for a cleaned ``ReportForm``: by breakdown, and by term of exit.

    Figures come through the same door as every other report (:mod:`.linked`); the trend's
    current term is the total of the page's own tables, earlier terms are
    computed with the first breakdown (as the main report's trend), so the page
    never shows two suppression patterns of the same figures.
    """
    level: Level = data["level_obj"]
    period: Period = data["period_obj"]
    scope = report_scope(user)
    unsuppressed = bool(
        data.get("unsuppressed")
        and level.kind == "unit"
        and level.entity_id in scope.unsuppressed_units
        and may(user, "quality.unsuppressed")
    )
    dim_ids = tuple(d for d in (data.get("dim1"), data.get("dim2")) if d)[:1]
    ids = tuple(k for k, i in available().items() if i.category == Category.OUTCOMES and i.missing is None)
    tree = scope_tree(user)
    node = Node(level.kind, level.entity_id)
    path = tree.path(node)
    common = {
        "programme": data.get("programme") or "",
        "suppress": not unsuppressed,
        "cache": CellCache(),
        **({"today": today} if today else {}),
    }

    def tables_for(p: Period, indicator_ids: tuple[str, ...]) -> dict[str, Table]:
        family = linked_family(tree, path[0], path[:-1], p, dims=dim_ids, indicator_ids=indicator_ids, **common)
        return family.tables(node)

    trend_ids = tuple(c for c in COHORT_TREND if c in ids)
    # The page's own tables and every term of exit in the trend, read in one go (side by side).
    prefetch_families(
        tree,
        path[0],
        path[:-1],
        [(period, {"dims": dim_ids, "indicator_ids": ids})]
        + [(p, {"dims": dim_ids, "indicator_ids": trend_ids}) for p in _trend_periods(period) if p != period],
        cache=common["cache"],
        programme=common["programme"],
        today=today,
    )
    tables = tables_for(period, ids)
    sections = [
        (key, label, [t for k, t in tables.items() if k.startswith(prefixes)])
        for key, label, prefixes in OUTCOME_SECTIONS
    ]
    columns = [c for c in COHORT_TREND if c in tables]
    trend = []
    for p in _trend_periods(period):
        if p == period:
            trend.append(TrendPoint(p, [tables[c].total for c in columns]))
            continue
        earlier = tables_for(p, tuple(columns))
        trend.append(TrendPoint(p, [earlier[c].total for c in columns]))
    return OutcomeReport(
        level=level,
        period=period,
        programme=common["programme"],
        dims=[available_dimensions()[d] for d in dim_ids],
        sections=sections,
        trend_columns=[tables[c].indicator for c in columns],
        trend=trend,
        thresholds=tree.thresholds,
        suppressed=not unsuppressed,
    )


__all__ = ["OutcomeReport", "Report", "build", "build_outcomes", "periods"]
