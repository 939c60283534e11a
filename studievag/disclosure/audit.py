"""An attacker's view of a family of linked tables: which hidden cells follow from the shown ones.

Independent of how :func:`studievag.disclosure.linked.protect` chose its
pattern: the unknowns are the hidden cells, the equations are every line of
every cube of the family (a total equals the sum of its line); a hidden cell
can be worked out exactly when its unit vector lies in the row space of those
equations restricted to the hidden cells — whatever combination of reports,
subtractions and additions an analyst tries. Gaussian elimination over a
prime field (p = 2^61 − 1) on sparse rows; the equations have coefficients
±1, so the rank there is the rank over the rationals unless p divides a
minor, which for tables of this size it cannot in practice.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from .linked import Dim, Family, Key

P = (1 << 61) - 1


def equations(family: Family, hidden: Iterable[Key]) -> list[dict[Key, int]]:
    """Every line that holds a hidden cell, restricted to its hidden cells (total +1, parts −1)."""
    hidden = set(hidden)
    lines: set[tuple[Key, int]] = set()
    for key in hidden:
        lines.update(family.lines_through(key))
        lines.update(family.lines_below(key))
    result = []
    for total, k in lines:
        parts = family.line(total, k)
        if parts is None:
            continue
        row: dict[Key, int] = {}
        if total in hidden:
            row[total] = 1
        for part in parts:
            if part in hidden:
                row[part] = (row.get(part, 0) - 1) % P
        row = {c: v for c, v in row.items() if v}
        if row:
            result.append(row)
    return result


def recoverable(dims: Sequence[Dim] | Family, hidden: Iterable[Key]) -> set[Key]:
    """The hidden cells whose value follows exactly from the shown cells of the family."""
    family = dims if isinstance(dims, Family) else Family(dims)
    hidden = set(hidden)
    return _solve(equations(family, hidden), hidden)


def determined(sums: Iterable[tuple[Hashable, Sequence[Hashable]]], hidden: Iterable[Hashable]) -> set:
    """The same attacker over sums written down by hand: ``(total, parts)`` with any keys.

    For figures collected from pages rather than from one family (see the
    quality area's attack test).
    """
    hidden = set(hidden)
    rows = []
    for total, parts in sums:
        row: dict = {}
        if total in hidden:
            row[total] = 1
        for part in parts:
            if part in hidden:
                row[part] = (row.get(part, 0) - 1) % P
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
    return _solve(rows, hidden)


def _solve(rows: list[dict], hidden: set) -> set:
    """Hidden unknowns whose value the equations fix: reduced row echelon form over GF(p)."""
    order = {c: k for k, c in enumerate(sorted(hidden, key=repr))}
    pivots: dict[Key, dict[Key, int]] = {}  # pivot column -> reduced row
    for row in rows:
        row = dict(row)
        # Reduce against the existing pivots until the row is empty or has a new pivot.
        while row:
            lead = min(row, key=lambda c: order[c])
            if lead not in pivots:
                break
            f = row[lead]
            for c, v in pivots[lead].items():
                nv = (row.get(c, 0) - f * v) % P
                if nv:
                    row[c] = nv
                else:
                    row.pop(c, None)
        if not row:
            continue
        lead = min(row, key=lambda c: order[c])
        inv = pow(row[lead], P - 2, P)
        row = {c: (v * inv) % P for c, v in row.items()}
        pivots[lead] = row
    # Back-substitute to the reduced row echelon form: clear each pivot from the other rows.
    for lead in sorted(pivots, key=lambda c: order[c], reverse=True):
        prow = pivots[lead]
        for other, orow in pivots.items():
            if other == lead or lead not in orow:
                continue
            f = orow[lead]
            for c, v in prow.items():
                nv = (orow.get(c, 0) - f * v) % P
                if nv:
                    orow[c] = nv
                else:
                    orow.pop(c, None)
    # A pivot cell is determined when its row names no free cell.
    return {lead for lead, row in pivots.items() if all(c == lead or c in pivots for c in row)}
