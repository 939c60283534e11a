"""Reads of the progression scales."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q

from .models import ProgressionScale, ProgressionStep


class ScaleBook:
    """The scales that apply to a set of organisers, loaded in two queries."""

    def __init__(self, organiser_ids: Iterable[int | None]):
        ids = {i for i in organiser_ids if i is not None}
        self.scales = list(
            ProgressionScale.objects.filter(Q(organiser__isnull=True) | Q(organiser_id__in=ids)).prefetch_related(
                Prefetch("steps", queryset=ProgressionStep.objects.order_by("position"))
            )
        )
        self._by_code: dict[tuple[int | None, str], ProgressionScale] = {}
        self._generic: dict[int | None, ProgressionScale] = {}
        # Ordered so that a later (more recently made) scale never silently replaces an earlier one.
        for scale in sorted(self.scales, key=lambda s: s.pk):
            for code in scale.subject_codes:
                self._by_code.setdefault((scale.organiser_id, code), scale)
            if scale.is_generic:
                self._generic.setdefault(scale.organiser_id, scale)

    def for_subject(self, organiser_id: int | None, subject_code: str) -> ProgressionScale | None:
        """The organiser's own scale for the subject, else the shipped one, else the generic."""
        return (
            self._by_code.get((organiser_id, subject_code))
            or self._by_code.get((None, subject_code))
            or self._generic.get(organiser_id)
            or self._generic.get(None)
        )

    def step(self, step_id: int) -> ProgressionStep | None:
        for scale in self.scales:
            for step in scale.steps.all():
                if step.pk == step_id:
                    return step
        return None
