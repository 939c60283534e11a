"""``manage.py bench --scale N``: the national benchmark, one figure a line (``name: value unit``)."""

import datetime
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from studievag.benchmark import bench
from studievag.benchmark.national import generate, rows_per_table
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.people.models import Student
from studievag.quality.facts import facts_refresh
from studievag.quality.periods import term_of
from studievag.quality.selectors import run_report

TEAM_SQL = """
WITH members AS (
    SELECT m.student_id FROM enrolments_groupmembership m
    WHERE m.group_id = %(team)s AND m.start_date <= %(day)s
      AND (m.end_date IS NULL OR m.end_date >= %(day)s)
), courses AS (
    SELECT m.student_id, g.course_id, m.start_date
    FROM enrolments_groupmembership m JOIN enrolments_studentgroup g ON g.id = m.group_id
    WHERE m.student_id IN (SELECT student_id FROM members) AND g.kind = 'course_group'
      AND m.start_date <= %(day)s AND (m.end_date IS NULL OR m.end_date >= %(day)s)
), latest AS (
    SELECT DISTINCT ON (r.student_id, r.course_id) r.student_id, r.course_id, r.recorded_on,
           st.position, st.colour
    FROM progress_progressrecord r JOIN progress_progressionstep st ON st.id = r.step_id
    WHERE r.student_id IN (SELECT student_id FROM members) AND r.recorded_on <= %(day)s
    ORDER BY r.student_id, r.course_id, r.recorded_on DESC
), firsts AS (
    SELECT DISTINCT ON (r.student_id, r.course_id) r.student_id, r.course_id, r.recorded_on,
           st.position
    FROM progress_progressrecord r JOIN progress_progressionstep st ON st.id = r.step_id
    WHERE r.student_id IN (SELECT student_id FROM members)
    ORDER BY r.student_id, r.course_id, r.recorded_on
), att AS (
    SELECT a.student_id, SUM(a.scheduled_minutes) AS sched,
           SUM(a.scheduled_minutes - a.valid_absence_minutes - a.invalid_absence_minutes) AS present
    FROM progress_attendanceweek a
    WHERE a.student_id IN (SELECT student_id FROM members)
      AND a.week_start >= %(since)s AND a.week_start < %(monday)s
    GROUP BY a.student_id
), review AS (
    SELECT pl.student_id, pl.created_at, MAX(rv.held_on) AS last_review,
           COUNT(g.id) FILTER (WHERE g.status IN ('planned', 'in_progress')
                               AND g.target_date < %(day)s) AS overdue
    FROM plans_plan pl LEFT JOIN plans_planreview rv ON rv.plan_id = pl.id
    LEFT JOIN plans_plangoal g ON g.plan_id = pl.id
    WHERE pl.student_id IN (SELECT student_id FROM members)
    GROUP BY pl.student_id, pl.created_at
)
SELECT s.id, s.first_name, s.last_name, c.course_id, c.start_date, l.position, l.colour,
       l.recorded_on, f.position, f.recorded_on, att.sched, att.present, review.last_review,
       review.created_at, review.overdue
FROM people_student s
JOIN members ON members.student_id = s.id
LEFT JOIN courses c ON c.student_id = s.id
LEFT JOIN latest l ON l.student_id = s.id AND l.course_id = c.course_id
LEFT JOIN firsts f ON f.student_id = s.id AND f.course_id = c.course_id
LEFT JOIN att ON att.student_id = s.id
LEFT JOIN review ON review.student_id = s.id
ORDER BY s.last_name, s.first_name, s.id
"""


