"""Reads: the waves a student may answer, and survey figures – always protected.

Every figure comes from :class:`~.models.Response` rows grouped by school
unit and one coarse attribute, in one ``GROUP BY`` query per wave, and passes
through :mod:`.protection` before it reaches a page, an export or the
quality reports. A figure is the share of favourable answers ("Mostly true"
or "Completely true") among those who answered the item with something
other than "Don't know"; its *base* is that number of students.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studievag.disclosure import Dim, Kind, Thresholds, protect
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Programme, SchoolUnit
from studievag.people.models import Student

from . import bank, rules
from .models import Participation, Response, Wave, WaveItem
from .protection import NOTHING, SUPPRESSED, hide_grid

TOTAL = "__total__"

# --- The student's side ------------------------------------------------------------------


def open_waves_for_student(student: Student, day: datetime.date | None = None) -> list[tuple[Wave, bool]]:
    """Open waves of organisers where the student is enrolled today, with whether they answered."""
    day = day or timezone.localdate()
    organiser_ids = (
        Enrolment.objects.active_on(day)
        .filter(student=student, school_unit__school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
        .values("school_unit__organiser_id")
    )
    waves = list(
        Wave.objects.filter(organiser_id__in=organiser_ids, opens_on__lte=day, closes_on__gte=day)
        .annotate(answered=Count("participations", filter=Q(participations__student=student)))
        .order_by("closes_on")
    )
    return [(w, bool(w.answered)) for w in waves]


def wave_for_student(student: Student, pk: int, day: datetime.date | None = None) -> tuple[Wave, bool]:
    """One open wave the student may answer, or ``Wave.DoesNotExist`` (shown as 404)."""
    for wave, answered in open_waves_for_student(student, day):
        if wave.pk == pk:
            return wave, answered
    raise Wave.DoesNotExist


# --- Breakdowns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    id: str
    label: Promise
    field: str
    key: object = None  # maps a stored value to the group key (None: the value itself)


def _background(value: str) -> str:
    if value == "born_in_sweden":
        return "sweden"
    return rules.UNKNOWN if value == rules.UNKNOWN else "abroad"


BREAKDOWNS = {
    "gender": Breakdown("gender", gettext_lazy("Gender"), "gender"),
    "background": Breakdown("background", gettext_lazy("Background"), "time_in_sweden", _background),
    "time_in_sweden": Breakdown("time_in_sweden", gettext_lazy("Time in Sweden"), "time_in_sweden"),
    "age_band": Breakdown("age_band", gettext_lazy("Age"), "age_band"),
    "programme": Breakdown("programme", gettext_lazy("Programme"), "programme"),
}
# The quality reports' dimensions that an answer carries (the rest are not copied onto answers).
QUALITY_DIMENSIONS = {
    "gender": "gender",
    "background": "background",
    "time_in_sweden": "time_in_sweden",
    "age_at_start": "age_band",
    "programme": "programme",
}


def group_labels(breakdown: str) -> list[tuple[str, str]]:
    unknown = (rules.UNKNOWN, _("Not known"))
    if breakdown == "gender":
        return [
            (Student.Gender.FEMALE, _("Female")),
            (Student.Gender.MALE, _("Male")),
            (Student.Gender.OTHER, _("Other")),
            unknown,
        ]
    if breakdown == "background":
        return [("sweden", _("Born in Sweden")), ("abroad", _("Born abroad")), unknown]
    if breakdown == "time_in_sweden":
        return [
            ("born_in_sweden", _("Born in Sweden")),
            ("lt1", _("Under 1 year")),
            ("1to2", _("1–2 years")),
            ("2to4", _("2–4 years")),
            ("4plus", _("4 years or more")),
            unknown,
        ]
    if breakdown == "age_band":
        return [("le16", _("16 or younger")), ("17", "17"), ("18", "18"), ("19plus", _("19 or older")), unknown]
    if breakdown == "programme":
        return [(p.code, p.code) for p in Programme.objects.filter(is_active=True).order_by("code")] + [unknown]
    return []


# --- Counting -----------------------------------------------------------------------------


@dataclass
class Counts:
    """Unsuppressed counts for one cell: respondents, and per ref / theme the answered and favourable."""

    respondents: int = 0
    answered: dict[str, int] = field(default_factory=dict)
    favourable: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        self.respondents += other.respondents
        for k, v in other.answered.items():
            self.answered[k] = self.answered.get(k, 0) + v
        for k, v in other.favourable.items():
            self.favourable[k] = self.favourable.get(k, 0) + v


def theme_key(theme: str) -> str:
    return f"theme:{theme}"


def count_responses(
    wave_ids, refs: list[str], *, unit_ids=None, group_field: str | None = None
) -> dict[tuple[int, str], Counts]:
    """One ``GROUP BY`` over the released answers: (school unit, group) → :class:`Counts`.

    Per scale ref: answered (any step, not "Don't know") and favourable; per
    theme: respondents who answered at least one of its items.
    """
    qs = Response.objects.filter(wave_id__in=list(wave_ids)).order_by()
    if unit_ids is not None:
        qs = qs.filter(school_unit_id__in=list(unit_ids))
    scale = [i for i in bank.items(refs) if i.kind == bank.Kind.SCALE]
    aggregates: dict = {"n": Count("pk")}
    by_theme: dict[str, Q] = {}
    for n, item in enumerate(scale):
        answered = Q(**{f"answers__{item.ref}__gte": 1})
        aggregates[f"a{n}"] = Count("pk", filter=answered)
        aggregates[f"f{n}"] = Count("pk", filter=Q(**{f"answers__{item.ref}__gte": bank.FAVOURABLE_FROM}))
        by_theme[item.theme] = by_theme.get(item.theme, Q(pk__in=[])) | answered
    for theme, q in by_theme.items():
        aggregates[f"t_{theme}"] = Count("pk", filter=q)
    group = [group_field] if group_field else []
    rows = qs.values("school_unit_id", *group).annotate(**aggregates)
    out: dict[tuple[int, str], Counts] = {}
    for row in rows:
        key = (row["school_unit_id"], row[group_field] if group_field else TOTAL)
        c = out.setdefault(key, Counts())
        c.add(
            Counts(
                respondents=row["n"],
                answered={
                    **{item.ref: row[f"a{n}"] for n, item in enumerate(scale)},
                    **{theme_key(t): row[f"t_{t}"] for t in by_theme},
                },
                favourable={item.ref: row[f"f{n}"] for n, item in enumerate(scale)},
            )
        )
    return out


def theme_favourable(counts: Counts, refs_of_theme: list[str]) -> tuple[int, int]:
    """A theme's favourable answers and answers over its items (a share of answers)."""
    fav = sum(counts.favourable.get(r, 0) for r in refs_of_theme)
    ans = sum(counts.answered.get(r, 0) for r in refs_of_theme)
    return fav, ans


