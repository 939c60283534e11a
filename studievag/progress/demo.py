"""Demo data for intake and progress: mappings, a term of progression and attendance.

Called once from the demo builder. Everything is written with ``bulk_create``
so that ``demo_seed`` stays fast. The students fall into trajectories, so the
team overview shows every colour: most in line, some behind, a few far
behind; attendance falls over the last weeks for some; a few stopped getting
steps recorded (the "no progression" signal).
"""

import datetime
import random
from decimal import Decimal

from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.intake.models import (
    IntakeMapping,
    Level,
    StartingLevel,
)
from studievag.people.models import Student
from studievag.scales.selectors import ScaleBook
from studievag.support.models import SupportNeedsEntry

from .models import AttendanceWeek, FollowUpSettings, ProgressRecord, TeamDecision
from .selectors import goal_position

# Trajectory: (share, pace as a share of the line's pace).
TRAJECTORIES = [("in_line", 0.64, 1.2), ("behind", 0.23, 0.6), ("far_behind", 0.13, 0.1)]
DECISIONS = [
    (TeamDecision.Kind.SUPPORT, "Studiehandledning på modersmålet två pass i veckan i matematik."),
    (TeamDecision.Kind.TALK, "Mentorn har samtal med eleven och vårdnadshavaren om närvaron."),
    (TeamDecision.Kind.COURSE_CHANGE, "Byter till en mindre undervisningsgrupp i svenska som andraspråk."),
    (TeamDecision.Kind.SUPPORT, "Specialpedagogen kartlägger läsförmågan vidare."),
]


def term_start(today: datetime.date) -> datetime.date:
    """The start of the current term: 20 August or 9 January."""
    if today >= datetime.date(today.year, 8, 20):
        return datetime.date(today.year, 8, 20)
    if today >= datetime.date(today.year, 1, 9):
        return datetime.date(today.year, 1, 9)
    return datetime.date(today.year - 1, 8, 20)


def progress_demo(*, rng: random.Random, today: datetime.date, users: dict, demo_student) -> None:
    """A term of intake mappings, progression every two weeks and weekly attendance, some falling behind.

    The steps run in a fixed order, so the same seed gives the same data set.
    """
    demo = _ProgressDemo(rng=rng, today=today, users=users, demo_student=demo_student)
    demo.course_memberships()
    mapping_of = demo.mappings()
    demo.course_histories(mapping_of)
    demo.settings_and_decisions()


def _intake_mapping(rng: random.Random, student, enrolment, *, today: datetime.date, mapper) -> IntakeMapping:
    newly = enrolment.programme.code == "IMS"
    mapped_on = min(enrolment.start_date + datetime.timedelta(days=rng.randint(5, 25)), today)
    merit = None if newly and rng.random() < 0.8 else Decimal(rng.randint(40, 220))
    return IntakeMapping(
        student=student,
        mapped_on=mapped_on,
        recorded_by=mapper,
        compulsory_school_completed=None if newly else rng.random() < 0.5,
        merit_value=merit,
        compulsory_grades="" if merit is None else "Ma F, En E, SvA E, SO E",
        parents_education=rng.choice(["compulsory", "upper_secondary", "post_secondary", "unknown", "compulsory"]),
        literacy=rng.choice(
            [Level.EMERGING, Level.FUNCTIONAL, Level.FUNCTIONAL, Level.ESTABLISHED] + ([Level.NONE] if newly else [])
        ),
        literacy_languages=student.get_mother_tongue_display() if student.mother_tongue else "",
        numeracy=rng.choice([Level.EMERGING, Level.FUNCTIONAL, Level.ESTABLISHED]),
        earlier_work=rng.choice(
            ["", "", "Har arbetat i familjens butik.", "Sommarjobb inom äldreomsorgen.", "Praktik på bilverkstad."]
        ),
        interests=rng.choice(
            ["Fotboll och teckning.", "Bilar och motorer.", "Musik.", "Matlagning.", "Datorer och spel.", ""]
        ),
        own_goals=rng.choice(
            [
                "Bli behörig till vård- och omsorgsprogrammet.",
                "Läsa el- och energiprogrammet.",
                "Lära mig svenska och få ett jobb.",
                "Bli behörig till ekonomiprogrammet.",
                "Komma in på fordons- och transportprogrammet.",
            ]
        ),
        well_being=rng.choice(["good", "good", "good", "mixed", "poor", "not_stated"]),
    )


