"""The benchmark behind ``manage.py bench``: reports on a national data set, against hand-written SQL.

Each report is timed through the application (:func:`run_report`, which is
what a page and an export run) and as *one* hand-written PostgreSQL query
computing the same figures (:func:`hand_sql`); the bench also checks that the
two agree, so the comparison is honest.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection, connections
from django.db.models import Count

from studievag.access.models import Role, RoleAssignment
from studievag.disclosure import TOTAL, Family, Kind
from studievag.disclosure.linked import compute, forget_patterns, national_family
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.plans.rules import TERM_ENDS
from studievag.progress.rules import DEFAULT_BEHIND_STEPS, DEFAULT_COURSE_WEEKS
from studievag.quality.periods import Period
from studievag.quality.selectors import ReportRequest, report_cells
from studievag.quality.suppression import Thresholds

DIM_SQL = {
    "gender": "CASE WHEN s.gender IN ('female', 'male', 'other') THEN s.gender ELSE 'unknown' END",
    "background": (
        "CASE WHEN s.country_of_birth = 'SE' THEN 'sweden' "
        "WHEN s.country_of_birth <> '' THEN 'abroad' ELSE 'unknown' END"
    ),
    "programme": "pr.code",
}
EXIT_SQL = {
    "national_programme": "('national_programme')",
    "other_im": "('other_im')",
    "adult_education": "('adult_education')",
    "work": "('work')",
    "apprenticeship": "('apprenticeship')",
    "another_school": "('another_school', 'moved')",
    "moved_abroad": "('moved_abroad')",
    "unknown": "('unknown', 'dropped_out', 'kaa')",
    "other": "('other')",
}


# A plan's term ("HT 2026", "VT 2027") as its last day (plans.rules.term_end).
TERM_END_SQL = "CASE LEFT(pc.term, 2) {} END".format(
    " ".join(
        f"WHEN '{kind}' THEN make_date(CAST(SUBSTR(pc.term, 4, 4) AS integer), {month}, {day})"
        for kind, (month, day) in TERM_ENDS.items()
    )
)

RAW_SOURCES = """), att AS (
    SELECT a.student_id, SUM(a.scheduled_minutes) AS sched,
           SUM(a.scheduled_minutes - a.valid_absence_minutes - a.invalid_absence_minutes) AS present
    FROM progress_attendanceweek a JOIN pop_p USING (student_id)
    WHERE a.week_start BETWEEN %(start)s AND %(end)s
    GROUP BY a.student_id
), rec AS (
    SELECT r.student_id, r.course_id, r.recorded_on, st.position, st.scale_id,
           LAG(st.position) OVER w AS prev_position,
           FIRST_VALUE(st.position) OVER w AS first_position,
           FIRST_VALUE(r.recorded_on) OVER w AS first_on,
           ROW_NUMBER() OVER (PARTITION BY r.student_id, r.course_id ORDER BY r.recorded_on DESC)
               AS newest
    FROM progress_progressrecord r
    JOIN pop_p USING (student_id)
    JOIN progress_progressionstep st ON st.id = r.step_id
    WHERE r.recorded_on <= %(day)s
    WINDOW w AS (PARTITION BY r.student_id, r.course_id ORDER BY r.recorded_on, r.id)
), line AS (
    -- progress.rules: the line from the starting level at intake (on the day the student
    -- joined the course group) or the first record, to the goal at the plan's term end,
    -- else the enrolment's end, else after the organiser's default length.
    SELECT rec.student_id, rec.position, goal.position AS goal,
           COALESCE(sl.position, rec.first_position) AS line_start,
           CASE WHEN sl.position IS NULL THEN rec.first_on
                ELSE COALESCE(gm.start_date, rec.first_on) END AS line_from,
           {term_end} AS plan_end,
           pop_p.end_date AS enrolment_end,
           COALESCE(fs.behind_steps, %(behind_steps)s) AS behind_steps,
           COALESCE(fs.default_course_weeks, %(course_weeks)s) * 7 AS course_days
    FROM rec
    JOIN pop_p USING (student_id)
    JOIN catalogue_course c ON c.id = rec.course_id
    JOIN organisations_schoolunit su ON su.id = pop_p.school_unit_id
    LEFT JOIN progress_followupsettings fs ON fs.organiser_id = su.organiser_id
    LEFT JOIN LATERAL (
        SELECT g.position FROM progress_progressionstep g WHERE g.scale_id = rec.scale_id
        ORDER BY g.is_goal DESC, g.position DESC LIMIT 1
    ) goal ON TRUE
    LEFT JOIN LATERAL (
        SELECT ss.position FROM intake_startinglevel sl0
        JOIN intake_intakemapping m ON m.id = sl0.mapping_id
        JOIN progress_progressionstep ss ON ss.id = sl0.step_id
        WHERE m.student_id = rec.student_id AND sl0.subject_id = c.subject_id
        ORDER BY sl0.id LIMIT 1
    ) sl ON TRUE
    LEFT JOIN LATERAL (
        SELECT gm0.start_date FROM enrolments_groupmembership gm0
        JOIN enrolments_studentgroup sg ON sg.id = gm0.group_id
        WHERE gm0.student_id = rec.student_id AND sg.course_id = rec.course_id
          AND sg.kind = 'course_group' AND gm0.start_date <= %(day)s
        ORDER BY gm0.start_date DESC, gm0.id DESC LIMIT 1
    ) gm ON TRUE
    LEFT JOIN plans_plan pl ON pl.student_id = rec.student_id
    LEFT JOIN plans_plancourse pc ON pc.plan_id = pl.id AND pc.course_id = rec.course_id
                                  AND pc.term <> ''
    WHERE rec.newest = 1 AND rec.recorded_on >= %(start)s
), lined AS (
    SELECT student_id, position, goal, line_start, behind_steps,
           COALESCE(plan_end - line_from, enrolment_end - line_from, course_days) AS length,
           GREATEST(%(day)s::date - line_from, 0) AS elapsed
    FROM line
), behind AS (
    SELECT DISTINCT student_id FROM lined
    WHERE position < goal
      AND CASE WHEN line_start >= goal THEN goal::float
               ELSE line_start + (goal - line_start)::float
                    * CASE WHEN length <= 0 THEN 1.0 ELSE LEAST(elapsed::float / length, 1.0) END
          END > position + behind_steps::float
), prog AS (
    SELECT rec.student_id,
           BOOL_OR(rec.recorded_on >= %(start)s) AS has_progress,
           BOOL_OR(rec.recorded_on >= %(start)s AND rec.position > rec.prev_position) AS moved,
           BOOL_OR(rec.newest = 1 AND rec.recorded_on >= %(start)s) AS assessed,
           BOOL_OR(behind.student_id IS NOT NULL) AS behind
    FROM rec LEFT JOIN behind USING (student_id) GROUP BY rec.student_id
), passed AS (
    SELECT DISTINCT gr.student_id FROM progress_graderecord gr JOIN pop_p USING (student_id)
    WHERE gr.awarded_on BETWEEN %(start)s AND %(end)s AND gr.grade IN ('A', 'B', 'C', 'D', 'E')
), goals AS (
    SELECT pl.student_id, COUNT(*) AS due, COUNT(*) FILTER (WHERE g.status = 'met') AS met
    FROM plans_plangoal g JOIN plans_plan pl ON pl.id = g.plan_id JOIN pop_p USING (student_id)
    WHERE g.target_date BETWEEN %(start)s AND %(end)s AND g.status <> 'dropped'
    GROUP BY pl.student_id
), plan AS (
    SELECT pl.student_id, pl.created_at,
           EXISTS (SELECT 1 FROM plans_planreview rv WHERE rv.plan_id = pl.id
                   AND rv.held_on > %(review_from)s AND rv.held_on <= %(day)s) AS reviewed
    FROM plans_plan pl JOIN pop_p USING (student_id)
"""

FACT_SOURCES = """), att AS (
    SELECT student_id, att_scheduled AS sched, att_present AS present
    FROM quality_studentperiodfacts WHERE period = %(code)s AND att_present IS NOT NULL
), prog AS (
    SELECT student_id, has_progress, moved_step AS moved, assessed, behind_somewhere AS behind
    FROM quality_studentperiodfacts WHERE period = %(code)s
), passed AS (
    SELECT student_id FROM quality_studentperiodfacts WHERE period = %(code)s AND passed_course
), goals AS (
    SELECT student_id, goals_due AS due, goals_met AS met
    FROM quality_studentperiodfacts WHERE period = %(code)s AND goals_due IS NOT NULL
), plan AS (
    SELECT student_id, plan_created AS created_at, reviewed_in_month AS reviewed
    FROM quality_studentperiodfacts WHERE period = %(code)s AND plan_created IS NOT NULL
"""


def hand_sql(req: ReportRequest, *, over_facts: bool = False) -> tuple[str, dict]:
    """Every indicator of the report in one PostgreSQL query, written by hand.

    ``over_facts``: read the per-student values from the period's facts (as
    the application does) instead of from the source tables.
    """
    sources = FACT_SOURCES if over_facts else RAW_SOURCES.replace("{term_end}", TERM_END_SQL)
    p = req.period
    day = min(p.end, req.today)
    dims = list(req.dims) + ["__total__"] * (2 - len(req.dims))
    d = [DIM_SQL[x] if x != "__total__" else "'__total__'" for x in dims]
    units = "" if req.unit_ids is None else "AND e.school_unit_id = ANY(%(units)s)"
    programme = "AND pr.code = %(programme)s" if req.programme else ""
    params = {
        "start": p.start,
        "end": p.end,
        "day": day,
        "units": req.unit_ids,
        "programme": req.programme,
        "na_from": p.start.replace(year=p.start.year - 4),
        "review_from": day - datetime.timedelta(days=30),
        "code": p.code,
        "behind_steps": DEFAULT_BEHIND_STEPS,
        "course_weeks": DEFAULT_COURSE_WEEKS,
    }
    cohort_parts = []
    for n in (1, 2, 3):
        c = p.shifted(-n)
        params[f"c{n}_start"], params[f"c{n}_end"] = c.start, c.end
        params[f"c{n}_bound"] = min(c.shifted(n).end, req.today)
        cohort_parts.append(
            f"SELECT {n} AS n, f.* FROM firsts f WHERE f.start_date BETWEEN %(c{n}_start)s AND %(c{n}_end)s"
        )
    exits = ",\n".join(
        f"COUNT(*) FILTER (WHERE pop_p.end_date BETWEEN %(start)s AND %(end)s AND pop_p.exit_reason IN "
        f'{reasons}) AS "exit_{key}__num", COUNT(*) FILTER (WHERE pop_p.end_date BETWEEN %(start)s '
        f'AND %(end)s) AS "exit_{key}__den"'
        for key, reasons in EXIT_SQL.items()
    )
    sql = f"""