# --- Protected tables -----------------------------------------------------------------------


@dataclass
class Figure:
    text: str
    value: float | None = None
    base: int = 0
    hidden: bool = False


@dataclass
class Grid:
    """One figure over school units (rows) × groups (columns), margins last, protected."""

    rows: list[tuple[object, str]]
    cols: list[tuple[str, str]]
    cells: list[list[Figure]]

    def row(self, key) -> list[Figure]:
        for i, (k, _label) in enumerate(self.rows):
            if k == key:
                return self.cells[i]
        raise KeyError(key)


def _share_text(value: float) -> str:
    return f"{value:.0f}"


def protected_grid(  # noqa: C901, PLR0912 (to be split into named steps)
    counts: dict[tuple[int, str], Counts],
    units: list[tuple[int, str]],
    groups: list[tuple[str, str]],
    *,
    figure: str,
    refs_of_theme: list[str] | None = None,
    k: int,
) -> Grid:
    """The grid of one figure (``respondents``, a scale ref, or a theme) with its hiding pattern.

    Every level and breakdown a user can open is a row, a column or a margin of
    this one grid, so a unit's page and the organiser's page never show two
    patterns of the same figures.
    """
    rows = units + [(TOTAL, _("Total"))]
    cols = (groups or []) + [(TOTAL, _("Total"))]
    R, C = len(rows), len(cols)
    base = [[0] * C for _r in range(R)]
    fav = [[0] * C for _r in range(R)]
    unit_index = {u: i for i, (u, _l) in enumerate(units)}
    col_index = {g: j for j, (g, _l) in enumerate(groups)}
    for (unit_id, group), c in counts.items():
        i = unit_index.get(unit_id)
        if i is None:
            continue
        j = col_index.get(group, C - 1) if groups else C - 1
        if figure == "respondents":
            b, f = c.respondents, 0
        elif refs_of_theme is not None:
            b, f = c.answered.get(figure, 0), theme_favourable(c, refs_of_theme)[0]
        else:
            b, f = c.answered.get(figure, 0), c.favourable.get(figure, 0)
        base[i][j] += b
        fav[i][j] += f
    answers = [[0] * C for _r in range(R)]  # a theme's share is over its answers, its base over students
    if refs_of_theme is not None:
        for (unit_id, group), c in counts.items():
            i = unit_index.get(unit_id)
            if i is None:
                continue
            j = col_index.get(group, C - 1) if groups else C - 1
            answers[i][j] += theme_favourable(c, refs_of_theme)[1]
    for grid in (base, fav, answers):
        if groups:
            for i in range(R - 1):
                grid[i][C - 1] = sum(grid[i][: C - 1])
        for j in range(C):
            grid[R - 1][j] = sum(grid[i][j] for i in range(R - 1))
    hidden = hide_grid(base, k)
    cells = []
    for i in range(R):
        line = []
        for j in range(C):
            if hidden[i][j]:
                line.append(Figure(SUPPRESSED, base=0, hidden=True))
            elif base[i][j] == 0:
                line.append(Figure(NOTHING))
            elif figure == "respondents":
                line.append(Figure(str(base[i][j]), float(base[i][j]), base[i][j]))
            else:
                den = answers[i][j] if refs_of_theme is not None else base[i][j]
                value = rules.favourable_share(fav[i][j], den)
                line.append(Figure(_share_text(value), round(value, 1), base[i][j]))
        cells.append(line)
    return Grid(rows, cols, cells)


