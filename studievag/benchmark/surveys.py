"""The student survey at national scale: one wave per organiser this term, answered by most students.

:func:`generate_wave` writes the answers straight into the released table
(bulk, in random order) – what the pool would hold after every wave closed –
and the has-answered rows beside them. :func:`lines` times part 3 of the
quality report and the survey's own results page, and checks the national
figures against one hand-written SQL query.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Count

from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.quality.indicators import available
from studievag.quality.periods import Period
from studievag.quality.selectors import ReportRequest, run_report
from studievag.quality.suppression import Thresholds
from studievag.surveys import bank, rules
from studievag.surveys.models import Participation, Response, Wave, WaveItem
from studievag.surveys.selectors import wave_results
from studievag.surveys.services import attributes_of

from .bench import timed

SHARE_ANSWERING = 0.85
BATCH = 5000


def generate_wave(*, today: datetime.date, seed: int, log: Callable[[str], None] = lambda s: None) -> int:
    """One wave per organiser in the term of ``today``, unless there already is one; returns answers written."""
    term = rules.term_of(today)
    if Wave.objects.filter(term=term).exists():
        return 0
    rng = random.Random(seed)
    user, _ = User.objects.get_or_create(username="bench.analyst", defaults={"first_name": "Bench"})
    refs = [i.ref for i in bank.current()]
    with transaction.atomic():
        waves = {}
        for organiser in Organiser.objects.filter(
            school_units__school_type=SchoolUnit.SchoolType.UPPER_SECONDARY
        ).distinct():
            waves[organiser.pk] = Wave.objects.create(
                organiser=organiser,
                term=term,
                title="Elevenkät",
                opens_on=today - datetime.timedelta(days=28),
                closes_on=today - datetime.timedelta(days=1),
                created_by=user,
            )
        WaveItem.objects.bulk_create(
            [
                WaveItem(wave=w, key=i.key, version=i.version, position=n)
                for w in waves.values()
                for n, i in enumerate(bank.items(refs))
            ]
        )
        enrolments = (
            Enrolment.objects.active_on(today - datetime.timedelta(days=7))
            .filter(school_unit__school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
            .select_related("student", "programme", "school_unit")
            .order_by("student_id", "-start_date")
        )
        seen: set[int] = set()
        responses, participations = [], []
        scale = [i for i in bank.items(refs) if i.kind == bank.Kind.SCALE]
        for e in enrolments.iterator(chunk_size=5000):
            if e.student_id in seen:
                continue
            seen.add(e.student_id)
            if rng.random() > SHARE_ANSWERING:
                continue
            wave = waves[e.school_unit.organiser_id]
            mood = rng.gauss(0, 0.4)
            answers: dict[str, object] = {}
            for item in scale:
                r = rng.random()
                if r < 0.04:
                    continue
                answers[item.ref] = 0 if r < 0.09 else max(1, min(4, round(rng.gauss(2.9 + mood, 0.8))))
            response = Response(
                wave=wave, school_unit_id=e.school_unit_id, answers=answers, **attributes_of(e.student, e, wave)
            )
            response.count_themes()  # the per-theme counts the reports sum, as a released answer has them
            responses.append(response)
            participations.append(Participation(wave=wave, student_id=e.student_id))
        rng.shuffle(responses)
        t0 = time.monotonic()
        for start in range(0, len(responses), BATCH):
            Response.objects.bulk_create(responses[start : start + BATCH])
        Participation.objects.bulk_create(participations, batch_size=BATCH)
        log(f"survey wave: {len(responses)} answers written in {time.monotonic() - t0:.0f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {Response._meta.db_table}")
    return len(responses)


HAND_SQL = """
SELECT r.gender,
       SUM(CASE WHEN (r.answers ->> %(ref)s)::int >= 3 THEN 1 ELSE 0 END) AS favourable,
       SUM(CASE WHEN (r.answers ->> %(ref)s)::int >= 1 THEN 1 ELSE 0 END) AS answered
FROM surveys_response r JOIN surveys_wave w ON w.id = r.wave_id
WHERE w.term = %(term)s
GROUP BY r.gender
"""


def lines(*, today: datetime.date, line: Callable[[str, object, str], None]) -> None:
    term = rules.term_of(today)
    period = Period(term[:2], int(term[2:]))
    line("survey_wave_answers", Response.objects.filter(wave__term=term).count(), "answers")
    themes = tuple(f"survey_{t}" for t in bank.Theme.ORDER)

    def report(units, dims, ids=themes):
        req = ReportRequest(
            period=period, unit_ids=units, thresholds=Thresholds(), dims=dims, indicator_ids=ids, today=today
        )
        return run_report(req)

    # Part 3 of the national report: the five themes over the anonymous answers.
    line("survey_report_national_gender_ms", round(timed(lambda: report(None, ("gender",)))), "ms")
    line(
        "survey_report_national_gender_x_time_in_sweden_ms",
        round(timed(lambda: report(None, ("gender", "time_in_sweden")))),
        "ms",
    )
    # The response rate is an enrolment indicator: alone it pays for the whole population query,
    # which the full report shares with every other indicator of the period.
    rate = ("survey_response_rate",)
    line("survey_response_rate_national_gender_ms", round(timed(lambda: report(None, ("gender",), rate))), "ms")
    others = tuple(k for k in available() if not k.startswith("survey_"))
    without = timed(lambda: report(None, ("gender",), others))
    with_part3 = timed(lambda: report(None, ("gender",), None))
    line("report_national_gender_without_part3_ms", round(without), "ms")
    line("report_national_gender_with_part3_ms", round(with_part3), "ms")
    largest = (
        Response.objects.filter(wave__term=term)
        .values("wave_id", "wave__organiser_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    units = list(SchoolUnit.objects.filter(organiser_id=largest["wave__organiser_id"]).values_list("pk", flat=True))
    line("survey_report_organiser_programme_ms", round(timed(lambda: report(units, ("programme",)))), "ms")
    wave = Wave.objects.get(pk=largest["wave_id"])
    line("survey_results_page_organiser_answers", largest["n"], "answers")
    line(
        "survey_results_page_organiser_gender_ms",
        round(timed(lambda: wave_results(wave, unit_id=None, breakdown="gender"))),
        "ms",
    )
    # The application's national engagement figure against one hand-written query.
    table = report(None, ("gender",))["survey_engagement"]
    refs = [i.ref for i in bank.current() if i.theme == bank.Theme.ENGAGEMENT and i.kind == bank.Kind.SCALE]
    fav = ans = 0
    with connection.cursor() as cursor:
        for ref in refs:
            cursor.execute(HAND_SQL, {"ref": ref, "term": term})
            for _gender, f, a in cursor.fetchall():
                fav, ans = fav + f, ans + a
    t = table.total
    same = t.numerator == fav and t.denominator == ans
    line("survey_report_national_same_figures", 1 if same else 0, "bool")