class _ProgressDemo:
    def __init__(self, *, rng: random.Random, today: datetime.date, users: dict, demo_student):
        self.rng, self.today, self.users, self.demo_student = rng, today, users, demo_student
        self.start = term_start(today)
        self.recorder = users["teacher"]
        current_ids = set(Enrolment.objects.active_on(today).values_list("student_id", flat=True))
        self.students = {s.pk: s for s in Student.objects.filter(pk__in=current_ids)}
        self.enrolment_of = {
            e.student_id: e for e in Enrolment.objects.active_on(today).select_related("programme", "school_unit")
        }
        self.memberships: list[GroupMembership] = []
        self.falling: set[int] = set()
        self.stalled: set[int] = set()

    def course_memberships(self) -> None:
        """Course groups are formed per term: current members joined at the term's start."""
        self.memberships = list(
            GroupMembership.objects.filter(
                student_id__in=self.students,
                group__kind=StudentGroup.Kind.COURSE_GROUP,
                group__course__isnull=False,
                end_date__isnull=True,
            ).select_related("group__course__subject", "group__school_unit")
        )
        for m in self.memberships:
            m.start_date = max(m.start_date, self.start)
        GroupMembership.objects.bulk_update(self.memberships, ["start_date"])

    def mappings(self) -> dict[int, IntakeMapping]:
        """Mappings at intake for most current students; support needs for every ninth."""
        made = []
        for sid, student in self.students.items():
            if self.rng.random() > 0.88 and student.pk != self.demo_student.pk:
                continue
            made.append(
                _intake_mapping(
                    self.rng, student, self.enrolment_of[sid], today=self.today, mapper=self.users["counsellor"]
                )
            )
        made = IntakeMapping.objects.bulk_create(made)
        SupportNeedsEntry.objects.bulk_create(
            SupportNeedsEntry(
                student_id=m.student_id,
                author=self.users["student_health"],
                reason="Kartläggning vid mottagandet",
                text="Behöver extra tid och uppläst text vid prov. Följs upp av specialpedagog.",
            )
            for m in made[::9]
        )
        return {m.student_id: m for m in made}

    def trajectory(self) -> tuple[str, float]:
        roll, acc = self.rng.random(), 0.0
        for name, share, pace in TRAJECTORIES:
            acc += share
            if roll < acc:
                return name, pace
        return TRAJECTORIES[-1][0], TRAJECTORIES[-1][2]

    def mondays(self) -> list[datetime.date]:
        found = []
        monday = self.start - datetime.timedelta(days=self.start.weekday())
        while monday + datetime.timedelta(days=6) < self.today:
            found.append(monday)
            monday += datetime.timedelta(weeks=1)
        return found

    def course_histories(self, mapping_of: dict[int, IntakeMapping]) -> None:
        """Starting levels, a progression record every two weeks and weekly attendance per course."""
        rng = self.rng
        self.falling = {sid for sid in self.students if rng.random() < 0.15}
        self.stalled = {sid for sid in self.students if rng.random() < 0.06}
        book = ScaleBook({e.school_unit.organiser_id for e in self.enrolment_of.values()})
        levels: list[StartingLevel] = []
        records: list[ProgressRecord] = []
        weeks: list[AttendanceWeek] = []
        seen_levels: set[tuple[int, int]] = set()
        mondays = self.mondays()
        for m in self.memberships:
            if m.student_id not in self.students:
                continue
            scale = book.for_subject(m.group.school_unit.organiser_id, m.group.course.subject.code)
            steps = list(scale.steps.all())
            first = self.course_progress(m, steps, goal_position(scale), records)
            mapping = mapping_of.get(m.student_id)
            key = (m.student_id, m.group.course.subject_id)
            if mapping and key not in seen_levels:
                seen_levels.add(key)
                levels.append(StartingLevel(mapping=mapping, subject=m.group.course.subject, step=steps[first - 1]))
            weeks.extend(self.course_attendance(m, mondays))
        weeks.extend(self.earlier_attendance())
        StartingLevel.objects.bulk_create(levels, batch_size=2000)
        ProgressRecord.objects.bulk_create(records, batch_size=2000)
        AttendanceWeek.objects.bulk_create(weeks, batch_size=2000)

    def course_progress(self, m: GroupMembership, steps: list, goal: int, records: list[ProgressRecord]) -> int:
        """A progression record every two weeks along the student's trajectory; returns the starting step."""
        rng, sid, course = self.rng, m.student_id, m.group.course
        newly = self.enrolment_of[sid].programme.code == "IMS"
        first = rng.randint(1, max(1, goal - (2 if newly else 1)))
        _kind, pace = self.trajectory()
        if sid == self.demo_student.pk:
            _kind, pace = ("behind", 0.5) if course.subject.code.endswith("MAT01") else ("in_line", 1.1)
        end = self.start + datetime.timedelta(weeks=20)
        line_pace = (goal - first) / max((end - self.start).days, 1)
        last_day = self.today - datetime.timedelta(weeks=7) if sid in self.stalled else self.today
        for day_offset in range(14, max((self.today - self.start).days, 0) + 1, 14):
            day = self.start + datetime.timedelta(days=day_offset)
            if day > last_day:
                break
            position = first + round(line_pace * day_offset * pace + rng.uniform(-0.3, 0.3))
            position = min(max(position, 1), len(steps))
            records.append(
                ProgressRecord(
                    student_id=sid, course=course, step=steps[position - 1], recorded_on=day, recorded_by=self.recorder
                )
            )
        return first

    def course_attendance(self, m: GroupMembership, mondays: list[datetime.date]) -> list[AttendanceWeek]:
        """Weekly attendance; a falling student's presence drops over the last five weeks."""
        rng, sid = self.rng, m.student_id
        scheduled = rng.choice([120, 160, 180, 240])
        base = rng.uniform(0.86, 1.0)
        weeks = []
        for k, monday in enumerate(mondays):
            presence = base
            if sid in self.falling and k >= len(mondays) - 5:
                presence = base - 0.1 * (k - len(mondays) + 6)
            absent = scheduled - round(scheduled * max(min(presence + rng.uniform(-0.05, 0.05), 1), 0))
            valid = round(absent * rng.choice([0, 0.3, 0.5, 1]))
            weeks.append(
                AttendanceWeek(
                    student_id=sid,
                    course=m.group.course,
                    week_start=monday,
                    scheduled_minutes=scheduled,
                    valid_absence_minutes=valid,
                    invalid_absence_minutes=absent - valid,
                    recorded_by=self.recorder,
                )
            )
        return weeks

    def earlier_attendance(self) -> list[AttendanceWeek]:
        """Attendance in the two terms before this one for the students enrolled then, so
        the quality reports' trend has earlier terms to show. Every fourth week (a term's
        attendance is a share of minutes, so a sample of weeks gives the same picture with
        fewer rows), from a random generator of its own so the rest of the data set stays
        the same as before."""
        rng = random.Random(f"earlier-attendance-{self.start.isoformat()}")
        since = self.start - datetime.timedelta(weeks=52)
        courses = {}
        for m in self.memberships:
            courses.setdefault(m.student_id, []).append(m.group.course)
        weeks = []
        for sid, enrolment in sorted(self.enrolment_of.items()):
            if enrolment.start_date >= self.start or sid not in courses:
                continue
            base = rng.uniform(0.78, 0.99)
            monday = max(since, enrolment.start_date)
            monday -= datetime.timedelta(days=monday.weekday())
            while monday + datetime.timedelta(days=6) < self.start:
                if monday >= enrolment.start_date:
                    for course in courses[sid]:
                        scheduled = 160
                        absent = scheduled - round(scheduled * min(base + rng.uniform(-0.06, 0.06), 1))
                        weeks.append(
                            AttendanceWeek(
                                student_id=sid,
                                course=course,
                                week_start=monday,
                                scheduled_minutes=scheduled,
                                valid_absence_minutes=absent // 2,
                                invalid_absence_minutes=absent - absent // 2,
                                recorded_by=self.recorder,
                            )
                        )
                monday += datetime.timedelta(weeks=4)
        return weeks

    def settings_and_decisions(self) -> None:
        """The organiser's follow-up settings and a few decisions of the weekly team."""
        unit = self.enrolment_of[self.demo_student.pk].school_unit
        FollowUpSettings.objects.get_or_create(organiser_id=unit.organiser_id, defaults={"attendance_percent": 80})
        team = StudentGroup.objects.filter(
            memberships__student=self.demo_student, kind=StudentGroup.Kind.MENTOR_GROUP
        ).first()
        team_members = (
            list(GroupMembership.objects.filter(group=team).values_list("student_id", flat=True)) if team else []
        )
        chosen = [sid for sid in team_members if sid in self.falling or sid in self.stalled][:3] or team_members[:3]
        TeamDecision.objects.bulk_create(
            TeamDecision(
                student_id=sid,
                kind=kind,
                text=text,
                team=team.name if team else "",
                decided_on=self.today - datetime.timedelta(days=7 * (i + 1)),
                follow_up_on=self.today + datetime.timedelta(days=14),
                recorded_by=self.users["mentor"],
            )
            for i, (sid, (kind, text)) in enumerate(zip(chosen + [self.demo_student.pk], DECISIONS, strict=False))
        )
