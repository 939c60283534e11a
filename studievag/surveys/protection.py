"""The one door through which every survey figure is hidden or shown: ``studievag.disclosure``.

The survey does not decide on its own what may be shown. A wave's results
for one figure (a question, a theme, the number of respondents) form one
family of linked tables – the organiser's school units × one breakdown, with
the organiser as the units' total and every student as the breakdown's
total – and the disclosure area says which cells of it may be shown. Its
method is coarse to fine, so the units' totals and the organiser's figure
get the same pattern whichever breakdown a page asks for, and a unit's page
and the organiser's page never show two patterns of the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from studievag.disclosure import LEGEND, MISSING, NOTHING, SUPPRESSED, TOTAL, Dim, Kind, Thresholds, protect

__all__ = ["LEGEND", "MISSING", "NOTHING", "SUPPRESSED", "hide_grid"]


def hide_grid(bases: Sequence[Sequence[int]], min_base: int) -> list[list[bool]]:
    """The hiding pattern of a grid with margins: rows are units (last: the organiser),
    columns the groups of a breakdown (last: every student). ``bases`` are the
    students each figure rests on; a base under ``min_base`` (but not 0) is hidden,
    and as many others as it takes so that none can be worked out."""
    R, C = len(bases), len(bases[0])
    dims = [Dim("unit", tuple(range(R - 1)))]
    if C > 1:
        dims.append(Dim("group", tuple(range(C - 1))))

    def key(i: int, j: int) -> tuple:
        unit = TOTAL if i == R - 1 else i
        if C == 1:
            return (unit,)
        return (unit, TOTAL if j == C - 1 else j)

    cells = {key(i, j): int(bases[i][j]) for i in range(R) for j in range(C)}
    protection = protect(dims, cells, Thresholds(min_count=min_base, min_base=min_base), Kind.SHARE)
    return [[protection.is_hidden(key(i, j)) for j in range(C)] for i in range(R)]
