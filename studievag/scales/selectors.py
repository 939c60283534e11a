"""Reads of the progression scales."""

from collections.abc import Iterable
from typing import Generic, TypeVar

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from studievag.kept_sql import kept_rows

from .models import ProgressionScale, ProgressionStep

T = TypeVar("T")


def _scales_for(organiser_ids: Iterable[int | None]) -> QuerySet[ProgressionScale]:
    """The shipped scales and the organisers' own."""
    ids = {i for i in organiser_ids if i is not None}
    return ProgressionScale.objects.filter(Q(organiser__isnull=True) | Q(organiser_id__in=ids))


class _Choice(Generic[T]):
    """Which scale applies to a subject at an organiser (the one rule for both books)."""

    def __init__(self, scales: Iterable[tuple[int, int | None, list[str], bool, T]]):
        self._by_code: dict[tuple[int | None, str], T] = {}
        self._generic: dict[int | None, T] = {}
        # Ordered so that a later (more recently made) scale never silently replaces an earlier one.
        for _pk, organiser_id, codes, generic, value in sorted(scales, key=lambda s: s[0]):
            for code in codes:
                self._by_code.setdefault((organiser_id, code), value)
            if generic:
                self._generic.setdefault(organiser_id, value)

    def for_subject(self, organiser_id: int | None, subject_code: str) -> T | None:
        """The organiser's own scale for the subject, else the shipped one, else the generic."""
        return (
            self._by_code.get((organiser_id, subject_code))
            or self._by_code.get((None, subject_code))
            or self._generic.get(organiser_id)
            or self._generic.get(None)
        )


class ScaleBook:
    """The scales that apply to a set of organisers, loaded in two queries."""

    def __init__(self, organiser_ids: Iterable[int | None]):
        self.scales = list(
            _scales_for(organiser_ids).prefetch_related(
                Prefetch("steps", queryset=ProgressionStep.objects.order_by("position"))
            )
        )
        self._choice = _Choice((s.pk, s.organiser_id, s.subject_codes, s.is_generic, s) for s in self.scales)

    def for_subject(self, organiser_id: int | None, subject_code: str) -> ProgressionScale | None:
        """The organiser's own scale for the subject, else the shipped one, else the generic."""
        return self._choice.for_subject(organiser_id, subject_code)

    def step(self, step_id: int) -> ProgressionStep | None:
        for scale in self.scales:
            for step in scale.steps.all():
                if step.pk == step_id:
                    return step
        return None


def _goal_rows(ids: list[int]) -> QuerySet:
    """The scales with their goal step's position; a scale without one leads to its last
    step (``goal_position``). Compiled once per number of organisers (``kept_sql``)."""
    goal = ProgressionStep.objects.filter(scale=OuterRef("pk")).order_by("-is_goal", "-position")
    return (
        _scales_for(ids)
        .annotate(goal=Subquery(goal.values("position")[:1]))
        .values_list("pk", "organiser_id", "subject_codes", "is_generic", "goal")
    )


class GoalBook:
    """The goal step's position on the scale that applies to a subject (the choice of
    :class:`ScaleBook`), from one query of plain rows: for pages that show only where
    each course is heading (the team overview)."""

    def __init__(self, organiser_ids: Iterable[int | None]):
        ids = sorted({i for i in organiser_ids if i is not None})
        rows = kept_rows(ProgressionScale, "scales.goal_book", _goal_rows, ids=ids)
        self._choice = _Choice(
            (pk, organiser_id, codes, generic, (pk, goal or 1)) for pk, organiser_id, codes, generic, goal in rows
        )

    def for_subject(self, organiser_id: int | None, subject_code: str) -> tuple[int, int] | None:
        """(scale id, goal position) of the scale that applies, or None when none does."""
        return self._choice.for_subject(organiser_id, subject_code)
