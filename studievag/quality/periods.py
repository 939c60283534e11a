"""Reporting periods: terms (VT spring, HT autumn) and school years.

A spring term (vårtermin) is counted 1 January – 31 July and an autumn term
(hösttermin) 1 August – 31 December, so the two terms of a school year cover
it without gaps; the school year runs 1 August – 31 July.
Codes in URLs: ``ht2025``, ``vt2026``, ``sy2025`` (school year 2025/26).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

_CODE = re.compile(r"^(ht|vt|sy)(\d{4})$")


@dataclass(frozen=True)
class Period:
    kind: str  # "ht", "vt" or "sy"
    year: int

    @property
    def code(self) -> str:
        return f"{self.kind}{self.year}"

    @property
    def start(self) -> datetime.date:
        if self.kind == "vt":
            return datetime.date(self.year, 1, 1)
        return datetime.date(self.year, 8, 1)

    @property
    def end(self) -> datetime.date:
        if self.kind == "vt":
            return datetime.date(self.year, 7, 31)
        if self.kind == "ht":
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year + 1, 7, 31)

    @property
    def label(self) -> str:
        if self.kind == "ht":
            return str(_("Autumn %(year)s") % {"year": self.year})
        if self.kind == "vt":
            return str(_("Spring %(year)s") % {"year": self.year})
        return str(_("School year %(start)s/%(end)s") % {"start": self.year, "end": str(self.year + 1)[2:]})

    def shifted(self, years: int) -> Period:
        return Period(self.kind, self.year + years)

    def previous_term(self) -> Period:
        if self.kind == "ht":
            return Period("vt", self.year)
        if self.kind == "vt":
            return Period("ht", self.year - 1)
        return Period("sy", self.year - 1)

    def __str__(self) -> str:
        return self.label


def parse(code: str) -> Period | None:
    match = _CODE.match((code or "").strip().lower())
    if not match:
        return None
    year = int(match.group(2))
    if not 1990 <= year <= 2100:
        return None
    return Period(match.group(1), year)


def term_of(day: datetime.date) -> Period:
    return Period("ht" if day.month >= 8 else "vt", day.year)


def school_year_of(day: datetime.date) -> Period:
    return Period("sy", day.year if day.month >= 8 else day.year - 1)


def recent_terms(day: datetime.date, count: int = 6) -> list[Period]:
    """The term containing ``day`` and the ``count - 1`` before it, oldest first."""
    terms = [term_of(day)]
    while len(terms) < count:
        terms.append(terms[-1].previous_term())
    return list(reversed(terms))


TREND_POINTS = 6


def trend_of(period: Period, count: int = TREND_POINTS) -> list[Period]:
    """``period`` and the ``count - 1`` periods of the same kind before it, oldest first
    (a report's trend over terms, or over school years)."""
    result = [period]
    while len(result) < count:
        result.append(result[-1].previous_term())
    return list(reversed(result))


def choices(day: datetime.date, years: int = 5) -> list[tuple[str, str]]:
    """Terms and school years of the last ``years`` years, newest first."""
    result = []
    term = term_of(day)
    for _i in range(years * 2):
        result.append((term.code, term.label))
        term = term.previous_term()
    year = school_year_of(day)
    for _i in range(years):
        result.append((year.code, year.label))
        year = year.previous_term()
    return result
