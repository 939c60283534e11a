"""Suppression of small numbers, as in Swedish official statistics.

Symbols (SCB's and Skolverket's practice, seed 003 Bilaga 4):

* ``..`` – the figure rests on too few students to be shown;
* ``.``  – data is missing (not collected, or the follow-up window is not over);
* ``–``  – nothing to report (no students in the group; a share over no one).

Primary suppression hides a count under ``min_count`` (but not 0) and a share
or rate whose base is under ``min_base``. Complementary suppression then hides
further cells so that no hidden cell can be worked out from what is shown.

A table is the grid of interior cells plus its margins (row totals, column
totals, grand total). Every *line* – a row with its total, a column with its
total, the row of column totals with the grand total, the column of row totals
with the grand total – is a sum constraint. Two rules make a pattern safe:

1. no line holds exactly one hidden cell (else: subtract the shown cells from
   the shown total);
2. no hidden cell is a *bridge* in the graph whose nodes are the lines and
   whose edges are the hidden cells (rows × columns of the extended grid).
   In a two-way table with margins a hidden cell's value is determined by the
   shown ones exactly when it is such a bridge, so a pattern without bridges
   leaves every hidden cell with at least one degree of freedom.

:func:`protect` applies both rules, hiding the smallest shown cell of the
offending line (interior cells before margins, non-zero before zero) and
iterating over rows and columns until nothing changes. The module knows
nothing of Django so it can be tested on its own (see ``tests/test_suppression.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

SUPPRESSED = ".."
MISSING = "."
NOTHING = "–"


@dataclass(frozen=True)
class Thresholds:
    """Primary-suppression limits; a deployment or an organiser can raise them."""

    min_count: int = 5  # a count of 1..min_count-1 is hidden
    min_base: int = 10  # a share whose base is under this is hidden

    def hides_count(self, n: int) -> bool:
        return 0 < n < self.min_count

    def hides_base(self, base: int) -> bool:
        # A group with no students at all has nothing to hide: it is shown as "–".
        return 0 < base < self.min_base

    @classmethod
    def strictest(cls, many: Sequence[Thresholds]) -> Thresholds:
        """For a report across several organisers: the highest limit of each kind."""
        if not many:
            return cls()
        return cls(min_count=max(t.min_count for t in many), min_base=max(t.min_base for t in many))


Cell = tuple[int, int]


@dataclass
class Grid:
    """A table with margins: ``values[i][j]`` for i ≤ R, j ≤ C; row R and column C are totals."""

    values: list[list[int]]
    hidden: list[list[bool]]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0])


def with_margins(interior: Sequence[Sequence[int]]) -> list[list[int]]:
    """The interior grid plus a total column, a total row and the grand total."""
    rows = [list(r) + [sum(r)] for r in interior]
    totals = [sum(col) for col in zip(*rows, strict=True)]
    return rows + [totals]


def _lines(n_rows: int, n_cols: int) -> list[list[Cell]]:
    rows = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    cols = [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    return rows + cols


def _rank(cell: Cell, values, n_rows: int, n_cols: int) -> tuple:
    i, j = cell
    is_margin = i == n_rows - 1 or j == n_cols - 1
    v = values[i][j]
    return (is_margin, v == 0, v, i, j)


def _smallest_shown(cells, values, hidden, n_rows, n_cols) -> Cell | None:
    shown = [c for c in cells if not hidden[c[0]][c[1]]]
    if not shown:
        return None
    return min(shown, key=lambda c: _rank(c, values, n_rows, n_cols))


def bridges(hidden: Sequence[Sequence[bool]]) -> list[Cell]:
    """Hidden cells whose value follows from the shown ones (see module docstring)."""
    n_rows, n_cols = len(hidden), len(hidden[0])
    edges = [(i, j) for i in range(n_rows) for j in range(n_cols) if hidden[i][j]]
    result = []
    for edge in edges:
        # Is column-node j still reachable from row-node i without this edge?
        adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for i, j in edges:
            if (i, j) == edge:
                continue
            adjacency.setdefault(("r", i), []).append(("c", j))
            adjacency.setdefault(("c", j), []).append(("r", i))
        start, goal = ("r", edge[0]), ("c", edge[1])
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for nxt in adjacency.get(node, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        if goal not in seen:
            result.append(edge)
    return result


def protect(values: Sequence[Sequence[int]], primary: Sequence[Sequence[bool]]) -> list[list[bool]]:
    """Complementary suppression of a grid *with margins* (last row and column are totals).

    ``primary`` marks the cells that must be hidden; the result also hides
    enough others that no hidden cell can be recovered from shown cells.
    """
    n_rows, n_cols = len(values), len(values[0])
    hidden = [list(row) for row in primary]
    lines = _lines(n_rows, n_cols)
    all_cells = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    while True:
        changed = False
        for line in lines:
            if sum(hidden[i][j] for i, j in line) == 1:
                pick = _smallest_shown(line, values, hidden, n_rows, n_cols)
                if pick is not None:
                    hidden[pick[0]][pick[1]] = True
                    changed = True
        if changed:
            continue
        found = bridges(hidden)
        if not found:
            return hidden
        i, j = found[0]
        row, col = lines[i], lines[n_rows + j]
        pick = _smallest_shown(row + col, values, hidden, n_rows, n_cols) or _smallest_shown(
            all_cells, values, hidden, n_rows, n_cols
        )
        if pick is None:  # everything hidden: nothing more can be done (or is needed)
            return hidden
        hidden[pick[0]][pick[1]] = True


def protect_line(values: Sequence[int], primary: Sequence[bool]) -> list[bool]:
    """A one-way table: cells and their total (the last value) form one line."""
    hidden = list(primary)
    if sum(hidden) == 1:
        shown = [k for k, h in enumerate(hidden) if not h]
        last = len(values) - 1
        pick = min(shown, key=lambda k: (k == last, values[k] == 0, values[k], k))
        hidden[pick] = True
    return hidden


def suppress_counts(
    interior: Sequence[Sequence[int]], thresholds: Thresholds
) -> tuple[list[list[int]], list[list[bool]]]:
    """Counts in a two-way table: margins added, small counts and their complements hidden."""
    grid = with_margins(interior)
    primary = [[thresholds.hides_count(v) for v in row] for row in grid]
    return grid, protect(grid, primary)


def suppress_by_base(
    bases: Sequence[Sequence[int]],
    thresholds: Thresholds,
    extra_primary: Callable[[int, int], bool] | None = None,
) -> list[list[bool]]:
    """The hiding pattern for shares over a two-way table of bases (with margins).

    The numerators are sums over the same cells, so a pattern that protects
    the bases protects the numerators too.
    """
    primary = [
        [thresholds.hides_base(v) or bool(extra_primary and extra_primary(i, j)) for j, v in enumerate(row)]
        for i, row in enumerate(bases)
    ]
    return protect(bases, primary)


def shown(value: str, hidden: bool) -> str:
    return SUPPRESSED if hidden else value
