"""Handovers per receiving organiser and status, for the regional coordinator: counts only.

The counts go through the same protection as every group figure: a small count is
hidden, and so are enough other cells that no hidden one can be worked out from the
row and column totals (see :mod:`.suppression`). The coordinator never sees a
handover's content or a student's name.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone

from studievag.access.decorators import require_action
from studievag.handover.models import Status
from studievag.handover.selectors import coordinator_regions, counts_by_organiser
from studievag.organisations.models import SchoolUnit

from .selectors import thresholds_for
from .suppression import protect_line, shown, suppress_counts

COLUMNS = [Status.SENT, Status.RECEIVED, Status.MEETING_HELD, Status.CLOSED]


@dataclass(frozen=True)
class CountsTable:
    columns: list
    rows: list  # (organiser name, [cell …], total, overdue)
    totals: list
    grand_total: str
    overdue_total: str


def counts_table(region_ids, day) -> CountsTable:
    raw = counts_by_organiser(region_ids, day)
    units = list(SchoolUnit.objects.filter(organiser__region_id__in=region_ids).values_list("pk", flat=True))
    thresholds = thresholds_for(units)
    interior = [[r.by_status.get(s, 0) for s in COLUMNS] for r in raw]
    if not interior:
        return CountsTable([Status(s).label for s in COLUMNS], [], [], "–", "–")
    grid, hidden = suppress_counts(interior, thresholds)
    late = [r.overdue for r in raw] + [sum(r.overdue for r in raw)]
    late_hidden = protect_line(late, [thresholds.hides_count(v) for v in late])
    rows = []
    for i, r in enumerate(raw):
        cells = [shown(str(grid[i][j]), hidden[i][j]) for j in range(len(COLUMNS))]
        rows.append(
            (r.organiser.name, cells, shown(str(grid[i][-1]), hidden[i][-1]), shown(str(late[i]), late_hidden[i]))
        )
    last = len(raw)
    totals = [shown(str(grid[last][j]), hidden[last][j]) for j in range(len(COLUMNS))]
    return CountsTable(
        columns=[Status(s).label for s in COLUMNS],
        rows=rows,
        totals=totals,
        grand_total=shown(str(grid[last][-1]), hidden[last][-1]),
        overdue_total=shown(str(late[-1]), late_hidden[-1]),
    )


@require_action("handover.region")
def handovers(request):
    table = counts_table(coordinator_regions(request.user), timezone.localdate())
    return render(request, "quality/handover_counts.html", {"table": table})