WITH pop AS (
    SELECT DISTINCT ON (e.student_id) e.student_id, e.start_date, e.end_date, e.exit_reason,
           e.programme_id, e.school_unit_id
    FROM enrolments_enrolment e
    WHERE e.start_date <= %(end)s AND (e.end_date IS NULL OR e.end_date >= %(start)s) {units}
    ORDER BY e.student_id, e.start_date DESC, e.id DESC
), pop_p AS (
    SELECT pop.* FROM pop JOIN organisations_programme pr ON pr.id = pop.programme_id
    WHERE TRUE {programme}
{sources}), period AS (
    SELECT {d[0]} AS d1, {d[1]} AS d2,
        COUNT(*) AS "students__num",
        COUNT(*) FILTER (WHERE s.first_school_start_in_sweden <= %(end)s
                         AND s.first_school_start_in_sweden > %(na_from)s) AS "newly_arrived__num",
        COUNT(*) AS "newly_arrived__den",
        COUNT(*) FILTER (WHERE im.merit_value = 0) AS "zero_merit__num",
        COUNT(*) FILTER (WHERE im.merit_value IS NOT NULL) AS "zero_merit__den",
        SUM(att.present) AS "attendance__num",
        SUM(att.sched) AS "attendance__den",
        COUNT(att.student_id) AS "attendance__base",
        COUNT(*) FILTER (WHERE prog.has_progress AND prog.moved) AS "moved_step__num",
        COUNT(*) FILTER (WHERE prog.has_progress) AS "moved_step__den",
        COUNT(*) FILTER (WHERE prog.assessed AND NOT prog.behind) AS "in_line__num",
        COUNT(*) FILTER (WHERE prog.assessed) AS "in_line__den",
        COUNT(passed.student_id) AS "grades_earned__num",
        COUNT(*) AS "grades_earned__den",
        SUM(goals.met) AS "plan_goals_met__num",
        SUM(goals.due) AS "plan_goals_met__den",
        COUNT(*) FILTER (WHERE goals.due > 0) AS "plan_goals_met__base",
        COUNT(*) FILTER (WHERE pop_p.start_date BETWEEN %(start)s AND %(day)s
                         AND plan.created_at::date - pop_p.start_date <= 28) AS "plan_in_time__num",
        COUNT(*) FILTER (WHERE pop_p.start_date BETWEEN %(start)s AND %(day)s) AS "plan_in_time__den",
        COUNT(*) FILTER (WHERE plan.reviewed
                         AND (plan.created_at AT TIME ZONE 'Europe/Stockholm')::date <= %(day)s)
            AS "plan_reviewed__num",
        COUNT(*) FILTER (WHERE (plan.created_at AT TIME ZONE 'Europe/Stockholm')::date <= %(day)s)
            AS "plan_reviewed__den",
        {exits}
    FROM pop_p
    JOIN people_student s ON s.id = pop_p.student_id
    JOIN organisations_programme pr ON pr.id = pop_p.programme_id
    LEFT JOIN intake_intakemapping im ON im.student_id = s.id
    LEFT JOIN att ON att.student_id = s.id
    LEFT JOIN prog ON prog.student_id = s.id
    LEFT JOIN passed ON passed.student_id = s.id
    LEFT JOIN goals ON goals.student_id = s.id
    LEFT JOIN plan ON plan.student_id = s.id
    GROUP BY 1, 2
), firsts AS (
    SELECT * FROM (
        SELECT DISTINCT ON (e.student_id) e.student_id, e.start_date, e.programme_id, e.school_unit_id
        FROM enrolments_enrolment e ORDER BY e.student_id, e.start_date, e.id
    ) f0 WHERE TRUE {units.replace("e.school_unit_id", "f0.school_unit_id")}
), cohorts AS (
    {" UNION ALL ".join(cohort_parts)}
), transfers AS (
    SELECT student_id, MIN(end_date) AS first_transfer FROM enrolments_enrolment
    WHERE exit_reason = 'national_programme' GROUP BY student_id
), cohort AS (
    SELECT {d[0]} AS d1, {d[1]} AS d2,
        {
        ", ".join(
            f'COUNT(*) FILTER (WHERE c.n = {n} AND t.first_transfer <= %(c{n}_bound)s) AS "transfer_{n}y__num", '
            f'COUNT(*) FILTER (WHERE c.n = {n}) AS "transfer_{n}y__den"'
            for n in (1, 2, 3)
        )
    }
    FROM cohorts c
    JOIN people_student s ON s.id = c.student_id
    JOIN organisations_programme pr ON pr.id = c.programme_id
    LEFT JOIN transfers t ON t.student_id = c.student_id
    WHERE TRUE {programme}
    GROUP BY 1, 2
)
SELECT * FROM period FULL OUTER JOIN cohort USING (d1, d2)
"""
    return sql, params


def run_hand_sql(req: ReportRequest, *, over_facts: bool = False) -> dict[tuple[str, str], dict]:
    sql, params = hand_sql(req, over_facts=over_facts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    return {(r[0], r[1]): dict(zip(names, r, strict=True)) for r in rows}


def orm_raw(req: ReportRequest) -> dict[tuple[str, str], dict]:
    """The unsuppressed group figures the application computes, keyed like the SQL's columns."""
    result: dict[tuple[str, str], dict] = {}
    for indicator_id, cells in report_cells(req).items():
        for key, cell in cells.items():
            row = result.setdefault(key, {})
            for part, value in cell.items():
                row[f"{indicator_id}__{part}"] = value
    return result


