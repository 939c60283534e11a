"""Reading the catalogue: what a plan may choose, search by name or code, and a typed choice back
to its row.

The catalogue is reference data (no personal data), so nothing here asks the
access engine; the pages that use it do. Matching is done in Python over the
candidate rows (a couple of thousand short names), so that "årskurs" finds
"Årskurs 7–9" on SQLite as on PostgreSQL.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Course, CourseKind, Grading, SchoolType

# Compulsory school first (what most IM students read), then upper secondary, then the rest.
SCHOOL_TYPE_ORDER: dict[str, int] = {
    SchoolType.GR: 0,
    SchoolType.GY: 1,
    SchoolType.LOCAL: 2,
    SchoolType.VUXGR: 3,
    SchoolType.GRS: 4,
    SchoolType.GYS: 5,
    SchoolType.GRSAM: 6,
    SchoolType.GRSPEC: 7,
}


def choosable(*, grading: Grading, organiser_ids: Iterable[int]) -> QuerySet[Course]:
    """The rows a plan may choose: compulsory-school subjects, upper-secondary courses or
    levels by ``grading``, and the local courses of ``organiser_ids``."""
    kinds = [CourseKind.STAGE]
    if grading in (Grading.COURSES, Grading.BOTH):
        kinds.append(CourseKind.COURSE)
    if grading in (Grading.LEVELS, Grading.BOTH):
        kinds.append(CourseKind.LEVEL)
    return Course.objects.filter(
        Q(kind__in=kinds, organiser__isnull=True) | Q(kind=CourseKind.LOCAL, organiser_id__in=list(organiser_ids))
    ).select_related("subject")


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("–", "-").split())


@dataclass(frozen=True)
class Hit:
    pk: int
    label: str  # the name people read
    code: str  # the code shown beside it
    what: str  # course, subject level, compulsory school …
    choice: str  # the text the field takes


def _rank(course: Course, words: list[str], query: str) -> tuple | None:
    label, code = _fold(course.label), course.shown_code.casefold()
    haystack = f"{label} {_fold(course.subject.name)} {code} {course.code.casefold()}"
    if not all(w in haystack for w in words):
        return None
    exact_code = query in (code, course.code.casefold())
    return (
        not exact_code,
        not label.startswith(query),
        SCHOOL_TYPE_ORDER.get(course.school_type, 9),
        # A compulsory-school subject's last stage (årskurs 7–9, what an introduction
        # programme reads) before the earlier ones.
        -course.sort_order if course.kind == CourseKind.STAGE else 0,
        label,
        course.sort_order,
    )


def search(query: str, candidates: QuerySet[Course], *, limit: int = 20) -> list[Hit]:
    """Rows whose name, subject or code hold every word of ``query``: an exact code first,
    then names that start with the query, compulsory school before upper secondary."""
    query = _fold(query)
    if not query:
        return []
    words = query.split()
    ranked = []
    for course in candidates:
        rank = _rank(course, words, query)
        if rank is not None:
            ranked.append((rank, course))
    ranked.sort(key=lambda pair: pair[0])
    return [Hit(c.pk, c.label, c.shown_code, c.what, c.choice_label) for _rank_, c in ranked[:limit]]


class Unresolved(Exception):
    """The typed text names no row, or several; ``matches`` holds up to five of them."""

    def __init__(self, matches: list[Course]):
        super().__init__()
        self.matches = matches


def resolve(text: str, candidates: Iterable[Course], *, prefer: Callable[[Course], bool] | None = None) -> Course:
    """The row a typed choice names: the picker's own text ("Matematik nivå 1a (MATMAT01a,
    ämnesnivå)"), a code, or a name. Several rows for a name or code: those ``prefer`` likes
    (the kind the student reads), then the school type that comes first (compulsory school
    before the Sami and special schools), when that leaves one."""
    folded = _fold(text)
    rows = list(candidates)
    for test in (
        lambda c: _fold(c.choice_label) == folded,
        lambda c: folded in (c.shown_code.casefold(), c.code.casefold()),
        lambda c: _fold(c.label) == folded,
        lambda c: _fold(f"{c.label} ({c.shown_code})") == folded,
    ):
        found = [c for c in rows if test(c)]
        if len(found) > 1 and prefer is not None:
            found = [c for c in found if prefer(c)] or found
        if len(found) > 1:
            best = min(SCHOOL_TYPE_ORDER.get(c.school_type, 9) for c in found)
            first = [c for c in found if SCHOOL_TYPE_ORDER.get(c.school_type, 9) == best]
            if len(first) == 1:
                return first[0]
            raise Unresolved(found[:5])
        if found:
            return found[0]
    raise Unresolved([])
