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

from studievag import disclosure
from studievag.access.policy import may

from . import periods
from .dimensions import available_dimensions
from .facts import facts_status
from .indicators import Category, available
from .linked import CellCache, Node, linked_family, scope_tree
from .periods import Period
from .scope import report_scope
from .selectors import Level, Table, reflections_for, units_of_level

LEGEND = disclosure.LEGEND


@dataclass
class TrendPoint:
    period: Period
    figures: list  # Figure per row group (the last is the total)


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


def _trend_periods(period: Period, count: int = 6) -> list[Period]:
    result = [period]
    while len(result) < count:
        result.append(result[-1].previous_term())
    return list(reversed(result))


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
    family = linked_family(tree, path[0], path[:-1], period, dims=dim_ids, **common)
    tables = family.tables(node)
    pending = bool(family.pending)
    status = facts_status(period)
    focus_id = data.get("indicator") or "students"
    if focus_id not in tables or tables[focus_id].indicator.missing is not None:
        focus_id = "students"
    focus = tables[focus_id]
    trend = []
    for p in _trend_periods(period):
        if p == period:
            trend.append(TrendPoint(p, focus.row_margin))
            continue
        earlier = linked_family(
            tree, path[0], path[:-1], p, dims=dim_ids[:1], indicator_ids=(focus_id,), anchor=period, **common
        ).tables(node)[focus_id]
        trend.append(TrendPoint(p, earlier.row_margin))
    reflections = list(
        reflections_for(user, unit_ids=unit_ids, since=period.start, until=period.end).filter(
            tags__tag__startswith="indicator:"
        )[:20]
    )
    for r in reflections:
        r.tag_list = [t.tag for t in r.tags.all()]
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


def indicator_names() -> dict[str, str]:
    return {k: str(i.name) for k, i in available().items()}


__all__ = ["Report", "build", "periods"]
