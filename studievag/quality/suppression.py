"""Suppression for quality reports: the disclosure area's rules, under the names this area used first.

The protection itself lives in :mod:`studievag.disclosure` (one door for
every group figure). New code imports from there.
"""

from studievag.disclosure.grid import (  # noqa: F401
    Cell,
    Grid,
    bridges,
    protect,
    protect_line,
    suppress_by_base,
    suppress_counts,
    with_margins,
)
from studievag.disclosure.symbols import MISSING, NOTHING, SUPPRESSED  # noqa: F401
from studievag.disclosure.thresholds import Thresholds  # noqa: F401


def shown(value: str, hidden: bool) -> str:
    return SUPPRESSED if hidden else value
