"""``manage.py bench --scale N``: the national benchmark, one figure a line (``name: value unit``).

In order: the data set (generated when missing), the facts refresh (the
whole job, a term from scratch, a normal day's changes incrementally), each
report against hand-written SQL over the same facts and over the source
tables, every staff page's server time, the team overview page against its
hand-written SQL, a report PDF, and a bounded load test on loopback against
gunicorn with production settings.
"""

import datetime
import logging
import os
import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from studievag.access.models import Role, RoleAssignment
from studievag.benchmark import bench, load
from studievag.benchmark import surveys as bench_surveys
from studievag.benchmark.national import generate, rows_per_table
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.people.models import Student
from studievag.progress.models import AttendanceWeek
from studievag.quality.facts import facts_refresh, offered_periods, refresh_offered_periods
from studievag.quality.linked import Node, linked_report, scope_tree
from studievag.quality.models import PeriodFactsStatus, ReportPdf, StudentPeriodFacts
from studievag.quality.periods import school_year_of, term_of
from studievag.quality.selectors import run_report
from studievag.quality.tasks import facts_refresh_task, report_pdf_task

# The team overview's facts in one hand-written query: per student and course, the
# first and latest step, the starting level mapped at intake, the goal step, the
# planned term and the grade; per student the current enrolment's start and end and
# its organiser's thresholds (follow-up and plan settings, which the rules apply),
# attendance for each of the last eight weeks, the plan's creation, last review and
# overdue goals, and the latest team decision. The page shows all of these (and runs
# the rules on them).
TEAM_SQL = """
WITH members AS (
    SELECT m.student_id FROM enrolments_groupmembership m
    WHERE m.group_id = %(team)s AND m.start_date <= %(day)s
      AND (m.end_date IS NULL OR m.end_date >= %(day)s)
), courses AS (
    SELECT m.student_id, g.course_id, c.subject_id, m.start_date
    FROM enrolments_groupmembership m JOIN enrolments_studentgroup g ON g.id = m.group_id
    JOIN catalogue_course c ON c.id = g.course_id
    WHERE m.student_id IN (SELECT student_id FROM members) AND g.kind = 'course_group'
      AND m.start_date <= %(day)s AND (m.end_date IS NULL OR m.end_date >= %(day)s)
), latest AS (
    SELECT DISTINCT ON (r.student_id, r.course_id) r.student_id, r.course_id, r.recorded_on,
           st.position, st.colour, st.scale_id
    FROM progress_progressrecord r JOIN progress_progressionstep st ON st.id = r.step_id
    WHERE r.student_id IN (SELECT student_id FROM members) AND r.recorded_on <= %(day)s
    ORDER BY r.student_id, r.course_id, r.recorded_on DESC
), firsts AS (
    SELECT DISTINCT ON (r.student_id, r.course_id) r.student_id, r.course_id, r.recorded_on,
           st.position
    FROM progress_progressrecord r JOIN progress_progressionstep st ON st.id = r.step_id
    WHERE r.student_id IN (SELECT student_id FROM members) AND r.recorded_on <= %(day)s
    ORDER BY r.student_id, r.course_id, r.recorded_on
), starting AS (
    SELECT im.student_id, sl.subject_id, st.position
    FROM intake_intakemapping im JOIN intake_startinglevel sl ON sl.mapping_id = im.id
    JOIN progress_progressionstep st ON st.id = sl.step_id
    WHERE im.student_id IN (SELECT student_id FROM members)
), grades AS (
    SELECT DISTINCT ON (gr.student_id, gr.course_id) gr.student_id, gr.course_id, gr.grade
    FROM progress_graderecord gr
    WHERE gr.student_id IN (SELECT student_id FROM members) AND gr.awarded_on <= %(day)s
    ORDER BY gr.student_id, gr.course_id, gr.awarded_on DESC, gr.id DESC
), terms AS (
    SELECT pl.student_id, pc.course_id, pc.term
    FROM plans_plan pl JOIN plans_plancourse pc ON pc.plan_id = pl.id
    WHERE pl.student_id IN (SELECT student_id FROM members) AND pc.term <> ''
), enrolment AS (
    SELECT DISTINCT ON (e.student_id) e.student_id, e.start_date, e.end_date, u.organiser_id
    FROM enrolments_enrolment e JOIN organisations_schoolunit u ON u.id = e.school_unit_id
    WHERE e.student_id IN (SELECT student_id FROM members)
    ORDER BY e.student_id, (e.start_date <= %(day)s AND (e.end_date IS NULL OR e.end_date >= %(day)s)) DESC,
             e.start_date DESC, e.id DESC
), weeks AS (
    SELECT a.student_id, a.week_start, SUM(a.scheduled_minutes) AS sched,
           SUM(a.scheduled_minutes - a.valid_absence_minutes - a.invalid_absence_minutes) AS present
    FROM progress_attendanceweek a
    WHERE a.student_id IN (SELECT student_id FROM members)
      AND a.week_start >= %(since)s AND a.week_start < %(monday)s
    GROUP BY a.student_id, a.week_start
), att AS (
    SELECT student_id, array_agg(week_start ORDER BY week_start) AS weeks,
           array_agg(sched ORDER BY week_start) AS sched, array_agg(present ORDER BY week_start) AS present
    FROM weeks GROUP BY student_id
), review AS (
    SELECT pl.student_id, pl.created_at,
           (SELECT MAX(rv.held_on) FROM plans_planreview rv
            WHERE rv.plan_id = pl.id AND rv.held_on <= %(day)s) AS last_review,
           (SELECT array_agg(g.title || ' ' || g.target_date ORDER BY g.target_date, g.id)
            FROM plans_plangoal g WHERE g.plan_id = pl.id AND g.status IN ('planned', 'in_progress')
              AND g.target_date < %(day)s) AS overdue
    FROM plans_plan pl
    WHERE pl.student_id IN (SELECT student_id FROM members)
), decision AS (
    SELECT DISTINCT ON (d.student_id) d.student_id, d.decided_on, d.kind, d.text
    FROM progress_teamdecision d
    WHERE d.student_id IN (SELECT student_id FROM members)
    ORDER BY d.student_id, d.decided_on DESC, d.id DESC
)
SELECT s.id, s.first_name, s.last_name, c.course_id, c.start_date, l.position, l.colour,
       (SELECT g.position FROM progress_progressionstep g WHERE g.scale_id = l.scale_id
        ORDER BY g.is_goal DESC, g.position DESC LIMIT 1) AS goal,
       l.recorded_on, f.position, f.recorded_on, sl.position, gr.grade, t.term, en.start_date, en.end_date,
       en.organiser_id, fs.behind_steps, fs.far_behind_steps, fs.default_course_weeks, fs.attendance_percent,
       fs.attendance_weeks, fs.no_progress_weeks, ps.review_interval_days, ps.plan_deadline_weeks,
       att.weeks, att.sched, att.present, review.created_at, review.last_review,
       review.overdue, decision.decided_on, decision.kind, decision.text
FROM people_student s
JOIN members ON members.student_id = s.id
LEFT JOIN courses c ON c.student_id = s.id
LEFT JOIN latest l ON l.student_id = s.id AND l.course_id = c.course_id
LEFT JOIN firsts f ON f.student_id = s.id AND f.course_id = c.course_id
LEFT JOIN starting sl ON sl.student_id = s.id AND sl.subject_id = c.subject_id
LEFT JOIN grades gr ON gr.student_id = s.id AND gr.course_id = c.course_id
LEFT JOIN terms t ON t.student_id = s.id AND t.course_id = c.course_id
LEFT JOIN enrolment en ON en.student_id = s.id
LEFT JOIN progress_followupsettings fs ON fs.organiser_id = en.organiser_id
LEFT JOIN plans_plansettings ps ON ps.organiser_id = en.organiser_id
LEFT JOIN att ON att.student_id = s.id
LEFT JOIN review ON review.student_id = s.id
LEFT JOIN decision ON decision.student_id = s.id
ORDER BY s.last_name, s.first_name, s.id
"""