# --- A wave's results -----------------------------------------------------------------------


@dataclass
class ItemRow:
    item: bank.Item
    figures: list[Figure]  # per column group, the last is the total
    previous: Figure | None = None  # the same item (same version) in the organiser's previous wave


@dataclass
class ThemeRow:
    theme: str
    label: str
    figures: list[Figure]
    items: list[ItemRow]


@dataclass
class Results:
    wave: Wave
    level_label: str
    unit_id: int | None
    breakdown: str
    cols: list[tuple[str, str]]
    respondents: list[Figure]
    response_rate: Figure
    themes: list[ThemeRow]
    pooled_waves: list[Wave]  # non-empty: the unit's figures are pooled over these waves
    previous_wave: Wave | None
    changed_items: list[bank.Item]  # asked now, not comparable with the previous wave
    k: int

    @property
    def pooled(self) -> bool:
        return len(self.pooled_waves) > 1


def organiser_units(wave: Wave) -> list[tuple[int, str]]:
    return list(
        SchoolUnit.objects.filter(organiser_id=wave.organiser_id, school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
        .order_by("name")
        .values_list("pk", "name")
    )


def _window(wave: Wave, unit_ids: list[int]) -> QuerySet:
    day = min(timezone.localdate(), wave.closes_on)
    return Enrolment.objects.filter(school_unit_id__in=unit_ids, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=wave.opens_on)
    )


def _eligible_and_answered(wave: Wave, unit_ids: list[int]) -> tuple[int, int]:
    """Students enrolled at the units while the wave was open, and how many of them answered."""
    enrolled = _window(wave, unit_ids).values("student_id")
    eligible = Student.objects.filter(pk__in=enrolled).count()
    answered = Participation.objects.filter(wave=wave, student_id__in=enrolled).count()
    return eligible, answered


def response_rates(wave: Wave, unit_ids: list[int]) -> dict:
    """The response rate of the organiser (``TOTAL``) and of each of its units, protected together.

    The organiser's rate and its units' rest on the same students, so they are one family for
    ``studievag.disclosure`` (the units, with the organiser as their total) and hidden by the
    students each rests on, under the wave's minimum: the organiser's page and a unit's page show
    the same pattern, and no unit's hidden rate follows from the others and the organiser's.
    """
    answered_ids = Participation.objects.filter(wave=wave).values("student_id")
    per_unit = {
        (u,): (eligible, answered)
        for u, eligible, answered in _window(wave, unit_ids)
        .values("school_unit_id")
        .annotate(
            eligible=Count("student_id", distinct=True),
            answered=Count("student_id", distinct=True, filter=Q(student_id__in=answered_ids)),
        )
        .values_list("school_unit_id", "eligible", "answered")
        .order_by()
    }
    per_unit[(TOTAL,)] = _eligible_and_answered(wave, unit_ids)  # a student at two units counts once
    k = wave.min_respondents
    protection = protect(
        [Dim("unit", tuple(unit_ids))],
        {key: eligible for key, (eligible, _a) in per_unit.items()},
        Thresholds(min_count=k, min_base=k),
        Kind.SHARE,
    )
    result = {}
    for key in [(u,) for u in unit_ids] + [(TOTAL,)]:
        eligible, answered = per_unit.get(key, (0, 0))
        if eligible == 0:
            result[key[0]] = Figure(NOTHING)
        elif protection.is_hidden(key):
            result[key[0]] = Figure(SUPPRESSED, hidden=True)
        else:
            value = 100.0 * answered / eligible
            result[key[0]] = Figure(_share_text(value), round(value, 1), eligible)
    return result


