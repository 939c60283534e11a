"""Plain rules of the survey: terms, thresholds, the coarse attributes and pooling.

Nothing here touches the database, so each rule is tested on its own.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The floor no organiser can go under: results for a group of fewer than five
# respondents are never shown (the limit Skolverket and SCB use for counts).
MIN_RESPONDENTS = 5
# Free-text answers say more about who wrote them than a tick on a scale does,
# so they need a larger group before anyone reads them.
MIN_FREE_TEXT = 10

UNKNOWN = "unknown"
_TERM = re.compile(r"^(ht|vt)(\d{4})$")


def validate_term(value: str) -> None:
    if not _TERM.match(value or ""):
        raise ValidationError(_("Choose a term."), code="term")


def term_of(day: datetime.date) -> str:
    return f"{'ht' if day.month >= 8 else 'vt'}{day.year}"


def term_start(term: str) -> datetime.date:
    kind, year = term[:2], int(term[2:])
    return datetime.date(year, 8, 1) if kind == "ht" else datetime.date(year, 1, 1)


def term_label(term: str) -> str:
    match = _TERM.match(term or "")
    if not match:
        return term
    if match.group(1) == "ht":
        return _("Autumn %(year)s") % {"year": match.group(2)}
    return _("Spring %(year)s") % {"year": match.group(2)}


def term_sort_key(term: str) -> tuple[int, int]:
    return int(term[2:]), 1 if term.startswith("ht") else 0


def terms_around(day: datetime.date, before: int = 2, after: int = 2) -> list[str]:
    """The term of ``day`` with some terms before and after it, in order."""
    kind, year = term_of(day)[:2], day.year
    out = [f"{kind}{year}"]
    k, y = kind, year
    for _i in range(before):
        k, y = ("vt", y) if k == "ht" else ("ht", y - 1)
        out.insert(0, f"{k}{y}")
    k, y = kind, year
    for _i in range(after):
        k, y = ("ht", y) if k == "vt" else ("vt", y + 1)
        out.append(f"{k}{y}")
    return out


# --- The coarse attributes an answer carries ---------------------------------------------
# The same group keys as the quality reports' breakdowns, so part 3 can be
# broken down like every other part.


def time_in_sweden_band(country_of_birth: str, arrived: datetime.date | None, on: datetime.date) -> str:
    """Years since arrival in Sweden, counted at the start of the wave's term."""
    if country_of_birth == "SE":
        return "born_in_sweden"
    if arrived is None:
        return UNKNOWN
    years = on.year - arrived.year - ((on.month, on.day) < (arrived.month, arrived.day))
    if years < 1:
        return "lt1"
    if years < 2:
        return "1to2"
    if years < 4:
        return "2to4"
    return "4plus"


def age_band(date_of_birth: datetime.date, year: int) -> str:
    """Age in the calendar year of the wave, in the bands of the quality reports."""
    age = year - date_of_birth.year
    if age <= 16:
        return "le16"
    if age <= 18:
        return str(age)
    return "19plus"


ATTRIBUTES = ("programme", "gender", "time_in_sweden", "age_band")
# Coarsening order: the finest detail goes first.
GENERALISATION = ("age_band", "time_in_sweden", "programme", "gender")


def generalise(attrs: dict[str, str], others: Sequence[dict[str, str]], k: int) -> dict[str, str]:
    """The attributes with as few details blanked as needed so that at least ``k`` of ``others``
    (the students of the school unit who have answered the wave, this one included) share them.

    Blanked attributes become ``unknown``. Without this, a combination only one
    student has (the one 19-year-old boy on a programme at a unit) would join an
    answer back to the student through the list of who has answered.
    """
    result = dict(attrs)
    dropped: list[str] = []
    for step in (None, *GENERALISATION):
        if step is not None:
            dropped.append(step)
            result[step] = UNKNOWN
        kept = [a for a in ATTRIBUTES if a not in dropped]
        same = sum(1 for o in others if all(o[a] == result[a] for a in kept))
        if same >= k:
            return result
    return result


# --- Pooling waves for a small unit ------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """Waves whose answers are reported together for one unit; ``pooled`` when more than one."""

    waves: tuple[int, ...]
    respondents: int

    @property
    def pooled(self) -> bool:
        return len(self.waves) > 1


def pool_blocks(counts: Iterable[tuple[int, int]], k: int) -> list[Block]:
    """Split a unit's waves (``(wave_id, respondents)``, oldest first) into reported blocks.

    A wave with at least ``k`` respondents is reported on its own. Consecutive
    waves below ``k`` are gathered until together they reach ``k`` and are then
    reported as one pooled block. Blocks never overlap and a wave is never both
    in a shown block of its own and in a pool, so no wave's figure can be
    worked out as the difference of two shown ones. Blocks are formed from the
    oldest wave forward, so a new wave never changes an earlier block; an
    unfinished pool at the end stays hidden.
    """
    blocks: list[Block] = []
    pending: list[int] = []
    total = 0
    for wave_id, n in counts:
        if not pending and n >= k:
            blocks.append(Block((wave_id,), n))
            continue
        if n == 0 and not pending:
            continue
        pending.append(wave_id)
        total += n
        if total >= k:
            blocks.append(Block(tuple(pending), total))
            pending, total = [], 0
    return blocks


def block_for(blocks: Sequence[Block], wave_id: int) -> Block | None:
    for block in blocks:
        if wave_id in block.waves:
            return block
    return None


def favourable_share(favourable: int, answered: int) -> float | None:
    return None if answered == 0 else 100.0 * favourable / answered
