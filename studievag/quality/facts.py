"""Per-student facts for a period, computed in the background from the indicators' own definitions.

:func:`facts_refresh` runs the period population over every school unit with
the per-student subqueries of the indicators marked ``facts=True`` and writes
the result with one ``INSERT … SELECT`` — for every student (a full refresh)
or only for the students given (incremental). Reports only read the facts:
nothing is computed inside a web request. :func:`refresh_offered_periods`
keeps every period the report form offers fresh; the job
``quality.facts_refresh`` (``tasks.py``) runs it every ten minutes:

* a period whose "day" (its last day, or today for a running period) has
  moved on since its facts were computed is refreshed in full — for a running
  term once a day, since indicators such as "plan reviewed within the month
  before the day" depend on the day;
* otherwise only the students whose records were saved since the last refresh
  (progression, attendance, grades, plans, plan reviews, intake mappings, an
  organiser's follow-up thresholds), and for a running period the students
  who entered or left its population, are recomputed — and a record about a
  day only in the periods that end on or after that day (a normal day's
  attendance touches the running term and school year, not the eight before).

A refresh writes in one transaction, so readers see the old facts or the new,
never a mix, and never wait for it. Only one refresh runs at a time (the job
holds a lock). Deleted records and changed enrolment dates carry no
timestamp: they reach the facts with the daily full refresh.
"""

from __future__ import annotations

import datetime
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, Min, OuterRef, Value
from django.db.models.functions import Mod
from django.utils import timezone

from studievag.enrolments.models import Enrolment
from studievag.intake.models import IntakeMapping
from studievag.plans.models import Plan, PlanReview
from studievag.progress.models import AttendanceWeek, FollowUpSettings, GradeRecord, ProgressRecord

from .indicators import Context, available
from .models import PeriodFactsStatus, StudentPeriodFacts
from .periods import Period, parse, trend_of
from .periods import choices as period_choices
from .selectors import ReportRequest, population
from .suppression import Thresholds

FACT_NAMES = [
    f.attname for f in StudentPeriodFacts._meta.concrete_fields if f.attname not in ("id", "student_id", "period")
]
# A record saved just before a refresh started may commit after the refresh
# has read its changes: changes are read from a little before the last start.
OVERLAP = datetime.timedelta(minutes=5)


def fact_indicators():
    return [i for i in available().values() if i.facts and i.missing is None]


@dataclass
class Refreshed:
    period: Period
    full: bool
    students: int
    milliseconds: int


def _facts_query(period: Period, today: datetime.date, student_ids=None):
    ctx = Context(period=period, population_period=period, today=today)
    request = ReportRequest(period=period, unit_ids=None, thresholds=Thresholds(), today=today)
    annotations: dict = {}
    for indicator in fact_indicators():
        annotations.update(indicator.annotations(ctx))
    names = [n for n in FACT_NAMES if n in annotations]
    qs = population(request, "period", period)
    if student_ids is not None:
        qs = qs.filter(student_id__in=student_ids)
    return qs.annotate(**annotations).values_list("student_id", *names), names


def facts_refresh(
    period: Period,
    *,
    today: datetime.date | None = None,
    student_ids: list[int] | None = None,
    started: datetime.datetime | None = None,
) -> Refreshed:
    """Recompute the period's facts: every student's, or only ``student_ids``'.

    ``started`` is when the changes were read (default: now); the next
    incremental refresh reads changes from then on.
    """
    today = today or timezone.localdate()
    started = started or timezone.now()
    t0 = time.monotonic()
    table = StudentPeriodFacts._meta.db_table
    stage = None
    if student_ids is None and _parallel_workers() > 1:
        stage = _stage_in_parallel(period, today, _parallel_workers())
    try:
        return _write(period, today, student_ids, started, t0, table, stage)
    finally:
        if stage is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {stage}")


def _parallel_workers() -> int:
    """How many connections compute a full refresh side by side: on PostgreSQL, and only
    outside a transaction (the workers' connections see committed rows only)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, settings.STUDIEVAG_FACTS_WORKERS)


STAGE_PREFIX = "quality_facts_stage_"


def drop_leftover_stages() -> list[str]:
    """Drop the staging tables of refreshes that never finished (a worker killed in
    the middle leaves its unlogged table behind). Only for the job, which holds the
    refresh lock: no other refresh can be using one. Returns the names dropped."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE %s",
            [STAGE_PREFIX.replace("_", r"\_") + "%"],
        )
        names = [name for (name,) in cursor.fetchall()]
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(name)}")
    return names


def _stage_in_parallel(period: Period, today: datetime.date, workers: int) -> str:
    """Compute every student's facts into a staging table, a share of the students per
    connection (``student_id % workers``), side by side; the table's name is returned."""
    qs, names = _facts_query(period, today, None)
    stage = f"{STAGE_PREFIX}{uuid.uuid4().hex[:16]}"
    columns = ", ".join(["student_id", *names])
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE UNLOGGED TABLE {stage} AS SELECT {columns} FROM {StudentPeriodFacts._meta.db_table} WITH NO DATA"
        )

    def share(k: int) -> None:
        try:
            part = qs.alias(_share=Mod(F("student_id"), Value(workers))).filter(_share=k)
            sql, params = part.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {stage} ({columns}) SELECT * FROM ({sql}) t", params)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done in [pool.submit(share, k) for k in range(workers)]:
            done.result()
    return stage


