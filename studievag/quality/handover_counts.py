"""Handovers per receiving organiser and status, for the regional coordinator: counts only.

The counts go through the one door for group figures (:mod:`studievag.disclosure`):
the organisers of the region and the statuses are the two dimensions of one family,
with the region's total and the all-status total, so a small count is hidden with
enough others that none can be worked out from what is shown. The overdue counts per
organiser are a second family (one dimension). The coordinator never sees a
handover's content or a student's name.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone

from studievag.access.decorators import require_action
from studievag.disclosure import TOTAL, Dim, Kind, figure, protect, with_totals
from studievag.handover.models import Status
from studievag.handover.selectors import coordinator_regions, counts_by_organiser
from studievag.organisations.models import SchoolUnit

from .selectors import thresholds_for

COLUMNS = [Status.SENT, Status.RECEIVED, Status.MEETING_HELD, Status.CLOSED]


@dataclass(frozen=True)
class CountsTable:
    columns: list
    rows: list  # (organiser name, [cell text …], total text, overdue text)
    totals: list
    grand_total: str
    overdue_total: str


def counts_table(region_ids, day) -> CountsTable:
    raw = counts_by_organiser(region_ids, day)
    labels = [Status(s).label for s in COLUMNS]
    if not raw:
        return CountsTable(labels, [], [], "–", "–")
    units = list(SchoolUnit.objects.filter(organiser__region_id__in=region_ids).values_list("pk", flat=True))
    thresholds = thresholds_for(units)
    organisers = tuple(r.organiser.pk for r in raw)

    dims = [Dim("organiser", organisers), Dim("status", tuple(str(s) for s in COLUMNS))]
    counts = with_totals(
        dims,
        {(r.organiser.pk, str(s)): r.by_status.get(s, 0) for r in raw for s in COLUMNS},
        additive=["organiser", "status"],
    )
    hidden = protect(dims, counts, thresholds, Kind.COUNT)

    late_dims = [Dim("organiser", organisers)]
    late = with_totals(late_dims, {(r.organiser.pk,): r.overdue for r in raw}, additive=["organiser"])
    late_hidden = protect(late_dims, late, thresholds, Kind.COUNT)

    def text(protection, values, key) -> str:
        return figure(Kind.COUNT, numerator=values.get(key, 0), hidden=protection.is_hidden(key)).text

    rows = [
        (
            r.organiser.name,
            [text(hidden, counts, (r.organiser.pk, str(s))) for s in COLUMNS],
            text(hidden, counts, (r.organiser.pk, TOTAL)),
            text(late_hidden, late, (r.organiser.pk,)),
        )
        for r in raw
    ]
    return CountsTable(
        columns=labels,
        rows=rows,
        totals=[text(hidden, counts, (TOTAL, str(s))) for s in COLUMNS],
        grand_total=text(hidden, counts, (TOTAL, TOTAL)),
        overdue_total=text(late_hidden, late, (TOTAL,)),
    )


@require_action("handover.region")
def handovers(request):
    table = counts_table(coordinator_regions(request.user), timezone.localdate())
    return render(request, "quality/handover_counts.html", {"table": table})
