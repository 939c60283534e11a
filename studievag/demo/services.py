"""A realistic, reproducible demo data set: Skaraborg's introduction programmes.

Every identity number made here uses a birth number (födelsenummer) in the
980–999 series, the series Skatteverket uses for its published test numbers,
so none of them belongs to a real person; :func:`is_demo_identity_number`
checks that, and a test holds every demo number to it.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils import timezone

from studievag.access.models import Role, RoleAssignment
from studievag.api import demo as api_demo
from studievag.audit.models import RecordRead
from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_load_shipped
from studievag.core.models import SignOnIdentity
from studievag.effect_chain import demo as effect_chain_demo
from studievag.enrolments.eligibility import latest_im_start
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.handover import demo as handover_demo
from studievag.interop import demo as interop_demo
from studievag.organisations.models import Organiser, Programme, Region, SchoolUnit
from studievag.outcomes import demo as outcomes_demo
from studievag.people.models import (
    Guardian,
    GuardianConsent,
    GuardianLink,
    Student,
    add_years,
)
from studievag.plans.demo import mentor_worklist_mix, seed_plans
from studievag.progress.demo import progress_demo
from studievag.quality import demo as quality_demo
from studievag.surveys import demo as surveys_demo

from .names import PROFILES, STAFF_FIRST, STAFF_LAST

DEMO_PASSWORD = "demo"
DEMO_BIRTH_NUMBERS = range(980, 1000)

# Skaraborg's 15 municipalities; the first eight run introduction programmes here.
MUNICIPALITIES = [
    "Skövde",
    "Lidköping",
    "Falköping",
    "Mariestad",
    "Skara",
    "Tidaholm",
    "Vara",
    "Götene",
    "Hjo",
    "Tibro",
    "Töreboda",
    "Gullspång",
    "Karlsborg",
    "Grästorp",
    "Essunga",
]
# The municipalities' official names (SCB's register of municipalities). A genitive
# -s is part of the name only after a consonant, and not even always: it is not a
# rule to compute ("Skövde kommun", "Hjo kommun", "Essunga kommun", but
# "Lidköpings kommun"), so the names are written out.
OFFICIAL_NAMES = {
    "Skövde": "Skövde kommun",
    "Lidköping": "Lidköpings kommun",
    "Falköping": "Falköpings kommun",
    "Mariestad": "Mariestads kommun",
    "Skara": "Skara kommun",
    "Tidaholm": "Tidaholms kommun",
    "Vara": "Vara kommun",
    "Götene": "Götene kommun",
    "Hjo": "Hjo kommun",
    "Tibro": "Tibro kommun",
    "Töreboda": "Töreboda kommun",
    "Gullspång": "Gullspångs kommun",
    "Karlsborg": "Karlsborgs kommun",
    "Grästorp": "Grästorps kommun",
    "Essunga": "Essunga kommun",
}
IM_UNITS = {
    "Skövde": ["Skövde gymnasium, introduktion", "Norrmalmsgymnasiet IM"],
    "Lidköping": ["Lidköpings språkintroduktion"],
    "Falköping": ["Falköpings gymnasium IM"],
    "Mariestad": ["Mariestads gymnasium IM"],
    "Skara": ["Skara gymnasium IM"],
    "Tidaholm": ["Tidaholms gymnasium IM"],
    "Vara": ["Vara gymnasium IM"],
}
# Approximate national shares of IM students by programme (2023/24).
PROGRAMME_WEIGHTS = {"IMS": 38, "IMY": 27, "IMV": 20, "IMA": 15}
# Course groups at every unit: (group name, school type, course code).
COURSES = [
    ("Svenska som andraspråk", "GR", "GRGRSVA01_7-9"),
    ("Matematik", "GR", "GRGRMAT01_7-9"),
    ("Engelska", "GR", "GRGRENG01_7-9"),
    ("Samhällskunskap", "GR", "GRGRSAM01_7-9"),
    ("Fordonsteknik", "GY", "FODFOO0"),
]
EXIT_REASONS = [
    (Enrolment.ExitReason.NATIONAL_PROGRAMME, 42),
    (Enrolment.ExitReason.OTHER_IM_PROGRAMME, 8),
    (Enrolment.ExitReason.ADULT_EDUCATION, 11),
    (Enrolment.ExitReason.WORK, 8),
    (Enrolment.ExitReason.APPRENTICESHIP, 3),
    (Enrolment.ExitReason.ANOTHER_SCHOOL, 10),
    (Enrolment.ExitReason.MOVED_ABROAD, 4),
    (Enrolment.ExitReason.UNKNOWN, 11),
    (Enrolment.ExitReason.OTHER, 3),
]

DEMO_USERS = [
    # username, role, first name, last name
    ("mentor", Role.MENTOR, "Maria", "Lindqvist"),
    ("teacher", Role.TEACHER, "Johan", "Berg"),
    ("counsellor", Role.COUNSELLOR, "Nadia", "Holm"),
    ("student_health", Role.STUDENT_HEALTH, "Karin", "Ek"),
    ("principal", Role.PRINCIPAL, "Anders", "Strand"),
    ("organiser_analyst", Role.ORGANISER_ANALYST, "Sofia", "Sandberg"),
    ("regional_coordinator", Role.REGIONAL_COORDINATOR, "Per", "Nyström"),
    ("sending_school", Role.SENDING_SCHOOL, "Lena", "Lund"),
    ("admin", Role.ADMIN, "Erik", "Björk"),
    ("kaa_contact", Role.KAA_CONTACT, "Lina", "Forsberg"),
    ("student", Role.STUDENT, None, None),
    ("guardian", Role.GUARDIAN, None, None),
]


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for i, ch in enumerate(nine_digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def make_identity_number(born: datetime.date, birth_number: int, coordination: bool = False) -> str:
    """A 12-digit identity number with a valid check digit."""
    day = born.day + (60 if coordination else 0)
    short = f"{born:%y%m}{day:02d}{birth_number:03d}"
    return f"{born.year:04d}{short[2:]}{luhn_check_digit(short)}"


def is_demo_identity_number(value: str) -> bool:
    """In Skatteverket's test series; reserve numbers (assigned here, YYYYMMDDZNNN) belong to
    nobody elsewhere, and demo interim numbers use 98 after the letter, like the test series."""
    if len(value) != 12:
        return False
    if value[8] == "Z":
        return True
    if value[8].isalpha():
        return value[9:11] in ("98", "99")
    return int(value[8:11]) in DEMO_BIRTH_NUMBERS


@dataclass
class DemoSummary:
    organisers: int = 0
    school_units: int = 0
    students: int = 0
    current_students: int = 0
    guardians: int = 0
    users: list[str] = field(default_factory=list)
    api_tokens: list[tuple[str, str]] = field(default_factory=list)


class _Builder:
    def __init__(self, *, seed: int, today: datetime.date, students: int):
        self.rng = random.Random(seed)
        self.today = today
        self.n_students = students
        self.used_numbers: set[str] = set()
        self.staff_names = iter((f, last) for last in STAFF_LAST for f in STAFF_FIRST)
        self.summary = DemoSummary()

    # --- helpers -------------------------------------------------------
    def identity(self, born: datetime.date, female: bool, coordination=False) -> str:
        """A free demo number for exactly this birth date (the date is never changed)."""
        birth_numbers = [b for b in DEMO_BIRTH_NUMBERS if (b % 2 == 0) == female]
        self.rng.shuffle(birth_numbers)
        for n in birth_numbers:
            value = make_identity_number(born, n, coordination)
            if value not in self.used_numbers:
                self.used_numbers.add(value)
                return value
        raise ValueError(f"no free demo number for {born}")

    def weighted(self, pairs):
        items, weights = zip(*pairs, strict=True)
        return self.rng.choices(items, weights=weights, k=1)[0]

    def days_ago(self, lo: int, hi: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(lo, hi))

    def user(self, username: str, first: str, last: str, *, is_staff=False) -> User:
        if not hasattr(self, "password_hash"):
            self.password_hash = make_password(DEMO_PASSWORD)  # hash once: it is slow on purpose
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            is_staff=is_staff,
            password=self.password_hash,
        )
        return user

    def staff_user(self, prefix: str) -> User:
        first, last = next(self.staff_names)
        username = f"{prefix}.{first}.{last}".lower().translate(str.maketrans("åäöé", "aaoe"))
        return self.user(username, first, last)

    # --- organisation --------------------------------------------------
    def organisations(self):
        self.region = Region.objects.create(name="Skaraborg")
        self.organisers = {}
        self.units = []
        for i, name in enumerate(MUNICIPALITIES):
            organiser = Organiser.objects.create(
                name=OFFICIAL_NAMES[name],
                organisation_number=f"212000-{9000 + i:04d}",
                kind=Organiser.Kind.MUNICIPAL,
                region=self.region,
            )
            self.organisers[name] = organiser
            for unit_name in IM_UNITS.get(name, []):
                self.units.append(
                    SchoolUnit.objects.create(
                        code=f"{self.rng.randint(10_000_000, 99_999_999)}",
                        name=unit_name,
                        organiser=organiser,
                        municipality=name,
                    )
                )
        self.independent = Organiser.objects.create(
            name="Lärande i Väst AB (demo)",
            organisation_number="556000-9001",
            kind=Organiser.Kind.INDEPENDENT,
            region=self.region,
        )
        self.units.append(
            SchoolUnit.objects.create(
                code=f"{self.rng.randint(10_000_000, 99_999_999)}",
                name="Yrkesakademin Skövde IM",
                organiser=self.independent,
                municipality="Skövde",
            )
        )
        self.sending_unit = SchoolUnit.objects.create(
            code=f"{self.rng.randint(10_000_000, 99_999_999)}",
            name="Västermalmsskolan 7–9",
            organiser=self.organisers["Skövde"],
            school_type=SchoolUnit.SchoolType.COMPULSORY,
            municipality="Skövde",
        )
        self.summary.organisers = Organiser.objects.count()
        self.summary.school_units = SchoolUnit.objects.count()
        self.programmes = {p.code: p for p in Programme.objects.filter(is_active=True)}

    # --- students ------------------------------------------------------
    def student(self, unit: SchoolUnit) -> Student:
        rng = self.rng
        programme = self.weighted(PROGRAMME_WEIGHTS.items())
        if programme == "IMS":
            profile = self.weighted([(p, p.weight) for p in PROFILES if p.country != "SE"])
        else:
            profile = self.weighted([(p, p.weight * (4 if p.country == "SE" else 1)) for p in PROFILES])
        female = rng.random() < (0.37 if programme == "IMS" else 0.42)
        age_at_start = self.weighted([(15, 8), (16, 38), (17, 28), (18, 17), (19, 9)])
        # Most current students started within the last two school years.
        start = self._term_start(rng.choice([0, 0, 0, 1, 1, 2]))
        born = start - datetime.timedelta(days=365 * age_at_start + rng.randint(0, 364))
        born = min(born, datetime.date(latest_im_start(born).year, 6, 30) - datetime.timedelta(days=1))
        start = min(start, latest_im_start(born))
        foreign = profile.country != "SE"
        arrived = school_start = None
        years_abroad = None
        if foreign:
            years_in_sweden = rng.choice(
                [0, 0, 1, 1, 1, 2, 2, 3, 4, 6] if programme == "IMS" else [1, 2, 3, 4, 5, 7, 9]
            )
            arrived = start - datetime.timedelta(days=365 * years_in_sweden + rng.randint(10, 200))
            arrived = max(arrived, born + datetime.timedelta(days=400))
            school_start = arrived + datetime.timedelta(days=rng.randint(14, 120))
            school_start = min(school_start, start)
            age_at_arrival = (arrived - born).days // 365
            years_abroad = max(0, min(age_at_arrival - 7, 12) - rng.choice([0, 0, 0, 2, 4, 6]))
        elif programme != "IMS":
            school_start = born + datetime.timedelta(days=365 * 7 - 150)
        first = rng.choice(profile.female if female else profile.male)
        last = rng.choice(profile.last)
        languages = [lang for lang in profile.other_languages if rng.random() < 0.5]
        coordination = foreign and rng.random() < 0.08
        while True:
            try:
                number = self.identity(born, female, coordination)
                break
            except ValueError:  # ten demo numbers a day and sex: use the day before
                born -= datetime.timedelta(days=1)
        student = Student.objects.create(
            personal_identity_number=number,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            gender=Student.Gender.FEMALE if female else Student.Gender.MALE,
            mother_tongue=profile.mother_tongue,
            other_languages=languages,
            country_of_birth=profile.country,
            arrived_in_sweden=arrived,
            first_school_start_in_sweden=school_start,
            schooling_years_abroad=years_abroad,
            security_marking=(
                Student.SecurityMarking.PROTECTED_REGISTRATION if rng.random() < 0.01 else Student.SecurityMarking.NONE
            ),
        )
        # Some students came from another IM programme first.
        if programme in ("IMV", "IMY") and foreign and rng.random() < 0.35:
            earlier = start - datetime.timedelta(days=rng.choice([365, 540]))
            if earlier > (school_start or earlier) and earlier <= latest_im_start(born):
                Enrolment.objects.create(
                    student=student,
                    programme=self.programmes["IMS"],
                    school_unit=unit,
                    start_date=earlier,
                    end_date=start - datetime.timedelta(days=1),
                    exit_reason=Enrolment.ExitReason.OTHER_IM_PROGRAMME,
                )
        self.enrolment = Enrolment.objects.create(
            student=student, programme=self.programmes[programme], school_unit=unit, start_date=start
        )
        return student

    def _term_start(self, terms_back: int) -> datetime.date:
        """The start of the autumn or spring term ``terms_back`` terms ago."""
        year, autumn = self.today.year, self.today.month >= 8
        for _ in range(terms_back):
            if autumn:
                autumn = False
            else:
                autumn, year = True, year - 1
        day = datetime.date(year, 8, 20) if autumn else datetime.date(year, 1, 9)
        return day + datetime.timedelta(days=self.rng.randint(0, 20))

    def former_students(self, unit: SchoolUnit, count: int) -> None:
        """Students who have left, with a reason, over the last two years."""
        for _ in range(count):
            student = self.student(unit)
            enrolment = self.enrolment
            start = enrolment.start_date - datetime.timedelta(days=self.rng.randint(300, 700))
            # Not before 15, not after the age limit, not before school start in Sweden.
            start = max(start, add_years(student.date_of_birth, 15))
            start = min(start, latest_im_start(student.date_of_birth))
            if student.first_school_start_in_sweden and start < student.first_school_start_in_sweden:
                start = student.first_school_start_in_sweden
            end = min(
                self.today - datetime.timedelta(days=self.rng.randint(20, 500)),
                enrolment.start_date + datetime.timedelta(days=500),
            )
            if end < start:
                end = start + datetime.timedelta(days=120)
            if end >= self.today:  # a former student has left
                end = self.today - datetime.timedelta(days=1)
                start = min(start, end - datetime.timedelta(days=60))
            student.enrolments.all().delete()
            Enrolment.objects.create(
                student=student,
                programme=enrolment.programme,
                school_unit=unit,
                start_date=start,
                end_date=end,
                exit_reason=self.weighted(EXIT_REASONS),
            )

    def guardians(self, student: Student) -> None:
        if student.country_of_birth != "SE" and self.rng.random() < 0.12:
            return  # unaccompanied minors: a special representative, recorded elsewhere
        first_parent_female = self.rng.random() < 0.6
        profile = next(p for p in PROFILES if p.country == student.country_of_birth)
        for female in [first_parent_female] + ([not first_parent_female] if self.rng.random() < 0.6 else []):
            guardian = Guardian.objects.create(
                first_name=self.rng.choice(profile.female if female else profile.male),
                last_name=student.last_name,
                phone=f"070-{self.rng.randint(100, 999)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
                preferred_language=profile.mother_tongue,
                needs_interpreter=profile.country != "SE" and self.rng.random() < 0.6,
            )
            GuardianLink.objects.create(
                student=student,
                guardian=guardian,
                relation=GuardianLink.Relation.PARENT,
                valid_from=student.date_of_birth,
            )

    # --- groups and staff ---------------------------------------------
    def groups_for(self, unit: SchoolUnit, students: list[Student]):
        groups = {"mentor": [], "course": []}
        for i in range(0, len(students), 14):
            members = students[i : i + 14]
            group = StudentGroup.objects.create(
                school_unit=unit, name=f"Mentorsgrupp {i // 14 + 1}", kind=StudentGroup.Kind.MENTOR_GROUP
            )
            self._members(group, members)
            groups["mentor"].append(group)
        for course_name, school_type, code in COURSES:
            course = Course.objects.get(school_type=school_type, code=code)
            for j in range(0, len(students), 22):
                group = StudentGroup.objects.create(
                    school_unit=unit,
                    name=f"{course_name} {j // 22 + 1}",
                    kind=StudentGroup.Kind.COURSE_GROUP,
                    course=course,
                )
                self._members(group, students[j : j + 22])
                groups["course"].append(group)
        return groups

    def _members(self, group, students):
        GroupMembership.objects.bulk_create(
            GroupMembership(group=group, student=s, start_date=s.current_start) for s in students
        )

    def assign(self, user: User, role: str, **scope) -> RoleAssignment:
        assignment = RoleAssignment(user=user, role=role, valid_from=self.today - datetime.timedelta(days=700), **scope)
        assignment.full_clean()
        assignment.save()
        return assignment

    @transaction.atomic
    def build(self) -> DemoSummary:
        catalogue_load_shipped()  # loaded by the migrations; again in case the tables were emptied
        self.organisations()
        main_unit = self.units[0]
        groups_by_unit = {}
        for unit, size in zip(self.units, self._unit_sizes(), strict=True):
            current = []
            for _ in range(size):
                s = self.student(unit)
                s.current_start = self.enrolment.start_date
                current.append(s)
            self.former_students(unit, max(2, size // 4))
            for s in current:
                if s.is_adult_on(self.today) is False or self.rng.random() < 0.3:
                    self.guardians(s)
            groups_by_unit[unit] = (self.groups_for(unit, current), current)
            # Ordinary staff at every unit.
            groups, _students = groups_by_unit[unit]
            for group in groups["mentor"][1 if unit == main_unit else 0 :]:
                self.assign(self.staff_user("mentor"), Role.MENTOR, group=group)
            self.assign(self.staff_user("rektor"), Role.PRINCIPAL, school_unit=unit)
            self.assign(self.staff_user("syv"), Role.COUNSELLOR, school_unit=unit)
        self._demo_users(main_unit, groups_by_unit)
        self._sample_history_and_reads(groups_by_unit[main_unit][1])
        seed_plans(self)
        outcomes_demo.seed(
            rng=self.rng,
            today=self.today,
            users=self.users,
            main_unit=main_unit,
            kaa_municipality=self.organisers["Skövde"],
        )
        progress_demo(rng=self.rng, today=self.today, users=self.users, demo_student=self.demo_student)
        handover_demo.seed(builder=self)
        quality_demo.seed(
            today=self.today,
            units=[main_unit],
            authors=[self.users["mentor"], self.users["principal"]],
        )
        effect_chain_demo.seed(
            rng=self.rng,
            today=self.today,
            region=self.region,
            organiser=self.organisers["Skövde"],
            units=self.units,
            users=self.users,
            demo_student=self.demo_student,
        )
        surveys_demo.seed(
            today=self.today, analyst=self.users["organiser_analyst"], demo_student=self.demo_student, rng=self.rng
        )
        interop_demo.seed(
            organiser=main_unit.organiser,
            unit=main_unit,
            mentor_group=groups_by_unit[main_unit][0]["mentor"][0],
            counsellor=self.users["counsellor"],
            today=self.today,
        )
        mentor_worklist_mix(self, self.today)
        self.summary.api_tokens = api_demo.seed(
            admin=self.users["admin"],
            principal=self.users["principal"],
            unit=main_unit,
            organiser=main_unit.organiser,
            today=self.today,
        )
        self.summary.students = Student.objects.count()
        self.summary.current_students = Enrolment.objects.active_on(self.today).values("student").distinct().count()
        self.summary.guardians = Guardian.objects.count()
        return self.summary

    def _unit_sizes(self) -> list[int]:
        """Current students per unit, adding up to the number asked for; the main unit is larger."""
        weights = [4] + [3] * (len(self.units) - 1)
        sizes = [max(1, self.n_students * w // sum(weights)) for w in weights]
        sizes[0] += max(0, self.n_students - sum(sizes))
        return sizes

    def _demo_users(self, main_unit, groups_by_unit):
        groups, _current = groups_by_unit[main_unit]
        mentor_group = groups["mentor"][0]
        users = {}
        for username, role, first, last in DEMO_USERS:
            if first is None:
                continue
            users[username] = self.user(username, first, last, is_staff=(role == Role.ADMIN))
            # What an administrator links for SAML sign-on (README, "Sign-on with SAML").
            principal = f"{first}.{last}@skovde.se".lower().translate(str.maketrans("åäöé", "aaoe"))
            SignOnIdentity.objects.create(user=users[username], principal_name=principal)
        self.assign(users["mentor"], Role.MENTOR, group=mentor_group)
        for group in groups["course"][:2]:
            self.assign(users["teacher"], Role.TEACHER, group=group)
        self.assign(users["counsellor"], Role.COUNSELLOR, school_unit=main_unit)
        self.assign(users["student_health"], Role.STUDENT_HEALTH, school_unit=main_unit)
        self.assign(users["principal"], Role.PRINCIPAL, school_unit=main_unit)
        self.assign(users["principal"], Role.PRINCIPAL, school_unit=self.units[1])
        self.assign(users["organiser_analyst"], Role.ORGANISER_ANALYST, organiser=self.organisers["Skövde"])
        self.assign(users["regional_coordinator"], Role.REGIONAL_COORDINATOR, region=self.region)
        self.assign(users["sending_school"], Role.SENDING_SCHOOL, school_unit=self.sending_unit)
        self.assign(users["admin"], Role.ADMIN, region=self.region)
        self.assign(users["kaa_contact"], Role.KAA_CONTACT, organiser=self.organisers["Skövde"])
        admins, _ = Group.objects.get_or_create(name="System administrators")
        admins.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["organisations", "enrolments", "access", "auth"],
                content_type__model__in=[
                    "region",
                    "organiser",
                    "schoolunit",
                    "programme",
                    "studentgroup",
                    "roleassignment",
                    "user",
                    "group",
                ],
            )
        )
        users["admin"].groups.add(admins)

        # The demo student: 17, in the demo mentor's group, Arabic mother tongue,
        # with a guardian who has a login.
        members = [m.student for m in mentor_group.memberships.select_related("student")]
        under_18 = [s for s in members if not s.is_adult_on(self.today) and not s.has_protected_identity]
        candidates = [s for s in under_18 if s.mother_tongue == "ar"] or under_18 or members
        student = candidates[0]
        student.user = self.user("student", student.first_name, student.last_name)
        student.save(update_fields=["user"])
        link = student.guardian_links.select_related("guardian").first()
        if link is None:
            guardian = Guardian.objects.create(
                first_name="Samira",
                last_name=student.last_name,
                preferred_language="ar",
                needs_interpreter=True,
            )
            link = GuardianLink.objects.create(
                student=student,
                guardian=guardian,
                relation=GuardianLink.Relation.PARENT,
                valid_from=student.date_of_birth,
            )
        guardian = link.guardian
        guardian.user = self.user("guardian", guardian.first_name, guardian.last_name)
        guardian.save(update_fields=["user"])
        # One protected student in the demo mentor's group, so the masking shows.
        protected = [s for s in members if s != student][-1]
        protected.security_marking = Student.SecurityMarking.PROTECTED_REGISTRATION
        protected.save(update_fields=["security_marking"])
        # Students of 18 or more who let a guardian go on following their studies.
        adults = Student.objects.filter(
            date_of_birth__lte=add_years(self.today, -18), guardian_links__isnull=False
        ).distinct()
        # Two at the demo users' own school (one adult there is left without consent).
        at_main = list(adults.filter(enrolments__school_unit=main_unit).order_by("pk")[:2])
        elsewhere = list(adults.exclude(enrolments__school_unit=main_unit).order_by("pk")[:8])
        for adult in at_main + elsewhere:
            GuardianConsent.objects.create(
                link=adult.guardian_links.first(),
                given_on=add_years(adult.date_of_birth, 18),
                recorded_by=users["counsellor"],
            )
        self.summary.users = [u for u, *_ in DEMO_USERS]
        self.demo_student = student
        self.users = users

    def _sample_history_and_reads(self, students):
        """A few earlier changes and reads, so the history and read log are not empty."""
        student = self.demo_student
        student._history_user = self.users["counsellor"]
        student._change_reason = "Modersmål rättat efter samtal med eleven"
        student.save()
        readers = [
            (self.users["mentor"], "mentor"),
            (self.users["teacher"], "teacher"),
            (self.users["counsellor"], "counsellor"),
        ]
        reads = []
        for days in range(40, 0, -4):
            user, role = readers[days % 3]
            for part in ("record", "background", "enrolments"):
                reads.append(
                    RecordRead(
                        user=user,
                        username=user.username,
                        user_display=user.get_full_name(),
                        roles=role,
                        student=student,
                        part=part,
                        path=f"/students/{student.pk}/",
                        client_address="10.20.30.40",
                    )
                )
        created = RecordRead.objects.bulk_create(reads)
        for i, read in enumerate(created):
            read.at = datetime.datetime.combine(
                self.today - datetime.timedelta(days=40 - (i // 3) * 4),
                datetime.time(9 + i % 7, 15),
                tzinfo=datetime.UTC,
            )
        RecordRead.objects.bulk_update(created, ["at"])


def demo_seed(*, seed: int = 2026, today: datetime.date | None = None, students: int = 420) -> DemoSummary:
    """Fill an empty database with the demo data set."""
    if Student.objects.exists() or Organiser.objects.exists():
        raise RuntimeError("The database already has data; the demo is loaded into an empty one.")

    builder = _Builder(seed=seed, today=today or timezone.localdate(), students=students)
    return builder.build()
