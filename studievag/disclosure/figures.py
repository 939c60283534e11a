"""A figure as a person sees it: the text in a cell of a page or an export."""

from __future__ import annotations

from dataclasses import dataclass

from .symbols import MISSING, NOTHING, SUPPRESSED
from .thresholds import Kind


@dataclass
class Figure:
    text: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    base: int | None = None
    hidden: bool = False
    missing: bool = False

    @property
    def chart_value(self) -> float | None:
        return None if self.hidden or self.missing else self.value


def figure(kind: str, *, numerator: float, denominator: float = 0, base: int = 0, hidden: bool) -> Figure:
    """The shown form of one cell: ``..`` when hidden, ``–`` for a share over no one, else the number.

    Shares and rates are whole per cent, as Skolverket publishes them.
    """
    if hidden:
        return Figure(SUPPRESSED, hidden=True)
    if kind == Kind.COUNT:
        return Figure(f"{int(numerator)}", value=numerator, numerator=numerator, base=base)
    if not denominator:
        return Figure(NOTHING, base=0)
    value = 100.0 * numerator / denominator
    return Figure(f"{value:.0f}", value=round(value, 1), numerator=numerator, denominator=denominator, base=base)


def missing() -> Figure:
    """Data that is not collected (yet): ``.``."""
    return Figure(MISSING, missing=True)