def previous_wave(wave: Wave) -> Wave | None:
    earlier = [
        w
        for w in Wave.objects.filter(organiser_id=wave.organiser_id).exclude(pk=wave.pk)
        if rules.term_sort_key(w.term) < rules.term_sort_key(wave.term)
    ]
    return max(earlier, key=lambda w: rules.term_sort_key(w.term)) if earlier else None


def waves_in_order(organiser_id: int, up_to: Wave) -> list[Wave]:
    waves = [
        w
        for w in Wave.objects.filter(organiser_id=organiser_id).prefetch_related("items")
        if rules.term_sort_key(w.term) <= rules.term_sort_key(up_to.term)
    ]
    return sorted(waves, key=lambda w: rules.term_sort_key(w.term))


def pooled_block(wave: Wave, unit_id: int) -> list[Wave]:
    """The waves whose answers are reported together for a unit that is small in ``wave``."""
    waves = waves_in_order(wave.organiser_id, wave)
    counts = dict(
        Response.objects.filter(wave__in=waves, school_unit_id=unit_id)
        .values_list("wave_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    blocks = rules.pool_blocks([(w.pk, counts.get(w.pk, 0)) for w in waves], wave.min_respondents)
    block = rules.block_for(blocks, wave.pk)
    if block is None:
        return [wave]
    by_id = {w.pk: w for w in waves}
    return [by_id[i] for i in block.waves]


def wave_results(wave: Wave, *, unit_id: int | None, breakdown: str = "") -> Results:
    """The results of a wave for the whole organiser (``unit_id=None``) or one of its units.

    The caller has checked that the user may read this level (see :mod:`.scope`).
    """
    k = wave.min_respondents
    units = organiser_units(wave)
    refs = wave.refs()
    block = [wave]
    if unit_id is not None:
        block = pooled_block(wave, unit_id)
    if len(block) > 1:
        # Pooled: only items asked the same way in every pooled wave, no breakdown.
        common = set(refs)
        for w in block:
            common &= set(w.refs())
        refs = [r for r in refs if r in common]
        breakdown = ""
    spec = BREAKDOWNS.get(breakdown)
    groups = group_labels(breakdown) if spec else []
    raw = count_responses([w.pk for w in block], refs, group_field=spec.field if spec else None)
    counts: dict[tuple[int, str], Counts] = {}
    for (unit, group), c in raw.items():
        key = (unit, spec.key(group) if spec and spec.key else group)
        counts.setdefault(key, Counts()).add(c)
    row_key = unit_id if unit_id is not None else TOTAL
    if len(block) > 1:
        units = [(unit_id, "")]  # a pool is the unit's own table

    def row(figure: str, refs_of_theme=None) -> list[Figure]:
        grid = protected_grid(counts, units, groups, figure=figure, refs_of_theme=refs_of_theme, k=k)
        return grid.row(unit_id if len(block) > 1 else row_key)

    prev = previous_wave(wave) if len(block) == 1 else None
    prev_refs = set(prev.refs()) if prev else set()
    prev_counts = count_responses([prev.pk], sorted(prev_refs)) if prev else {}
    prev_units = organiser_units(prev) if prev else []
    themes = []
    by_theme = bank.scale_refs_by_theme(refs)
    for theme in bank.Theme.ORDER:
        theme_refs = by_theme[theme]
        if not theme_refs:
            continue
        item_rows = []
        for item in bank.items(theme_refs):
            previous = None
            if item.ref in prev_refs:
                grid = protected_grid(prev_counts, prev_units, [], figure=item.ref, k=prev.min_respondents)
                previous = grid.row(row_key)[-1]
            item_rows.append(ItemRow(item, row(item.ref), previous))
        themes.append(
            ThemeRow(theme, str(bank.Theme.LABELS[theme]), row(theme_key(theme), refs_of_theme=theme_refs), item_rows)
        )
    level_label = dict(organiser_units(wave)).get(unit_id, "") if unit_id else str(wave.organiser)
    return Results(
        wave=wave,
        level_label=level_label,
        unit_id=unit_id,
        breakdown=breakdown if spec else "",
        cols=(groups or []) + [(TOTAL, _("Total"))],
        respondents=row("respondents"),
        response_rate=response_rates(wave, [u for u, _l in organiser_units(wave)])[row_key],
        themes=themes,
        pooled_waves=block if len(block) > 1 else [],
        previous_wave=prev,
        changed_items=[i for i in bank.items(refs) if prev and i.kind == bank.Kind.SCALE and i.ref not in prev_refs],
        k=k,
    )


def free_texts(wave: Wave, unit_id: int) -> dict[str, list[str]] | None:
    """Free-text answers of one unit in one wave, per item, or ``None`` below the wave's limit.

    Sorted alphabetically: neither the order of rows nor the other answers of
    the same student follow the text to the page.
    """
    rows = Response.objects.filter(wave=wave, school_unit_id=unit_id)
    if rows.count() < wave.min_free_text:
        return None
    text_refs = [i.ref for i in bank.items(wave.refs()) if i.kind == bank.Kind.TEXT]
    out: dict[str, list[str]] = {r: [] for r in text_refs}
    for answers in rows.values_list("answers", flat=True):
        for ref in text_refs:
            if answers.get(ref):
                out[ref].append(answers[ref])
    return {ref: sorted(texts, key=str.casefold) for ref, texts in out.items()}


def manager_waves(qs: QuerySet[Wave]) -> QuerySet[Wave]:
    return (
        qs.select_related("organiser")
        .annotate(
            answered=Count("participations", distinct=True),
        )
        .order_by("-opens_on", "pk")
    )


# --- Part 3 of the quality reports ------------------------------------------------------------


def _terms_of_period(code: str) -> list[str]:
    """A report period's terms: a term itself, or a school year's autumn and spring."""
    if code.startswith("sy"):
        year = int(code[2:])
        return [f"ht{year}", f"vt{year + 1}"]
    return [code]


@dataclass(frozen=True)
class PeriodWave:
    pk: int
    organiser_id: int
    min_respondents: int


def waves_of_period(code: str, unit_ids) -> list[PeriodWave]:
    """The waves of a report period in scope: per organiser its latest wave in the period."""
    waves = Wave.objects.filter(term__in=_terms_of_period(code))
    if unit_ids is not None:
        waves = waves.filter(organiser__school_units__in=list(unit_ids))
    latest: dict[int, tuple] = {}
    for pk, organiser_id, term, k in waves.values_list("pk", "organiser_id", "term", "min_respondents").distinct():
        held = latest.get(organiser_id)
        if held is None or rules.term_sort_key(term) > rules.term_sort_key(held[2]):
            latest[organiser_id] = (pk, organiser_id, term, k)
    return [PeriodWave(pk, o, k) for pk, o, _t, k in latest.values()]


def _refs_of(waves: list[PeriodWave]) -> set[str]:
    pairs = (
        WaveItem.objects.filter(wave_id__in=[w.pk for w in waves]).values_list("key", "version").order_by().distinct()
    )
    return {f"{key}_v{version}" for key, version in pairs}


@dataclass
class ReportPart:
    """Unsuppressed survey figures for the quality report, grouped like its breakdowns.

    ``themes[theme][(d1, d2)]`` holds ``num`` (favourable answers), ``den``
    (answers) and ``base`` (students who answered the theme); ``k`` is the
    strictest minimum of the waves it rests on.
    """

    themes: dict[str, dict[tuple[str, str], dict]]
    k: int


def report_part(  # noqa: C901, PLR0912, PLR0915 (to be split into named steps)
    *,
    period_code: str,
    unit_ids,
    programme: str,
    dims: tuple[str, ...],
    anchor_code: str | None = None,
    total: str = TOTAL,
    group_by: tuple[str, ...] = (),
) -> ReportPart | None:
    """Part 3 of a quality report: per theme, favourable answers over the breakdown.

    ``dims`` are the quality report's dimension ids; ``None`` when one of them is
    not carried by the answers (merit value, parents' education). With an
    ``anchor_code`` (the report's own period, when this is a point of its trend),
    only items asked the same way in the anchor period are counted, so a trend
    never compares a changed question with its earlier wording. ``group_by``
    (the answer's ``school_unit_id``, ``school_unit__organiser_id`` and/or
    ``programme``) keys the cells ``(child, programme, d1, d2)`` instead, for
    the quality area's linked tables.
    """
    fields = []
    for d in dims:
        if d not in QUALITY_DIMENSIONS:
            return None
        fields.append(BREAKDOWNS[QUALITY_DIMENSIONS[d]])
    waves = waves_of_period(period_code, unit_ids)
    if not waves:
        return ReportPart({t: {} for t in bank.Theme.ORDER}, rules.MIN_RESPONDENTS)
    refs = _refs_of(waves)
    anchor_refs: set[str] = set()
    if anchor_code and anchor_code != period_code:
        anchor_refs = _refs_of(waves_of_period(anchor_code, unit_ids))
    all_refs = set(refs)
    if anchor_code and anchor_code != period_code:
        refs &= anchor_refs
    by_theme = bank.scale_refs_by_theme(sorted(refs))
    asked = bank.scale_refs_by_theme(sorted(all_refs))
    qs = Response.objects.filter(wave_id__in=[w.pk for w in waves]).order_by()
    if unit_ids is not None:
        qs = qs.filter(school_unit_id__in=list(unit_ids))
    if programme:
        qs = qs.filter(programme=programme)
    aggregates: dict = {}
    per_ref: dict[str, list[str]] = {}
    for theme, theme_refs in by_theme.items():
        if not theme_refs:
            continue
        if set(theme_refs) == set(asked[theme]):
            # Every question of the theme counts: the per-theme counts stored with each answer.
            aggregates[f"{theme}__num"] = Sum(f"{theme}_favourable")
            aggregates[f"{theme}__den"] = Sum(f"{theme}_answered")
            aggregates[f"{theme}__base"] = Count("pk", filter=Q(**{f"{theme}_answered__gt": 0}))
            continue
        # Some questions changed since the anchor period: count only the unchanged ones.
        per_ref[theme] = theme_refs
        answered = Q(pk__in=[])
        for n, ref in enumerate(theme_refs):
            q = Q(**{f"answers__{ref}__gte": 1})
            answered |= q
            aggregates[f"{theme}__a{n}"] = Count("pk", filter=q)
            aggregates[f"{theme}__f{n}"] = Count("pk", filter=Q(**{f"answers__{ref}__gte": bank.FAVOURABLE_FROM}))
        aggregates[f"{theme}__base"] = Count("pk", filter=answered)
    out: dict[str, dict[tuple[str, str], dict]] = {t: {} for t in bank.Theme.ORDER}
    k = max(w.min_respondents for w in waves)
    if not aggregates:
        return ReportPart(out, k)
    group_fields = sorted({b.field for b in fields} | set(group_by))
    rows = qs.values(*group_fields).annotate(**aggregates) if group_fields else [qs.aggregate(**aggregates)]
    child = next((g for g in group_by if g != "programme"), None)
    for row in rows:
        keys = [(b.key(row[b.field]) if b.key else row[b.field]) for b in fields]
        key = (keys[0] if keys else total, keys[1] if len(keys) > 1 else total)
        if group_by:
            key = (
                row[child] if child else total,
                row["programme"] if "programme" in group_by else total,
                *key,
            )
        for theme, theme_refs in by_theme.items():
            if not theme_refs:
                continue
            cell = out[theme].setdefault(key, {"num": 0, "den": 0, "base": 0})
            if theme in per_ref:
                cell["num"] += sum(row[f"{theme}__f{n}"] or 0 for n in range(len(theme_refs)))
                cell["den"] += sum(row[f"{theme}__a{n}"] or 0 for n in range(len(theme_refs)))
            else:
                cell["num"] += row[f"{theme}__num"] or 0
                cell["den"] += row[f"{theme}__den"] or 0
            cell["base"] += row[f"{theme}__base"] or 0
    return ReportPart(out, k)
    group_fields = sorted({b.field for b in fields})
    rows = qs.values(*group_fields).annotate(**aggregates) if group_fields else [qs.aggregate(**aggregates)]
    for row in rows:
        keys = [(b.key(row[b.field]) if b.key else row[b.field]) for b in fields]
        key = (keys[0] if keys else total, keys[1] if len(keys) > 1 else total)
        for theme, theme_refs in by_theme.items():
            if not theme_refs:
                continue
            cell = out[theme].setdefault(key, {"num": 0, "den": 0, "base": 0})
            cell["num"] += sum(row[f"{theme}__f{n}"] or 0 for n in range(len(theme_refs)))
            cell["den"] += sum(row[f"{theme}__a{n}"] or 0 for n in range(len(theme_refs)))
            cell["base"] += row[f"{theme}__base"] or 0
    return ReportPart(out, k)