def agree(a: dict, b: dict) -> bool:
    for key in set(a) | set(b):
        ra, rb = a.get(key, {}), b.get(key, {})
        for name in set(ra) | set(rb):
            if name in ("d1", "d2") or name.split("__")[0] not in COVERED:
                continue
            va, vb = float(ra.get(name) or 0), float(rb.get(name) or 0)
            if abs(va - vb) > 1e-6:
                return False
    return True


def timed(fn: Callable[[], object], repeat: int = 3, warm: bool = True) -> float:
    if warm:
        fn()  # warm the caches once
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def cpu_timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """The application's own CPU time (median, ms): what a page costs in Python, whatever the
    machine's load; the database's work is not in it."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


def forget_kept_work() -> None:
    """Drop the compiled report queries and kept suppression patterns: the next page is a first view."""
    forget_patterns()
    for wrapper in connections.all():
        getattr(wrapper, "_studievag_compiled", {}).clear()


@functools.lru_cache(maxsize=1)
def _national_values() -> tuple[Family, dict]:
    """The family's cells with counts, a twentieth of them small (built once, outside the timing)."""
    family = Family(national_family())
    rng = random.Random(1)
    values = {}
    for cube in family.cubes:
        axes = []
        for k, d in enumerate(family.dims):
            if k not in cube:
                axes.append([TOTAL])
            elif k in family.fixed(cube):
                axes.append([m for m in d.members if any(family.parent.get(c) == (k, m) for c in cube)])
            else:
                axes.append(list(d.members))
        for cell in itertools.product(*axes):
            values[cell] = 3 if rng.random() < 0.05 else rng.randint(5, 400)
    return family, values


