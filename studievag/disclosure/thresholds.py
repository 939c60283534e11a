"""Primary-suppression limits: which figures rest on too few students to be shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class Kind:
    """What a figure is; it decides which number the primary limit is applied to."""

    COUNT = "count"  # a number of students: hidden when the count itself is small
    SHARE = "share"  # students meeting a condition / students in the base: hidden by the base
    RATE = "rate"  # a sum over a sum (minutes attended / scheduled): hidden by the students it rests on


@dataclass(frozen=True)
class Thresholds:
    """The limits of a deployment or an organiser (who may raise, never lower, them).

    Skolverket hides a share according to the number of students it rests on
    (those with known data for the variable), not according to the numerator;
    a count is hidden when it is itself small. Zero is shown: an empty group
    identifies no one.
    """

    min_count: int = 5  # a count of 1..min_count-1 is hidden
    min_base: int = 10  # a share or rate resting on 1..min_base-1 students is hidden

    def hides_count(self, n: int) -> bool:
        return 0 < n < self.min_count

    def hides_base(self, base: int) -> bool:
        # A group with no students at all has nothing to hide: it is shown as "–".
        return 0 < base < self.min_base

    def hides(self, kind: str, base: int) -> bool:
        """Primary suppression of a figure of ``kind`` resting on ``base`` (the count itself for a count)."""
        return self.hides_count(base) if kind == Kind.COUNT else self.hides_base(base)

    @classmethod
    def strictest(cls, many: Iterable[Thresholds]) -> Thresholds:
        """For figures across several organisers: the highest limit of each kind."""
        many = list(many)
        if not many:
            return cls()
        return cls(min_count=max(t.min_count for t in many), min_base=max(t.min_base for t in many))
