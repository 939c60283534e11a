"""An analyst with a real login, trying to work out hidden figures from everything they can open.

:func:`collect` opens pages the way the report, its downloads and the
organisation overview do, and writes down every figure as the person sees it,
under a key that names *what* it counts: (period, level, {variable: group}).
A programme filter is the programme variable's group, so "IMS, by gender" and
"by programme × gender, the IMS row" are the same figures.

:func:`attack` then plays every subtraction (a total minus its other parts:
parent − other children, school year − other term, all programmes − other
programmes, everyone − other groups) and solves all of those sums together
(``studievag.disclosure.audit``): the hidden figures it can determine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from studievag.disclosure import TOTAL
from studievag.disclosure.audit import determined
from studievag.quality.indicators import available
from studievag.quality.linked import Node, ScopeTree
from studievag.quality.periods import Period, school_year_of


@dataclass
class Seen:
    """Every figure one person saw, per indicator: key -> (hidden, numerator, base)."""

    tree: ScopeTree
    figures: dict[str, dict[tuple, tuple[bool, float, int]]] = field(default_factory=dict)
    openable_terms: set[str] = field(default_factory=set)
    clashes: list = field(default_factory=list)  # the same figure shown on one page, hidden on another

    def add(self, indicator: str, key: tuple, hidden: bool, numerator: float, base: int) -> None:
        book = self.figures.setdefault(indicator, {})
        if key in book and book[key][0] != hidden:
            self.clashes.append((indicator, key, book[key][0], hidden))
        book[key] = (book.get(key, (False,))[0] or hidden, numerator, base)


def canonical(period: Period, node: Node, programme: str, breakdown: dict[str, str]) -> tuple | None:
    groups = {v: g for v, g in breakdown.items() if g != TOTAL}
    if programme:
        if groups.get("programme", programme) != programme:
            return None  # another programme's row under a programme filter: nobody, not a figure
        groups["programme"] = programme
    return (period.code, node, frozenset(groups.items()))


def collect(
    seen: Seen,
    open_page: Callable[[Node, Period, str, tuple[str, ...]], dict],
    nodes: Iterable[Node],
    periods: Iterable[Period],
    programmes: Iterable[str],
    breakdowns: Iterable[tuple[str, ...]],
) -> None:
    """Open every page and write down what it shows."""
    for period in periods:
        if period.kind != "sy":
            seen.openable_terms.add(period.code)
        for dims in breakdowns:
            for programme in programmes:
                for node in nodes:
                    for indicator_id, table in open_page(node, period, programme, dims).items():
                        for i, (rk, _rl) in enumerate(table.rows):
                            for j, (ck, _cl) in enumerate(table.cols):
                                key = canonical(period, node, programme, dict(zip(dims, (rk, ck), strict=False)))
                                if key is None:
                                    continue
                                f = table.cells[i][j]
                                if f.missing:
                                    continue
                                seen.add(indicator_id, key, f.hidden, f.numerator or 0, f.base or 0)


def relations(seen: Seen, indicator: str) -> list[tuple[tuple, list[tuple]]]:
    """Every sum the person can write down between figures they saw: (total, parts)."""
    book = seen.figures.get(indicator, {})
    members: dict[str, set[str]] = {}
    for _p, _n, groups in book:
        for v, g in groups:
            members.setdefault(v, set()).add(g)
    result = []
    for key in book:
        p, node, groups = key
        used = dict(groups)
        # Everyone = the sum of the groups of one more variable (programme filters included).
        for v, all_groups in members.items():
            if v in used:
                continue
            parts = [(p, node, frozenset({**used, v: g}.items())) for g in sorted(all_groups)]
            if all(part in book for part in parts):
                result.append((key, parts))
        # A level = the sum of its children.
        children = seen.tree.children.get(node, [])
        parts = [(p, c, groups) for c in children]
        if children and all(part in book for part in parts):
            result.append((key, parts))
        # A school year = its terms. A term not begun yet is empty, except for a cohort
        # figure: a school year's cohort then holds the spring starters of the year before,
        # whom no page the person can open shows separately.
        if p.startswith("sy"):
            year = int(p[2:])
            terms = [t for t in (f"ht{year}", f"vt{year + 1}") if t in seen.openable_terms]
            parts = [(t, node, groups) for t in terms]
            complete = len(terms) == 2 or not available()[indicator].population.startswith("cohort")
            if terms and complete and all(part in book for part in parts):
                result.append((key, parts))
    return result


def attack(seen: Seen, indicator: str) -> tuple[set, set]:
    """(recovered by one subtraction, recovered by solving every sum together) for an indicator."""
    book = seen.figures.get(indicator, {})
    hidden = {k for k, (h, _n, _b) in book.items() if h}
    rels = relations(seen, indicator)
    by_subtraction = set()
    for total, parts in rels:
        unknown = [k for k in [total, *parts] if k in hidden]
        if len(unknown) == 1:
            by_subtraction.add(unknown[0])
    return by_subtraction, determined(rels, hidden)


def school_year(period: Period) -> Period:
    return school_year_of(period.start)
