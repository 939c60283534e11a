"""The organisation overview: current students per school unit and programme, counts only."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from studievag.access.models import Role
from studievag.access.policy import grants_for
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import CURRENT_PROGRAMMES, SchoolUnit

from . import suppression

# A count under this is shown as ".." (Swedish official statistics practice).
# Each unit's row (counts per programme and the row total) is protected with
# the quality area's complementary suppression; there are no column totals,
# so rows are independent lines.
MIN_COUNT = 5


def units_in_overview_scope(user) -> QuerySet[SchoolUnit]:
    grants = grants_for(user)
    organisers = grants.scoped(Role.ORGANISER_ANALYST, "organiser")
    regions = grants.scoped(Role.REGIONAL_COORDINATOR, "region")
    return (
        SchoolUnit.objects.filter(school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
        .filter(Q(organiser_id__in=organisers) | Q(organiser__region_id__in=regions))
        .select_related("organiser")
        .order_by("organiser__name", "name")
    )


@dataclass
class UnitCounts:
    unit: SchoolUnit
    cells: list[str]
    total: str


def _shown_line(numbers: list[int]) -> list[str]:
    """The cells and the row total, with small counts and their complements hidden."""
    values = numbers + [sum(numbers)]
    limits = suppression.Thresholds(min_count=MIN_COUNT)
    hidden = suppression.protect_line(values, [limits.hides_count(v) for v in values])
    return [suppression.SUPPRESSED if h else str(v) for v, h in zip(values, hidden, strict=True)]


def current_student_counts(user) -> list[UnitCounts]:
    """Current students per school unit and programme, small counts suppressed."""
    units = list(units_in_overview_scope(user))
    today = timezone.localdate()
    rows = (
        Enrolment.objects.active_on(today)
        .filter(school_unit__in=units)
        .values("school_unit_id", "programme__code")
        .annotate(n=Count("student_id", distinct=True))
    )
    counts: dict[tuple[int, str], int] = {(r["school_unit_id"], r["programme__code"]): r["n"] for r in rows}
    result = []
    for unit in units:
        numbers = [counts.get((unit.pk, code), 0) for code in CURRENT_PROGRAMMES]
        *cells, total = _shown_line(numbers)
        result.append(UnitCounts(unit=unit, cells=cells, total=total))
    return result
