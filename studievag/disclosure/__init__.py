"""Disclosure control for group-level figures: the one door every count and share goes through.

Low-level and domain-free: it works on dimensions, cells and counts given to
it, with the limits passed in, and imports no other area. See README.md.
"""

from .figures import Figure, figure, missing
from .linked import TOTAL, Dim, Family, Protection, protect, with_totals
from .symbols import LEGEND, MISSING, NOTHING, SUPPRESSED
from .thresholds import Kind, Thresholds

__all__ = [
    "LEGEND",
    "MISSING",
    "NOTHING",
    "SUPPRESSED",
    "TOTAL",
    "Dim",
    "Family",
    "Figure",
    "Kind",
    "Protection",
    "Thresholds",
    "figure",
    "missing",
    "protect",
    "with_totals",
]