def national_family_cells() -> int:
    return len(_national_values()[1])


def protect_national_family() -> None:
    """The method itself (:func:`compute`, no kept patterns) on the largest family at national size."""
    family, values = _national_values()
    compute(family, values, Thresholds(), Kind.COUNT)


def machine_lines() -> list[str]:
    cores = os.cpu_count() or 0
    memory_gb = 0.0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    memory_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    return [
        f"machine_cores: {cores} cores",
        f"machine_memory: {memory_gb:.1f} GB",
        f"postgresql_version: {version} version",
        load_line("machine_load_start"),
    ]


def load_line(name: str) -> str:
    """The machine's one-minute load average: on a shared machine, what the times mean."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return f"{name}: - load"
    return f"{name}: {load:.1f} load"


# The indicators the hand-written query computes. Indicators added later by other
# areas (organisational aspects, staff development, the student survey) are
# timed with their pages (``page_report_*``) but have no hand-written twin yet.
COVERED = (
    "students",
    "newly_arrived",
    "zero_merit",
    "attendance",
    "moved_step",
    "in_line",
    "grades_earned",
    "plan_goals_met",
    "plan_in_time",
    "plan_reviewed",
    *(f"exit_{key}" for key in EXIT_SQL),
    *(f"transfer_{n}y" for n in (1, 2, 3)),
)


def request_for(period: Period, unit_ids, dims, today) -> ReportRequest:
    """A report of the indicators the hand-written query also computes."""
    return ReportRequest(
        period=period, unit_ids=unit_ids, thresholds=Thresholds(), dims=dims, today=today, indicator_ids=COVERED
    )


@dataclass(frozen=True)
class LinkedCase:
    """The largest organiser (by current students), its largest school unit and its region."""

    organiser_id: int
    units: list[int]
    unit_id: int
    region_id: int
    region_units: list[int]
    region_organisers: int


def largest_organiser(today: datetime.date) -> LinkedCase:
    current = Enrolment.objects.active_on(today)
    organiser_id = (
        current.values("school_unit__organiser_id").annotate(n=Count("pk")).order_by("-n", "school_unit__organiser_id")
    ).first()["school_unit__organiser_id"]
    unit_id = (
        current.filter(school_unit__organiser_id=organiser_id)
        .values("school_unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "school_unit_id")
        .first()["school_unit_id"]
    )
    region_id = Organiser.objects.get(pk=organiser_id).region_id
    upper = SchoolUnit.objects.filter(school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
    return LinkedCase(
        organiser_id=organiser_id,
        units=list(upper.filter(organiser_id=organiser_id).values_list("pk", flat=True)),
        unit_id=unit_id,
        region_id=region_id,
        region_units=list(upper.filter(organiser__region_id=region_id).values_list("pk", flat=True)),
        region_organisers=Organiser.objects.filter(region_id=region_id).count(),
    )


def linked_users(case: LinkedCase, today: datetime.date) -> dict:
    """The organiser's analyst and the region's coordinator (created once, kept in the bench database)."""
    since = today - datetime.timedelta(days=365)
    analyst, _ = User.objects.get_or_create(username="bench.linked.analyst", defaults={"first_name": "Bench"})
    RoleAssignment.objects.get_or_create(
        user=analyst, role=Role.ORGANISER_ANALYST, organiser_id=case.organiser_id, defaults={"valid_from": since}
    )
    coordinator, _ = User.objects.get_or_create(username="bench.linked.coordinator", defaults={"first_name": "Bench"})
    RoleAssignment.objects.get_or_create(
        user=coordinator, role=Role.REGIONAL_COORDINATOR, region_id=case.region_id, defaults={"valid_from": since}
    )
    return {"analyst": analyst, "coordinator": coordinator}