class Command(BaseCommand):
    help = "Benchmark the group-level reports (and the team overview) on a national data set."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=60000, help="Current students.")
        parser.add_argument("--seed", type=int, default=1)

    def line(self, name: str, value, unit: str) -> None:
        self.stdout.write(f"{name}: {value} {unit}")

    def handle(self, *args, scale, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            # Room for the hand-written queries' window sorts; the application's
            # own queries need far less. Stated here so the numbers can be repeated.
            cursor.execute("SET work_mem = '128MB'")
        today = timezone.localdate()
        current = Enrolment.objects.active_on(today).values("student_id").distinct().count()
        if abs(current - scale) > 0.1 * scale:
            if Student.objects.exists():
                raise CommandError(
                    f"The database holds {current} current students, not about {scale}. Use an "
                    "empty database for the benchmark (e.g. …/studievag_bench)."
                )
            self.stderr.write(f"Generating the national data set ({scale} current students) …")
            t0 = time.monotonic()
            generate(students=scale, seed=seed, today=today, log=self.stderr.write)
            self.line("dataset_generation", round(time.monotonic() - t0), "s")
            current = Enrolment.objects.active_on(today).values("student_id").distinct().count()

        for text in bench.machine_lines():
            self.stdout.write(text)
        self.line("dataset_students", current, "students")
        self.line("dataset_organisers", Organiser.objects.count(), "organisers")
        self.line("dataset_school_units", SchoolUnit.objects.count(), "school_units")
        for table, n in rows_per_table().items():
            self.line(f"dataset_{table}", n, "rows")

        period = term_of(today)
        # The per-student facts of the term, as the nightly refresh (or the first
        # report of the day) computes them; the reports below then join them.
        t0 = time.perf_counter()
        status = facts_refresh(period, today=today)
        self.line("facts_refresh_term_ms", round((time.perf_counter() - t0) * 1000), "ms")
        self.line("facts_refresh_term_students", status.students, "students")
        by_organiser = (
            Enrolment.objects.active_on(today)
            .values("school_unit__organiser_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        organiser_id = by_organiser["school_unit__organiser_id"]
        organiser_units = list(SchoolUnit.objects.filter(organiser_id=organiser_id).values_list("pk", flat=True))
        unit_id = (
            Enrolment.objects.active_on(today)
            .values("school_unit_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()["school_unit_id"]
        )
        cases = [
            ("report_national_2way", None, ("gender", "background")),
            ("report_organiser", organiser_units, ("programme", "gender")),
            ("report_school_unit", [unit_id], ("gender",)),
        ]
        for name, units, dims in reversed(cases):  # smallest first
            req = bench.request_for(period, units, dims, today)
            orm_ms = bench.timed(lambda req=req: run_report(req))
            # The query over the source tables runs once (it is slow nationally), timed,
            # and its figures are compared with the application's below.
            t0 = time.perf_counter()
            hand = bench.run_hand_sql(req)
            sql_ms = (time.perf_counter() - t0) * 1000
            self.line(f"{name}_ms", round(orm_ms), "ms")
            self.line(f"{name}_sql_ms", round(sql_ms), "ms")
            self.line(f"{name}_vs_sql", f"{orm_ms / sql_ms:.1f}", "x")
            # The same hand-written query reading the per-student facts, as the application does.
            facts_ms = bench.timed(lambda req=req: bench.run_hand_sql(req, over_facts=True))
            self.line(f"{name}_sql_facts_ms", round(facts_ms), "ms")
            self.line(f"{name}_vs_sql_facts", f"{orm_ms / facts_ms:.1f}", "x")
            same = bench.agree(bench.orm_raw(req), hand)
            self.line(f"{name}_same_figures", 1 if same else 0, "bool")
        self.team_overview(today)

    def team_overview(self, today: datetime.date) -> None:
        from django.apps import apps

        if not apps.is_installed("studievag.progress"):
            return
        from django.contrib.auth.models import User

        from studievag.access.models import Role, RoleAssignment
        from studievag.enrolments.models import StudentGroup
        from studievag.progress.selectors import Team, team_overview

        group = (
            StudentGroup.objects.filter(kind=StudentGroup.Kind.WORK_TEAM)
            .annotate(n=Count("memberships"))
            .filter(n__lte=30)
            .select_related("school_unit")
            .order_by("-n", "pk")
            .first()
        )
        if group is None:
            return
        user, _ = User.objects.get_or_create(username="bench.principal", defaults={"first_name": "Bench"})
        RoleAssignment.objects.get_or_create(
            user=user,
            role=Role.PRINCIPAL,
            school_unit=group.school_unit,
            defaults={"valid_from": today - datetime.timedelta(days=365)},
        )
        team = Team("group", group.pk, group.name, group.school_unit)

        def orm():
            user.__dict__.pop("_studievag_grants", None)
            overview = team_overview(user, team, on=today)
            assert len(overview.rows) == group.n, len(overview.rows)

        monday = today - datetime.timedelta(days=today.weekday())
        params = {"team": group.pk, "day": today, "monday": monday, "since": monday - datetime.timedelta(weeks=4)}

        def sql():
            with connection.cursor() as cursor:
                cursor.execute(TEAM_SQL, params)
                cursor.fetchall()

        self.line("team_overview_students", group.n, "students")
        orm_ms, sql_ms = bench.timed(orm), bench.timed(sql)
        self.line("team_overview_30_ms", round(orm_ms), "ms")
        self.line("team_overview_30_sql_ms", round(sql_ms), "ms")
        self.line("team_overview_30_vs_sql", f"{orm_ms / sql_ms:.1f}", "x")
