"""The one door through which every survey figure is hidden or shown.

The survey does not decide on its own what may be shown: it hands each table
(interior cells plus margins) to the project's protection of group figures
and renders what that returns. Hidden cells are shown with its symbol.
"""

from __future__ import annotations

from collections.abc import Sequence

from studievag.quality import suppression as _protection  # until studievag.disclosure lands

SUPPRESSED = _protection.SUPPRESSED
MISSING = _protection.MISSING
NOTHING = _protection.NOTHING


def hide_grid(bases: Sequence[Sequence[int]], min_base: int) -> list[list[bool]]:
    """The hiding pattern of a table with margins (last row and column are totals) of bases.

    A base under ``min_base`` (but not 0) is hidden; then as many more as it
    takes so that no hidden base – and so no hidden share – follows from the
    shown ones. The margins are first made as hidden as their own one-way
    tables, so a breakdown never shows what the table without it hides.
    """
    t = _protection.Thresholds(min_count=min_base, min_base=min_base)
    R, C = len(bases), len(bases[0])
    primary = [[t.hides_base(v) for v in row] for row in bases]
    row_line = _protection.protect_line([r[-1] for r in bases], [r[-1] for r in primary])
    col_line = _protection.protect_line(list(bases[-1]), list(primary[-1]))
    for i in range(R):
        primary[i][-1] = primary[i][-1] or row_line[i]
    for j in range(C):
        primary[-1][j] = primary[-1][j] or col_line[j]
    if R == 1 or C == 1:
        return primary
    return _protection.protect([list(r) for r in bases], primary)
