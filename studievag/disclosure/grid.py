"""One table on its own: complementary suppression of a two-way table with margins.

A table is the grid of interior cells plus its margins (row totals, column
totals, grand total). Every *line* – a row with its total, a column with its
total – is a sum constraint. Two rules make a pattern safe:

1. no line holds exactly one hidden cell (else: subtract the shown cells from
   the shown total);
2. no hidden cell is a *bridge* in the graph whose nodes are the lines and
   whose edges are the hidden cells. In a two-way table with margins a hidden
   cell's value is determined by the shown ones exactly when it is such a
   bridge.

This protects a table *by itself*. Figures that a person can also open at
another level, period or filter must go through :mod:`.linked` instead, which
protects the whole family at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .thresholds import Thresholds

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
