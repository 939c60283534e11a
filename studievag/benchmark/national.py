"""A synthetic, country-sized data set for benchmarks: :func:`generate`.

≈290 organisers in 21 regions, ≈1,000 school units, five years of students
(the ``students`` argument is the number of *current* students, as in
Skolverket's statistics; with five years of history the total is about three
times that), enrolments with exits, mappings at intake, study plans with goals
and monthly reviews, progression records every two weeks and attendance every
school week per course, grades — tens of millions of rows at 60,000 students.

Everything comes from one ``random.Random(seed)`` and ``today``, so the same
arguments give the same data. Rows are written with PostgreSQL's ``COPY``
(psycopg 3 ``cursor.copy``) and with ``executemany`` on SQLite (tests use a
few hundred students). Identity numbers use birth numbers 980–999 (the test
series) with valid check digits while the dates allow; beyond that, numbers
with the impossible birth year 99xx: none can belong to a real person.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.demo.names import PROFILES
from studievag.demo.services import make_identity_number
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.intake.models import IntakeMapping
from studievag.organisations.models import Organiser, Programme, Region, SchoolUnit
from studievag.people.models import Student
from studievag.plans.models import Plan, PlanGoal, PlanReview
from studievag.progress.models import AttendanceWeek, GradeRecord, ProgressRecord
from studievag.scales.models import ProgressionScale

REGIONS = [
    "Stockholms län",
    "Uppsala län",
    "Södermanlands län",
    "Östergötlands län",
    "Jönköpings län",
    "Kronobergs län",
    "Kalmar län",
    "Gotlands län",
    "Blekinge län",
    "Skåne län",
    "Hallands län",
    "Västra Götalands län",
    "Värmlands län",
    "Örebro län",
    "Västmanlands län",
    "Dalarnas län",
    "Gävleborgs län",
    "Västernorrlands län",
    "Jämtlands län",
    "Västerbottens län",
    "Norrbottens län",
]
REGION_WEIGHTS = [24, 4, 3, 5, 4, 2, 2, 1, 2, 14, 3, 17, 3, 3, 3, 3, 3, 2, 1, 3, 2]
MUNICIPAL, INDEPENDENT = 250, 40
PROGRAMMES = [("IMS", 38), ("IMY", 27), ("IMV", 20), ("IMA", 15)]
# Days a student stays, by programme (uniform between the bounds).
STAY_DAYS = {"IMS": (200, 1150), "IMY": (150, 900), "IMV": (100, 600), "IMA": (150, 950)}
EXITS = [
    ("national_programme", 45),
    ("adult_education", 12),
    ("work", 6),
    ("moved", 8),
    ("another_school", 4),
    ("kaa", 5),
    ("dropped_out", 8),
    ("other", 2),
]
PARENTS = [("compulsory", 30), ("upper_secondary", 30), ("post_secondary", 20), ("unknown", 20)]
GOAL_KINDS = ["national_programme", "job", "adult_education", "course", "language"]
GRADES = ["A", "B", "C", "D", "E", "E", "E", "F", "F", "-"]
YEARS = 5


@dataclass
class Summary:
    students: int = 0
    current_students: int = 0
    organisers: int = 0
    school_units: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _installed(app: str) -> bool:

    return apps.is_installed(f"studievag.{app}")


# --- Writing rows -------------------------------------------------------------------------


class Sink:
    """COPY on PostgreSQL, executemany elsewhere; fills columns a row does not give."""

    def __init__(self, now: datetime.datetime):
        self.pg = connection.vendor == "postgresql"
        self.now = now
        self.counts: dict[str, int] = {}

    def _columns(self, model, given: list[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        extra = []
        for name, f in fields.items():
            if name in given or (f.primary_key and name in given):
                continue
            if f.primary_key:
                continue
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add or f.has_default()):
                value = self.now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            else:
                value = f.get_default()  # "" for text
            if isinstance(f, models.JSONField):
                value = json.dumps(value)
            extra.append((f.column, value))
        columns = [fields[g].column for g in given] + [c for c, _v in extra]
        return columns, tuple(v for _c, v in extra)

    def write(self, model, given: list[str], rows: Iterable[tuple]) -> int:
        table = model._meta.db_table
        columns, tail = self._columns(model, given)
        n = 0
        with connection.cursor() as cursor:
            if self.pg:
                cols = ", ".join(f'"{c}"' for c in columns)
                raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
                with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row + tail)
                        n += 1
            else:
                sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join(["%s"] * len(columns))})'
                batch = []
                for row in rows:
                    batch.append(row + tail)
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        n += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    n += len(batch)
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def without_indexes(self, models_: list):
        """Drop the secondary indexes and unique constraints of big tables; return the re-creator.

        Building an index once after the load is much faster than keeping it
        up to date row by row.
        """
        if not self.pg:
            return lambda: None
        recreate: list[str] = []
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'u'",
                    [table],
                )
                constraints = cursor.fetchall()
                for name, definition in constraints:
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                    recreate.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f'DROP INDEX "{name}"')
                    recreate.append(definition)

        def restore():
            with connection.cursor() as cursor:
                for statement in recreate:
                    cursor.execute(statement)

        return restore

    def reset_sequences(self, models_: list) -> None:
        if not self.pg:
            return
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
                )


def _next_id(model) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


# --- The people -----------------------------------------------------------------------------


class Identities:
    def __init__(self):
        self.used: dict[tuple[datetime.date, bool, bool], int] = {}
        self.fallback = 0

    def take(self, born: datetime.date, female: bool) -> tuple[str, datetime.date]:
        for shift in range(40):
            for day in (born + datetime.timedelta(days=shift), born - datetime.timedelta(days=shift)):
                for coordination in (False, True):
                    k = (day, female, coordination)
                    used = self.used.get(k, 0)
                    if used < 10:
                        self.used[k] = used + 1
                        birth_number = 980 + 2 * used + (0 if female else 1)
                        return make_identity_number(day, birth_number, coordination), day
        self.fallback += 1
        return f"99{self.fallback:010d}", born


@dataclass
class Planned:
    """One student as generated, before rows are written."""

    id: int
    female: bool
    born: datetime.date
    profile: object
    foreign: bool
    arrived: datetime.date | None
    school_start: datetime.date | None
    enrolments: list  # (id, programme code, unit id, start, end, reason)


def _term_start(year: int, autumn: bool) -> datetime.date:
    return datetime.date(year, 8, 18) if autumn else datetime.date(year, 1, 9)


def _school_day(day: datetime.date) -> bool:
    """Outside the summer (mid-June to mid-August) and Christmas breaks."""
    md = (day.month, day.day)
    return not ((6, 14) <= md <= (8, 16) or md >= (12, 22) or md <= (1, 7))


class Generator:
    def __init__(self, *, students: int, seed: int, today: datetime.date, log: Callable[[str], None] = lambda s: None):
        self.n_current = students
        self.rng = random.Random(seed)
        self.today = today
        self.log = log
        # Noon of the last day, but never later than the clock: a record saved "in the
        # future" would count as changed at every incremental facts refresh until then.
        self.now = min(timezone.make_aware(datetime.datetime.combine(today, datetime.time(12))), timezone.now())
        self.sink = Sink(self.now)
        self.summary = Summary()

    def weighted(self, pairs):
        items, weights = zip(*pairs, strict=True)
        return self.rng.choices(items, weights=weights, k=1)[0]

    # --- organisations ---------------------------------------------------------------
    def organisations(self):
        rng = self.rng
        regions = [Region(name=f"{name} (nationellt testdata)") for name in REGIONS]
        Region.objects.bulk_create(regions)
        organisers = []
        for i in range(MUNICIPAL + INDEPENDENT):
            municipal = i < MUNICIPAL
            region = rng.choices(regions, weights=REGION_WEIGHTS, k=1)[0]
            organisers.append(
                Organiser(
                    name=f"Kommun {i + 1:03d}" if municipal else f"Friskola {i - MUNICIPAL + 1:02d} AB",
                    organisation_number=(f"212{i:03d}-{7000 + i:04d}" if municipal else f"556{i:03d}-{8000 + i:04d}"),
                    kind=Organiser.Kind.MUNICIPAL if municipal else Organiser.Kind.INDEPENDENT,
                    region=region,
                )
            )
        Organiser.objects.bulk_create(organisers)
        # Sizes: heavy-tailed, from a handful of students to a couple of thousand.
        sizes = [rng.paretovariate(1.1) for _ in organisers]
        total = sum(sizes)
        self.organiser_share = [s / total for s in sizes]
        units = []
        code = 70_000_000
        self.units_of: dict[int, list[SchoolUnit]] = {}
        for organiser, share in zip(organisers, self.organiser_share, strict=True):
            n_units = max(1, min(40, round(share * 1000 * 0.9 + rng.random())))
            for k in range(n_units):
                code += 1 + rng.randint(0, 50)
                units.append(
                    SchoolUnit(
                        code=f"{code:08d}",
                        name=f"{organiser.name} IM {k + 1}",
                        organiser=organiser,
                        municipality=organiser.name,
                    )
                )
        SchoolUnit.objects.bulk_create(units)
        for u in units:
            self.units_of.setdefault(u.organiser_id, []).append(u)
        self.organisers = organisers
        self.units = units
        self.unit_weights = []
        for organiser, share in zip(organisers, self.organiser_share, strict=True):
            own = self.units_of[organiser.pk]
            for _u in own:
                self.unit_weights.append(share / len(own))
        self.units_flat = [u for o in organisers for u in self.units_of[o.pk]]
        self.summary.organisers = len(organisers)
        self.summary.school_units = len(units)
        self.programmes = {p.code: p.pk for p in Programme.objects.all()}

    # --- students and enrolments -----------------------------------------------------
    def _sample_start(self) -> datetime.date:
        rng = self.rng
        window_start = self.today.replace(year=self.today.year - YEARS)
        while True:
            year = rng.randint(window_start.year, self.today.year)
            autumn = rng.random() < 0.6
            base = _term_start(year, autumn)
            if rng.random() < 0.7:
                start = base + datetime.timedelta(days=rng.randint(0, 30))
            else:  # late arrivals, mostly to language introduction
                start = base + datetime.timedelta(days=rng.randint(0, 120))
            if window_start <= start <= self.today:
                return start

    def _stay(self, programme: str) -> int:
        lo, hi = STAY_DAYS[programme]
        return self.rng.randint(lo, hi)

    def _share_current(self) -> float:
        probe = random.Random(1)
        saved, self.rng = self.rng, probe
        current = 0
        n = 4000
        for _ in range(n):
            programme = self.weighted(PROGRAMMES)
            if self._sample_start() + datetime.timedelta(days=self._stay(programme)) > self.today:
                current += 1
        self.rng = saved
        return current / n

    def plan_students(self) -> list[Planned]:
        rng = self.rng
        total = max(1, round(self.n_current / self._share_current()))
        identities = Identities()
        self.identities = identities
        student_id = _next_id(Student)
        enrolment_id = _next_id(Enrolment)
        planned = []
        for _ in range(total):
            programme = self.weighted(PROGRAMMES)
            start = self._sample_start()
            stay = self._stay(programme)
            end = start + datetime.timedelta(days=stay)
            age = self.weighted([(15, 8), (16, 38), (17, 28), (18, 17), (19, 9)])
            born = start - datetime.timedelta(days=365 * age + rng.randint(0, 364))
            female = rng.random() < (0.37 if programme == "IMS" else 0.42)
            if programme == "IMS":
                profile = rng.choices(
                    [p for p in PROFILES if p.country != "SE"],
                    weights=[p.weight for p in PROFILES if p.country != "SE"],
                    k=1,
                )[0]
            else:
                profile = rng.choices(
                    PROFILES, weights=[p.weight * (4 if p.country == "SE" else 1) for p in PROFILES], k=1
                )[0]
            foreign = profile.country != "SE"
            arrived = school_start = None
            if foreign:
                years = rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4, 6] if programme == "IMS" else [1, 2, 3, 4, 5, 7, 9])
                arrived = start - datetime.timedelta(days=365 * years + rng.randint(10, 200))
                arrived = max(arrived, born + datetime.timedelta(days=400))
                school_start = min(arrived + datetime.timedelta(days=rng.randint(14, 120)), start)
            unit = rng.choices(self.units_flat, weights=self.unit_weights, k=1)[0]
            enrolments = []
            # Some move on from language introduction to another programme first.
            if programme == "IMS" and end < self.today and rng.random() < 0.25:
                nxt = rng.choice(["IMY", "IMV"])
                switch = start + datetime.timedelta(days=stay // 2)
                enrolments.append([enrolment_id, "IMS", unit.pk, start, switch, "other_im"])
                enrolment_id += 1
                start2 = switch + datetime.timedelta(days=1)
                enrolments.append([enrolment_id, nxt, unit.pk, start2, end, None])
            else:
                enrolments.append([enrolment_id, programme, unit.pk, start, end, None])
            enrolment_id += 1
            last = enrolments[-1]
            if last[4] >= self.today:
                last[4] = None
            else:
                last[5] = self.weighted(EXITS)
            planned.append(Planned(student_id, female, born, profile, foreign, arrived, school_start, enrolments))
            student_id += 1
        self.planned = planned
        return planned

    def write_students(self):
        rng = self.rng
        ids = self.identities

        def students():
            for p in self.planned:
                number, born = ids.take(p.born, p.female)
                names = p.profile.female if p.female else p.profile.male
                yield (
                    p.id,
                    number,
                    rng.choice(names),
                    rng.choice(p.profile.last),
                    born,
                    "female" if p.female else "male",
                    p.profile.mother_tongue,
                    "[]",
                    p.profile.country,
                    p.arrived,
                    p.school_start,
                    rng.randint(0, 8) if p.foreign else None,
                    "none",
                    self.now,
                )

        self.sink.write(
            Student,
            [
                "id",
                "personal_identity_number",
                "first_name",
                "last_name",
                "date_of_birth",
                "gender",
                "mother_tongue",
                "other_languages",
                "country_of_birth",
                "arrived_in_sweden",
                "first_school_start_in_sweden",
                "schooling_years_abroad",
                "security_marking",
                "created_at",
            ],
            students(),
        )

        def enrolments():
            for p in self.planned:
                for eid, code, unit, start, end, reason in p.enrolments:
                    yield (eid, p.id, self.programmes[code], unit, start, end, reason or "")

        self.sink.write(
            Enrolment,
            ["id", "student_id", "programme_id", "school_unit_id", "start_date", "end_date", "exit_reason"],
            enrolments(),
        )
        self.summary.students = len(self.planned)
        self.summary.current_students = sum(1 for p in self.planned if p.enrolments[-1][4] is None)

    # --- groups (current students): mentor groups, work teams, course groups ---------
    def write_groups(self):

        catalogue_ensure_core()
        self.courses = {
            c.code: c
            # Compulsory school (GR) and courses from before gy25: the same codes exist under
            # the Sami and special schools and as gy25 levels.
            for c in Course.objects.filter(
                school_type__in=["GR", "GY"],
                kind__in=["stage", "course"],
                code__in=[
                    "GRGRSVA01_7-9",
                    "GRGRMAT01_7-9",
                    "GRGRENG01_7-9",
                    "GRGRSAM01_7-9",
                    "SVASVA01",
                    "MATMAT01a",
                    "ENGENG05",
                    "FODFOO0",
                ],
            ).select_related("subject")
        }
        current_by_unit: dict[int, list[Planned]] = {}
        for p in self.planned:
            last = p.enrolments[-1]
            if last[4] is None:
                current_by_unit.setdefault(last[2], []).append(p)
        group_id = _next_id(StudentGroup)
        groups, members = [], []
        self.work_teams: list[tuple[int, int, int]] = []  # (group id, unit id, size)
        for unit_id, students in current_by_unit.items():
            for kind, size, prefix in (("work_team", 30, "Arbetslag"), ("mentor_group", 15, "Mentorsgrupp")):
                for k in range(0, len(students), size):
                    chunk = students[k : k + size]
                    groups.append((group_id, unit_id, f"{prefix} {k // size + 1}", kind, None))
                    members.extend((group_id, p.id, p.enrolments[-1][3]) for p in chunk)
                    if kind == "work_team":
                        self.work_teams.append((group_id, unit_id, len(chunk)))
                    group_id += 1
            for code in self.courses_for_unit():
                course = self.courses[code]
                takers = [p for p in students if code in self.course_codes(p.enrolments[-1][1])]
                for k in range(0, len(takers), 25):
                    groups.append(
                        (group_id, unit_id, f"{course.subject.name} {code} {k // 25 + 1}", "course_group", course.pk)
                    )
                    members.extend((group_id, p.id, p.enrolments[-1][3]) for p in takers[k : k + 25])
                    group_id += 1
        self.sink.write(StudentGroup, ["id", "school_unit_id", "name", "kind", "course_id"], iter(groups))
        membership_id = _next_id(GroupMembership)
        self.sink.write(
            GroupMembership,
            ["id", "group_id", "student_id", "start_date"],
            ((membership_id + i, *m) for i, m in enumerate(members)),
        )

    def courses_for_unit(self):
        return list(self.courses)

    @staticmethod
    def course_codes(programme: str) -> tuple[str, ...]:
        if programme == "IMS":
            return ("GRGRSVA01_7-9", "GRGRMAT01_7-9", "GRGRENG01_7-9", "GRGRSAM01_7-9")
        if programme == "IMY":
            return ("GRGRSVA01_7-9", "GRGRMAT01_7-9", "ENGENG05", "FODFOO0")
        return ("SVASVA01", "MATMAT01a", "ENGENG05", "GRGRSAM01_7-9")

    # --- intake, plans ------------------------------------------------------------
    def write_intake(self, user_id: int):

        rng = self.rng

        def rows():
            for p in self.planned:
                start = p.enrolments[0][3]
                if rng.random() < 0.12:
                    continue  # not mapped (yet)
                if p.foreign and (p.school_start is None or (start - p.school_start).days < 730):
                    merit = None if rng.random() < 0.6 else 0
                else:
                    merit = round(rng.choice([0, 0, rng.uniform(20, 240)]), 1)
                yield (
                    p.id,
                    start + datetime.timedelta(days=rng.randint(5, 40)),
                    merit,
                    self.weighted(PARENTS),
                    user_id,
                    self.now,
                )

        self.sink.write(
            IntakeMapping,
            ["student_id", "mapped_on", "merit_value", "parents_education", "recorded_by_id", "updated_at"],
            rows(),
        )

    def write_plans(self, user_id: int):

        rng = self.rng
        plan_rows, goal_rows, review_rows = [], [], []
        plan_id = _next_id(Plan)
        unit_organiser = {u.pk: u.organiser_id for u in self.units}
        for p in self.planned:
            first = p.enrolments[0]
            last = p.enrolments[-1]
            if rng.random() < 0.08:
                continue  # no plan
            start = first[3]
            created = start + datetime.timedelta(days=rng.choice([3, 7, 10, 14, 20, 25, 30, 45, 60]))
            if created > self.today:
                continue
            created_at = timezone.make_aware(datetime.datetime.combine(created, datetime.time(10)))
            end = last[4] or self.today
            plan_rows.append(
                (plan_id, p.id, self.programmes[last[1]], unit_organiser[last[2]], start, end, created_at, created_at)
            )
            for k in range(2):
                target = start + datetime.timedelta(days=rng.randint(90, 720))
                if target < self.today:
                    status = "met" if rng.random() < 0.55 else rng.choice(["in_progress", "dropped", "planned"])
                else:
                    status = rng.choice(["planned", "in_progress"])
                goal_rows.append(
                    (plan_id, "short" if k == 0 else "long", rng.choice(GOAL_KINDS), "Mål", target, status)
                )
            day = created + datetime.timedelta(days=rng.randint(20, 40))
            while day <= end:
                if _school_day(day):
                    review_rows.append((plan_id, day, "mentor, elev", "Planen gicks igenom.", 1, user_id, created_at))
                day += datetime.timedelta(days=rng.randint(24, 50))
            plan_id += 1
        self.sink.write(
            Plan,
            [
                "id",
                "student_id",
                "programme_id",
                "organiser_id",
                "planned_start",
                "planned_end",
                "created_at",
                "updated_at",
            ],
            iter(plan_rows),
        )
        self.sink.write(PlanGoal, ["plan_id", "term", "kind", "title", "target_date", "status"], iter(goal_rows))
        self.sink.write(
            PlanReview,
            ["plan_id", "held_on", "participants", "notes", "plan_version", "recorded_by_id", "recorded_at"],
            iter(review_rows),
        )

    # --- progression, attendance, grades -------------------------------------------------
    def write_progress(self, user_id: int):  # noqa: C901, PLR0915 (to be split into named steps)

        rng = self.rng
        scales = list(ProgressionScale.objects.filter(organiser=None).prefetch_related("steps"))
        generic = next(s for s in scales if s.is_generic)
        steps_by_course = {}
        for code, course in self.courses.items():
            scale = next((s for s in scales if course.subject.code in s.subject_codes), generic)
            steps_by_course[code] = [st.pk for st in sorted(scale.steps.all(), key=lambda s: s.position)]
        course_ids = {code: c.pk for code, c in self.courses.items()}
        today = self.today
        now = self.now
        stamps: dict[datetime.date, datetime.datetime] = {}

        def saved(day: datetime.date) -> datetime.datetime:
            """When a record of ``day`` was saved: that afternoon (never after now), as in real use."""
            if day not in stamps:
                stamps[day] = min(now, timezone.make_aware(datetime.datetime.combine(day, datetime.time(15))))
            return stamps[day]

        def spans():
            for p in self.planned:
                for _eid, code, _unit, start, end, _reason in p.enrolments:
                    yield p, code, start, min(end or today, today)

        def progress_rows():
            seen: dict[int, datetime.date] = {}  # student → last day written (earlier enrolment)
            for p, programme, start, end in spans():
                first_day = start + datetime.timedelta(days=7)
                if p.id in seen:
                    first_day = max(first_day, seen[p.id] + datetime.timedelta(days=1))
                latest = seen.get(p.id, first_day)
                for code in self.course_codes(programme):
                    steps = steps_by_course[code]
                    position = rng.randint(0, min(1, len(steps) - 1))
                    cid = course_ids[code]
                    day = first_day
                    while day <= end:
                        if _school_day(day):
                            if position < len(steps) - 1 and rng.random() < 0.22:
                                position += 1
                            yield (p.id, cid, steps[position], day, user_id, saved(day))
                            latest = max(latest, day)
                        day += datetime.timedelta(days=14)
                seen[p.id] = latest

        def attendance_rows():
            seen: dict[int, datetime.date] = {}  # student → last Monday written
            for p, programme, start, end in spans():
                propensity = rng.random() ** 3 * 0.5
                monday = start - datetime.timedelta(days=start.weekday())
                if p.id in seen and monday <= seen[p.id]:
                    monday = seen[p.id] + datetime.timedelta(days=7)
                codes = [course_ids[c] for c in self.course_codes(programme)]
                while monday <= end:
                    if _school_day(monday):
                        friday = monday + datetime.timedelta(days=4)
                        for cid in codes:
                            scheduled = 160
                            absent = int(scheduled * propensity * rng.random() * 2)
                            absent = min(absent, scheduled)
                            valid = absent // 3
                            yield (p.id, cid, monday, scheduled, valid, absent - valid, user_id, saved(friday))
                    seen[p.id] = monday
                    monday += datetime.timedelta(days=7)

        def grade_rows():
            for p, programme, start, end in spans():
                for code in self.course_codes(programme):
                    if rng.random() < 0.5 and end > start + datetime.timedelta(days=120):
                        grade = rng.choice(GRADES)
                        awarded = end - datetime.timedelta(days=rng.randint(0, 10))
                        yield (p.id, course_ids[code], grade, awarded, user_id, saved(awarded))

        restore = self.sink.without_indexes([ProgressRecord, AttendanceWeek])
        self.log("progression records …")
        self.sink.write(
            ProgressRecord,
            ["student_id", "course_id", "step_id", "recorded_on", "recorded_by_id", "recorded_at"],
            progress_rows(),
        )
        self.log("attendance weeks …")
        self.sink.write(
            AttendanceWeek,
            [
                "student_id",
                "course_id",
                "week_start",
                "scheduled_minutes",
                "valid_absence_minutes",
                "invalid_absence_minutes",
                "recorded_by_id",
                "recorded_at",
            ],
            attendance_rows(),
        )
        self.sink.write(
            GradeRecord,
            ["student_id", "course_id", "grade", "awarded_on", "recorded_by_id", "recorded_at"],
            grade_rows(),
        )
        self.log("indexes …")
        restore()

    def run(self) -> Summary:

        started = time.monotonic()
        with transaction.atomic():
            if self.sink.pg:
                # Bulk load: the rows are consistent by construction, so skip the
                # per-row foreign-key triggers for this transaction (superuser).
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            self.log("organisations …")
            self.organisations()
            self.log("students …")
            self.plan_students()
            self.write_students()
            self.write_groups()
            user, _ = User.objects.get_or_create(
                username="national.generator", defaults={"first_name": "Generator", "is_active": False}
            )
            if _installed("intake"):
                self.log("intake …")
                self.write_intake(user.pk)
            if _installed("plans"):
                self.log("plans …")
                self.write_plans(user.pk)
            if _installed("progress"):
                self.write_progress(user.pk)
            models_ = [Student, Enrolment, StudentGroup, GroupMembership]
            for app, names in (
                ("intake", ["IntakeMapping"]),
                ("plans", ["Plan", "PlanGoal", "PlanReview"]),
                ("progress", ["ProgressRecord", "AttendanceWeek", "GradeRecord"]),
            ):
                if _installed(app):
                    models_ += [apps.get_model(app, n) for n in names]
            self.sink.reset_sequences(models_)
        if self.sink.pg:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.summary.rows = dict(self.sink.counts)
        self.summary.seconds = time.monotonic() - started
        return self.summary


def generate(
    *, students: int, seed: int, today: datetime.date | None = None, log: Callable[[str], None] = lambda s: None
) -> Summary:
    """Generate the national data set into an empty database."""
    if Student.objects.exists():
        raise RuntimeError("The database already holds students; generate into an empty one.")
    return Generator(students=students, seed=seed, today=today or timezone.localdate(), log=log).run()


def rows_per_table() -> dict[str, int]:
    tables = {"students_total": Student, "enrolments": Enrolment}

    for app, name, label in (
        ("progress", "ProgressRecord", "progress_records"),
        ("progress", "AttendanceWeek", "attendance_weeks"),
        ("progress", "GradeRecord", "grades"),
        ("plans", "Plan", "plans"),
        ("plans", "PlanReview", "plan_reviews"),
        ("intake", "IntakeMapping", "intake_mappings"),
    ):
        if _installed(app):
            tables[label] = apps.get_model(app, name)
    result = {}
    with connection.cursor() as cursor:
        for label, model in tables.items():
            if connection.vendor == "postgresql":
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
                estimate = cursor.fetchone()
                if estimate and estimate[0] > 1_000_000:
                    result[label] = int(estimate[0])
                    continue
            result[label] = model.objects.count()
    return result