BASE = Path(settings.BASE_DIR)


def ms(seconds: float) -> int:
    return round(seconds * 1000)


class Command(BaseCommand):
    help = "Benchmark the facts refresh, the reports, the staff pages and a load test on a national data set."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=60000, help="Current students.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--only", choices=["surveys"], default="", help="Time one part only (the data set must exist)."
        )
        parser.add_argument("--load-seconds", type=float, default=30.0, help="Length of each load-test mix.")
        parser.add_argument("--clients", type=int, default=12, help="Concurrent load-test clients.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for the load test.")
        parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker (gthread).")
        parser.add_argument("--skip-load", action="store_true")
        parser.add_argument(
            "--sections",
            default="facts,surveys,reports,linked,pages,load",
            help="Comma-separated parts to run: facts, surveys, reports, linked, pages, load (default: all).",
        )
        parser.add_argument("--skip-source-sql", action="store_true", help="Skip the slow SQL over source tables.")

    def line(self, name: str, value, unit: str) -> None:
        self.stdout.write(f"{name}: {value} {unit}")
        self.stdout.flush()

    def handle(self, *args, scale, seed, only, **options):
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            # Room for the hand-written queries' window sorts; the application's
            # own queries need far less. Stated here so the numbers can be repeated.
            cursor.execute("SET work_mem = '128MB'")
        today = timezone.localdate()
        current = self.dataset(scale, seed, today)
        for text in bench.machine_lines():
            self.stdout.write(text)
        if only == "surveys":
            self.surveys(today, seed)
            return
        self.line("dataset_students", current, "students")
        self.line("dataset_organisers", Organiser.objects.count(), "organisers")
        self.line("dataset_school_units", SchoolUnit.objects.count(), "school_units")
        for table, n in rows_per_table().items():
            self.line(f"dataset_{table}", n, "rows")
        sections = set(options["sections"].split(","))
        if "facts" in sections:
            self.facts(today)
        if "surveys" in sections:
            self.surveys(today, seed)
        if "reports" in sections:
            self.reports(today, source_sql=not options["skip_source_sql"])
        if "linked" in sections:
            if settings.DEBUG:
                self.stderr.write("DEBUG is on: page times include Django's debug overhead (make bench turns it off).")
            else:
                load.collect_static(BASE)
            self.linked(today)
        users = self.users(today)
        if "pages" in sections:
            if settings.DEBUG:
                self.stderr.write("DEBUG is on: page times include Django's debug overhead (make bench turns it off).")
            else:
                load.collect_static(BASE)
            self.pages(today, users)
        if "load" in sections and not options["skip_load"]:
            self.load_test(users, options)
        self.stdout.write(bench.load_line("machine_load_end"))

    # --- data set ----------------------------------------------------------------------
    def dataset(self, scale: int, seed: int, today: datetime.date) -> int:
        current = Enrolment.objects.active_on(today).values("student_id").distinct().count()
        if abs(current - scale) > 0.1 * scale:
            if Student.objects.exists():
                raise CommandError(
                    f"The database holds {current} current students, not about {scale}. Use an "
                    "empty database for the benchmark (BENCH_URL=…/studievag_bench_small)."
                )
            self.stderr.write(f"Generating the national data set ({scale} current students) …")
            t0 = time.monotonic()
            generate(students=scale, seed=seed, today=today, log=self.stderr.write)
            self.line("dataset_generation", round(time.monotonic() - t0), "s")
            current = Enrolment.objects.active_on(today).values("student_id").distinct().count()
        return current

    # --- facts refresh -----------------------------------------------------------------
    def facts(self, today: datetime.date) -> None:
        """The background job: every offered period, a term from scratch, then a day's changes."""
        periods = offered_periods(today)
        self.line("facts_periods", len(periods), "periods")
        t0 = time.perf_counter()
        facts_refresh_task.call()  # brings every period up to date (full where none yet)
        self.line("facts_refresh_job_catch_up_ms", ms(time.perf_counter() - t0), "ms")

        period = term_of(today)
        StudentPeriodFacts.objects.filter(period=period.code).delete()
        PeriodFactsStatus.objects.filter(period=period.code).delete()
        t0 = time.perf_counter()
        result = facts_refresh(period, today=today)
        self.line("facts_refresh_term_full_ms", ms(time.perf_counter() - t0), "ms")
        self.line("facts_refresh_term_full_students", result.students, "students")
        year = school_year_of(today)
        t0 = time.perf_counter()
        result = facts_refresh(year, today=today)
        self.line("facts_refresh_school_year_full_ms", ms(time.perf_counter() - t0), "ms")

        changed = self.a_days_changes(today, share=0.05)
        self.line("facts_day_changes_students", changed, "students")
        t0 = time.perf_counter()
        results = refresh_offered_periods(today=today)
        self.line("facts_refresh_incremental_ms", ms(time.perf_counter() - t0), "ms")
        self.line("facts_refresh_incremental_full_periods", sum(r.full for r in results), "periods")
        self.line("facts_refresh_incremental_rows", sum(r.students for r in results if not r.full), "rows")

    def a_days_changes(self, today: datetime.date, share: float) -> int:
        """A normal day: teachers and mentors record attendance for ``share`` of the current students."""
        students = list(
            Enrolment.objects.active_on(today).values_list("student_id", flat=True).distinct().order_by("student_id")
        )
        chosen = random.Random(today.toordinal()).sample(students, round(len(students) * share))
        latest = (
            AttendanceWeek.objects.filter(student_id__in=chosen)
            .values("student_id")
            .annotate(week=Max("week_start"))
            .values_list("student_id", "week")
        )
        now = timezone.now()
        with connection.cursor() as cursor:
            for student_id, week in latest:
                cursor.execute(
                    "UPDATE progress_attendanceweek SET invalid_absence_minutes = "
                    "LEAST(scheduled_minutes - valid_absence_minutes, invalid_absence_minutes + 10), "
                    "recorded_at = %s WHERE student_id = %s AND week_start = %s",
                    [now, student_id, week],
                )
        return len(chosen)

    # --- reports -----------------------------------------------------------------------
    def reports(self, today: datetime.date, *, source_sql: bool) -> None:
        period = term_of(today)
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
            self.line(f"{name}_ms", round(orm_ms), "ms")
            # The same hand-written query reading the per-student facts, as the application does.
            facts_ms = bench.timed(lambda req=req: bench.run_hand_sql(req, over_facts=True))
            self.line(f"{name}_sql_facts_ms", round(facts_ms), "ms")
            self.line(f"{name}_vs_sql_facts", f"{orm_ms / facts_ms:.1f}", "x")
            if source_sql:
                # Over the source tables once (slow nationally), and the figures compared.
                t0 = time.perf_counter()
                hand = bench.run_hand_sql(req)
                sql_ms = (time.perf_counter() - t0) * 1000
                self.line(f"{name}_sql_source_ms", round(sql_ms), "ms")
                same = bench.agree(bench.orm_raw(req), hand)
                self.line(f"{name}_same_figures", 1 if same else 0, "bool")

    def linked(self, today: datetime.date) -> None:
        """The reports as a person opens them: every table they are linked to protected together.

        The largest organiser's analyst opens the organiser and its largest school unit, its
        region's coordinator the region; each page's figures (``report_linked_*``: the
        indicators the hand-written query also computes, without the trend) beside that one
        table's hand-written query over the facts, and the whole page (``page_linked_*``:
        every indicator, the trend, the template) as the person gets it.
        """
        period = term_of(today)
        case = bench.largest_organiser(today)
        users = bench.linked_users(case, today)
        self.line("linked_organiser_school_units", len(case.units), "school_units")
        self.line("linked_region_organisers", case.region_organisers, "organisers")
        analyst, coordinator = users["analyst"], users["coordinator"]
        cases = [
            ("organiser", analyst, Node("organiser", case.organiser_id), case.units, ("programme", "gender")),
            ("unit_in_organiser", analyst, Node("unit", case.unit_id), [case.unit_id], ("gender",)),
            ("region", coordinator, Node("region", case.region_id), case.region_units, ("gender", "background")),
        ]
        for name, user, node, units, dims in cases:
            tree = scope_tree(user)

            def figures(tree=tree, node=node, dims=dims):
                return linked_report(tree, node, period, dims=dims, indicator_ids=bench.COVERED, today=today)

            bench.forget_kept_work()
            cold_ms = bench.timed(figures, repeat=1, warm=False)
            self.line(f"report_linked_{name}_first_ms", round(cold_ms), "ms")
            app_ms = bench.timed(figures)
            self.line(f"report_linked_{name}_ms", round(app_ms), "ms")
            req = bench.request_for(period, units, dims, today)
            sql_ms = bench.timed(lambda req=req: bench.run_hand_sql(req, over_facts=True))
            self.line(f"report_linked_{name}_sql_facts_ms", round(sql_ms), "ms")
            self.line(f"report_linked_{name}_vs_sql_facts", f"{app_ms / sql_ms:.1f}", "x")
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            level = f"{node.kind}:{node.id}"
            path = f"{reverse('quality:report')}?level={level}&period={period.code}" + "".join(
                f"&dim{n}={d}" for n, d in enumerate(dims, start=1)
            )

            def get(client=client, path=path):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            bench.forget_kept_work()
            self.line(f"page_linked_{name}_first_ms", round(bench.timed(get, repeat=1, warm=False)), "ms")
            self.line(f"page_linked_{name}_ms", round(bench.timed(get, repeat=5)), "ms")
            cpu = bench.cpu_timed(get, repeat=5)
            self.line(f"page_linked_{name}_cpu_ms", round(cpu), "ms")
        # The protection alone on the largest family at national size (see disclosure.linked).
        self.line("disclosure_national_family_cells", bench.national_family_cells(), "cells")
        self.line("disclosure_national_family_ms", round(bench.timed(bench.protect_national_family)), "ms")

    def surveys(self, today: datetime.date, seed: int) -> None:
        """Part 3: a national survey wave (60,000 students) and its reports."""
        t0 = time.monotonic()
        written = bench_surveys.generate_wave(today=today, seed=seed, log=self.stderr.write)
        if written:
            self.line("survey_wave_generation", round(time.monotonic() - t0), "s")
        bench_surveys.lines(today=today, line=self.line)

    # --- users the pages are read as -------------------------------------------------------
    def users(self, today: datetime.date) -> dict:
        team = (
            StudentGroup.objects.filter(kind=StudentGroup.Kind.WORK_TEAM)
            .annotate(n=Count("memberships"))
            .filter(n__lte=30)
            .select_related("school_unit")
            .order_by("-n", "pk")
            .first()
        )
        since = today - datetime.timedelta(days=365)
        principal, _ = User.objects.get_or_create(username="bench.principal", defaults={"first_name": "Bench"})
        RoleAssignment.objects.get_or_create(
            user=principal, role=Role.PRINCIPAL, school_unit=team.school_unit, defaults={"valid_from": since}
        )
        organiser_id = team.school_unit.organiser_id
        analyst, _ = User.objects.get_or_create(username="bench.analyst", defaults={"first_name": "Bench"})
        RoleAssignment.objects.get_or_create(
            user=analyst, role=Role.ORGANISER_ANALYST, organiser_id=organiser_id, defaults={"valid_from": since}
        )
        student_id = (
            GroupMembership.objects.filter(group=team, start_date__lte=today)
            .order_by("student_id")
            .values_list("student_id", flat=True)
            .first()
        )
        unit = team.school_unit
        role_users = {"principal": principal}
        # The start page as each staff role at the team's school unit sees it: the mentor of
        # its largest mentor group, the teacher of its largest course group, the counsellor
        # and the student health team of the unit.
        for role, kind in (
            (Role.MENTOR, StudentGroup.Kind.MENTOR_GROUP),
            (Role.TEACHER, StudentGroup.Kind.COURSE_GROUP),
        ):
            group = (
                StudentGroup.objects.filter(school_unit=unit, kind=kind)
                .annotate(n=Count("memberships"))
                .order_by("-n", "pk")
                .first()
            )
            role_users[role] = self.role_user(f"bench.{role}", role, since, group=group)
        for role in (Role.COUNSELLOR, Role.STUDENT_HEALTH):
            role_users[role] = self.role_user(f"bench.{role}", role, since, school_unit=unit)
        # The principal of the school unit with the most current students: the longest worklist.
        largest = (
            Enrolment.objects.active_on(today)
            .values("school_unit_id")
            .annotate(n=Count("student_id", distinct=True))
            .order_by("-n", "school_unit_id")
            .first()
        )
        role_users["principal_largest"] = self.role_user(
            "bench.principal.largest", Role.PRINCIPAL, since, school_unit_id=largest["school_unit_id"]
        )
        return {
            "team": team,
            "principal": principal,
            "analyst": analyst,
            "student_id": student_id,
            "organiser_id": organiser_id,
            "unit_id": team.school_unit_id,
            "roles": role_users,
            "largest_unit_students": largest["n"],
        }

    def role_user(self, username: str, role: str, since: datetime.date, **scope) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": "Bench"})
        RoleAssignment.objects.get_or_create(user=user, role=role, **scope, defaults={"valid_from": since})
        return user

    def staff_pages(self, users: dict, today: datetime.date) -> dict[str, str]:
        s = users["student_id"]
        return {
            "home": reverse("core:home"),
            "student_list": reverse("people:student_list"),
            "student_record": reverse("people:student_detail", args=[s]),
            "student_plan": reverse("plans:plan_detail", args=[s]),
            "student_progress": reverse("progress:student", args=[s]),
            "team_overview": reverse("progress:team_group", args=[users["team"].pk]),
        }

    def report_pages(self, users: dict, today: datetime.date) -> dict[str, str]:
        url = reverse("quality:report")
        term = term_of(today).code
        return {
            "report_organiser": f"{url}?level=organiser:{users['organiser_id']}&period={term}",
            "report_organiser_gender": f"{url}?level=organiser:{users['organiser_id']}&period={term}&dim1=gender",
            "report_unit": f"{url}?level=unit:{users['unit_id']}&period={term}&dim1=gender&dim2=background",
        }

    # --- pages -------------------------------------------------------------------------
    def pages(self, today: datetime.date, users: dict) -> None:
        staff = Client(HTTP_HOST="127.0.0.1")
        staff.force_login(users["principal"])
        analyst = Client(HTTP_HOST="127.0.0.1")
        analyst.force_login(users["analyst"])

        def page_ms(client: Client, path: str) -> float:
            """The median of 9 views after 5 (a worker's steady state: the page's kept
            queries compiled and prepared on its connection, PostgreSQL's plans settled)."""

            def get():
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            for _ in range(4):
                get()
            return bench.timed(get, repeat=9)

        for name, path in self.staff_pages(users, today).items():
            self.line(f"page_{name}_ms", round(page_ms(staff, path)), "ms")
        for name, path in self.report_pages(users, today).items():
            self.line(f"page_{name}_ms", round(page_ms(analyst, path)), "ms")
        # The start page (``page_home_ms`` above is the principal's) for every other staff role
        # at the team's school unit, and for the principal of the school unit with the most
        # current students (the longest worklist: follow-up for every one of them).
        self.line("page_home_principal_largest_students", users["largest_unit_students"], "students")
        for role, user in users["roles"].items():
            if role == "principal":
                continue
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            self.line(f"page_home_{role}_ms", round(page_ms(client, reverse("core:home"))), "ms")

        team = users["team"]
        self.line("team_overview_students", team.n, "students")
        monday = today - datetime.timedelta(days=today.weekday())
        params = {"team": team.pk, "day": today, "monday": monday, "since": monday - datetime.timedelta(weeks=8)}

        def sql():
            with connection.cursor() as cursor:
                cursor.execute(TEAM_SQL, params)
                cursor.fetchall()

        def overview():
            response = staff.get(reverse("progress:team_group", args=[team.pk]))
            assert response.status_code == 200, response.status_code

        # As a worker serving the page again and again finds it: ten views first (its
        # connection has prepared the page's kept queries and PostgreSQL has settled on
        # their plans), then the page and the query one after the other, 15 times each,
        # so that both see the same moments of the machine's load; the medians.
        for _ in range(10):
            overview()
            sql()
        pages, sqls = [], []
        for _ in range(15):
            pages.append(bench.timed(overview, repeat=1, warm=False))
            sqls.append(bench.timed(sql, repeat=1, warm=False))
        page, sql_ms = statistics.median(pages), statistics.median(sqls)
        self.line("team_overview_sql_ms", f"{sql_ms:.1f}", "ms")
        self.line("team_overview_page_ms", f"{page:.1f}", "ms")
        self.line("team_overview_page_vs_sql", f"{page / sql_ms:.1f}", "x")

        # A report PDF: the request only records it (the page's cost); the worker renders it.
        query = self.report_pages(users, today)["report_organiser_gender"].split("?", 1)[1]
        export = reverse("quality:export", args=["pdf"]) + "?" + query

        def ask():
            response = analyst.get(export)
            assert response.status_code == 302, response.status_code

        self.line("report_pdf_request_ms", round(bench.timed(ask, repeat=5)), "ms")
        pdf_id = ReportPdf.objects.filter(requested_by=users["analyst"]).latest("requested_at").pk
        self.line("report_pdf_render_ms", round(bench.timed(lambda: report_pdf_task.call(str(pdf_id)))), "ms")

    # --- load test ---------------------------------------------------------------------
    def load_test(self, users: dict, options) -> None:
        today = timezone.localdate()
        cookies = {}
        for role in ("principal", "analyst"):
            client = Client()
            client.force_login(users[role])
            cookies[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        mixes = {
            "staff": [load.Target(n, p, cookies["principal"]) for n, p in self.staff_pages(users, today).items()],
            "reports": [load.Target(n, p, cookies["analyst"]) for n, p in self.report_pages(users, today).items()],
        }
        database_url = self.database_url()
        workers, threads, clients = options["workers"], options["threads"], options["clients"]
        self.line("load_gunicorn_workers", workers, "workers")
        self.line("load_gunicorn_threads", threads, "threads")
        self.line("load_clients", clients, "clients")
        with load.Gunicorn(
            secret_key=settings.SECRET_KEY, database_url=database_url, workers=workers, threads=threads, base=BASE
        ) as server:
            for name, targets in mixes.items():
                load.run(server.port, targets, clients=2, seconds=3, max_requests=40)  # warm the workers
                outcome = load.run(
                    server.port, targets, clients=clients, seconds=options["load_seconds"], max_requests=20000
                )
                self.line(f"load_{name}_requests", outcome.requests, "requests")
                self.line(f"load_{name}_rps", f"{outcome.per_second:.1f}", "req/s")
                self.line(f"load_{name}_p50_ms", round(outcome.p50), "ms")
                self.line(f"load_{name}_p95_ms", round(outcome.percentile(95)), "ms")
                self.line(f"load_{name}_p99_ms", round(outcome.percentile(99)), "ms")
                self.line(f"load_{name}_errors", outcome.errors, "errors")

    def database_url(self) -> str:
        return os.environ["DATABASE_URL"]