def _write(period, today, student_ids, started, t0, table, stage) -> Refreshed:
    with transaction.atomic():
        existing = PeriodFactsStatus.objects.select_for_update().filter(period=period.code).first()
        full = student_ids is None or existing is None
        if not full and not student_ids:
            existing.changes_until = started
            existing.save(update_fields=["changes_until", "computed_at"])
            return Refreshed(period, False, 0, int((time.monotonic() - t0) * 1000))
        qs, names = _facts_query(period, today, None if full else student_ids)
        if full and stage is not None:
            sql, params = f"SELECT * FROM {stage}", []
        else:
            sql, params = qs.query.sql_with_params()
        rows = StudentPeriodFacts.objects.filter(period=period.code)
        if not full:
            rows = rows.filter(student_id__in=student_ids)
        rows.delete()
        columns = ", ".join(["student_id", "period", *names])
        select = ", ".join(f"t.{n}" for n in names)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT t.student_id, %s, {select} FROM ({sql}) t",
                [period.code, *params],
            )
            count = max(cursor.rowcount, 0)
        milliseconds = int((time.monotonic() - t0) * 1000)
        defaults = {"changes_until": started}
        if full:
            defaults.update(computed_on=min(period.end, today), students=count, milliseconds=milliseconds)
        else:
            defaults["students"] = rows.model.objects.filter(period=period.code).count()
        PeriodFactsStatus.objects.update_or_create(period=period.code, defaults=defaults)
    return Refreshed(period, full, count, milliseconds)


def changed_students(since: datetime.datetime) -> dict[int, datetime.date]:
    """Students with a record saved at or after ``since`` that a fact is computed from.

    Each with the earliest day their changed records are about: a record of a day
    only changes the facts of periods that end on or after it (attendance, grades
    and steps count within a period or up to its day). Records about no day (a
    plan, an intake mapping, an organiser's thresholds) may change any period.
    """
    dated = [
        ProgressRecord.objects.filter(recorded_at__gte=since).values("student_id").annotate(d=Min("recorded_on")),
        AttendanceWeek.objects.filter(recorded_at__gte=since).values("student_id").annotate(d=Min("week_start")),
        GradeRecord.objects.filter(recorded_at__gte=since).values("student_id").annotate(d=Min("awarded_on")),
        PlanReview.objects.filter(recorded_at__gte=since)
        .values(student_id=F("plan__student_id"))
        .annotate(d=Min("held_on")),
    ]
    earliest: dict[int, datetime.date] = {}
    for qs in dated:
        for student_id, day in qs.order_by().values_list("student_id", "d"):
            earliest[student_id] = min(day, earliest.get(student_id, day))
    undated = [
        Plan.objects.filter(updated_at__gte=since).values_list("student_id", flat=True),
        IntakeMapping.objects.filter(updated_at__gte=since).values_list("student_id", flat=True),
    ]
    organisers = list(FollowUpSettings.objects.filter(updated_at__gte=since).values_list("organiser_id", flat=True))
    if organisers:
        undated.append(
            Enrolment.objects.filter(school_unit__organiser_id__in=organisers).values_list("student_id", flat=True)
        )
    for qs in undated:
        for student_id in qs.order_by().distinct():
            earliest[student_id] = datetime.date.min
    return earliest


def population_changes(period: Period, today: datetime.date) -> set[int]:
    """Students who entered the period's population without facts, or left it with facts."""
    request = ReportRequest(period=period, unit_ids=None, thresholds=Thresholds(), today=today)
    members = population(request, "period", period)
    facts = StudentPeriodFacts.objects.filter(period=period.code)
    entered = members.filter(~Exists(facts.filter(student_id=OuterRef("student_id")))).values_list(
        "student_id", flat=True
    )
    left = facts.filter(~Exists(members.filter(student_id=OuterRef("student_id")))).values_list("student_id", flat=True)
    return set(entered) | set(left)


def offered_periods(today: datetime.date) -> list[Period]:
    """Every period the report form offers (terms and school years), newest first, and then
    the earlier periods the trend of an offered period reaches back to: a report on the
    oldest term offered shows five terms before it, and those need their facts too (without
    them the trend showed "–" for terms that had students)."""
    offered = [parse(code) for code, _label in period_choices(today)]
    seen = set(offered)
    earlier = []
    for period in offered:
        for point in reversed(trend_of(period)):
            if point not in seen:
                seen.add(point)
                earlier.append(point)
    return offered + earlier


def refresh_offered_periods(
    *, today: datetime.date | None = None, full: bool = False, recorder=None
) -> list[Refreshed]:
    """Keep the facts of every offered period fresh: full where the day moved on, else incremental."""
    today = today or timezone.localdate()
    if not fact_indicators():
        return []
    started = timezone.now()
    periods = offered_periods(today)
    statuses = {s.period: s for s in PeriodFactsStatus.objects.filter(period__in=[p.code for p in periods])}
    if recorder is not None:
        recorder.total(len(periods))

    def incremental(period: Period) -> bool:
        status = statuses.get(period.code)
        return not (
            full or status is None or status.changes_until is None or status.computed_on < min(period.end, today)
        )

    # One read of the changes for every incremental period, from the oldest watermark.
    marks = [statuses[p.code].changes_until for p in periods if incremental(p)]
    changed = changed_students(min(marks) - OVERLAP) if marks else {}
    results = []
    for period in periods:
        if incremental(period):
            ids = {student_id for student_id, day in changed.items() if day <= period.end}
            if period.start <= today <= period.end:
                ids |= population_changes(period, today)
            result = facts_refresh(period, today=today, student_ids=sorted(ids), started=started)
        else:
            result = facts_refresh(period, today=today, started=started)
        results.append(result)
        if recorder is not None:
            recorder.item(
                period.code,
                "full" if result.full else "incremental",
                count=result.students,
                milliseconds=result.milliseconds,
            )
    return results


def facts_status(period: Period) -> PeriodFactsStatus | None:
    """When the period's facts were computed (None: not yet)."""
    return PeriodFactsStatus.objects.filter(period=period.code).first()
