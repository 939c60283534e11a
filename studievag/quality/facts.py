"""Per-student facts for a period, computed once from the indicators' own definitions.

:func:`facts_refresh` runs the period population over every school unit with
the per-student subqueries of the indicators marked ``facts=True`` and writes
the result with one ``INSERT … SELECT``; reports then join the facts
(:func:`ensure_facts` keeps them fresh: facts are recomputed when older than
the period's last day, or than today for the current period).
"""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.utils import timezone

from .indicators import Context, available
from .models import PeriodFactsStatus, StudentPeriodFacts
from .periods import Period

FACT_NAMES = [
    f.attname for f in StudentPeriodFacts._meta.concrete_fields if f.attname not in ("id", "student_id", "period")
]


def fact_indicators():
    return [i for i in available().values() if i.facts and i.missing is None]


@transaction.atomic
def facts_refresh(period: Period, *, today: datetime.date | None = None) -> PeriodFactsStatus:
    from .selectors import ReportRequest, population
    from .suppression import Thresholds

    today = today or timezone.localdate()
    started = time.monotonic()
    ctx = Context(period=period, population_period=period, today=today)
    request = ReportRequest(period=period, unit_ids=None, thresholds=Thresholds(), today=today)
    annotations: dict = {}
    for indicator in fact_indicators():
        annotations.update(indicator.annotations(ctx))
    names = [n for n in FACT_NAMES if n in annotations]
    qs = population(request, "period", period).annotate(**annotations).values_list("student_id", *names)
    sql, params = qs.query.sql_with_params()
    table = StudentPeriodFacts._meta.db_table
    columns = ", ".join(["student_id", "period", *names])
    StudentPeriodFacts.objects.filter(period=period.code).delete()
    with connection.cursor() as cursor:
        select = ", ".join(f"t.{n}" for n in names)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT t.student_id, %s, {select} FROM ({sql}) t",
            [period.code, *params],
        )
        count = cursor.rowcount
    status, _created = PeriodFactsStatus.objects.update_or_create(
        period=period.code,
        defaults={
            "computed_on": min(period.end, today),
            "students": max(count, 0),
            "milliseconds": int((time.monotonic() - started) * 1000),
        },
    )
    return status


def ensure_facts(period: Period, *, today: datetime.date) -> None:
    if not fact_indicators():
        return
    needed = min(period.end, today)
    status = PeriodFactsStatus.objects.filter(period=period.code).first()
    if status is None or status.computed_on < needed:
        facts_refresh(period, today=today)
