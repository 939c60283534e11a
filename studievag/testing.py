"""Test helpers shared by every area: factories and the fixed cast.

Identity numbers made here use birth numbers 980–999 (Skatteverket's test
series), like the demo data, so none belongs to a real person.
"""

import contextlib
import datetime
import importlib
import itertools
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from studievag.access.models import Role, RoleAssignment
from studievag.demo.services import make_identity_number
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.organisations.models import Organiser, Programme, Region, SchoolUnit
from studievag.people.models import Guardian, GuardianLink, Student, add_years

_serial = itertools.count(1)


def _next() -> int:
    return next(_serial)


def make_user(username: str | None = None, **fields) -> User:
    username = username or f"user{_next()}"
    user = User.objects.create_user(
        username=username,
        password="secret-password",
        first_name=fields.pop("first_name", username),
        last_name=fields.pop("last_name", "Testsson"),
        **fields,
    )
    return user


def make_organiser(name: str = "", region: Region | None = None) -> Organiser:
    n = _next()
    return Organiser.objects.create(
        name=name or f"Kommun {n}",
        organisation_number=f"212000-{n % 10000:04d}",
        kind=Organiser.Kind.MUNICIPAL,
        region=region,
    )


def make_unit(organiser: Organiser, name: str = "", **fields) -> SchoolUnit:
    n = _next()
    return SchoolUnit.objects.create(
        code=f"{90_000_000 + n:08d}", name=name or f"Skola {n}", organiser=organiser, **fields
    )


def make_student(
    unit: SchoolUnit,
    *,
    age: int = 17,
    programme: str = "IMS",
    start: datetime.date | None = None,
    first_name: str = "",
    last_name: str = "Testsson",
    female: bool = True,
    **fields,
) -> Student:
    today = timezone.localdate()
    n = _next()
    born = add_years(today, -age) - datetime.timedelta(days=30 + n % 200)
    birth_number = 980 + (n % 10) * 2 + (0 if female else 1)
    number = make_identity_number(born, birth_number)
    while Student.objects.filter(personal_identity_number=number).exists():
        born -= datetime.timedelta(days=1)
        number = make_identity_number(born, birth_number)
    student = Student.objects.create(
        personal_identity_number=number,
        first_name=first_name or f"Elev{n}",
        last_name=last_name,
        date_of_birth=born,
        gender=Student.Gender.FEMALE if female else Student.Gender.MALE,
        **fields,
    )
    Enrolment.objects.create(
        student=student,
        programme=Programme.objects.get(code=programme),
        school_unit=unit,
        start_date=start or today - datetime.timedelta(days=60),
    )
    return student


def make_group(unit: SchoolUnit, kind: str, students=(), name: str = "") -> StudentGroup:
    group = StudentGroup.objects.create(school_unit=unit, name=name or f"Grupp {_next()}", kind=kind)
    today = timezone.localdate()
    for s in students:
        GroupMembership.objects.create(group=group, student=s, start_date=today - datetime.timedelta(days=60))
    return group


def assign(user: User, role: str, **scope) -> RoleAssignment:
    assignment = RoleAssignment(
        user=user,
        role=role,
        valid_from=timezone.localdate() - datetime.timedelta(days=365),
        **scope,
    )
    # The fields and clean() as the services check them; the table's constraints are
    # the database's to enforce on save (checking them first costs a query each).
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    return assignment


@dataclass
class Cast:
    region: Region
    organiser_a: Organiser
    organiser_b: Organiser
    unit_a: SchoolUnit
    unit_b: SchoolUnit
    sending_unit: SchoolUnit
    mentor_group_a: StudentGroup
    course_group_a: StudentGroup
    mentor_group_b: StudentGroup
    # Students
    alice: Student  # 16, at A, in the mentor group and course group; has a login and a guardian
    adam: Student  # 19, at A, in the mentor group; former guardian without consent
    protected: Student  # at A, protected identity, in the mentor group
    bertil: Student  # at B
    # Users
    mentor_a: User
    teacher_a: User
    counsellor_a: User
    health_a: User
    principal_a: User
    mentor_b: User
    analyst: User
    coordinator: User
    sending: User
    admin: User
    kaa_contact: User  # Kommun A's contact for the activity responsibility
    student: User  # alice's login
    guardian: User  # alice's guardian
    nobody: User  # signed in, no role at all

    def by_role(self) -> dict[str, User]:
        """One user per role, the names used in access-matrix tables."""
        return {
            "student": self.student,
            "guardian": self.guardian,
            "mentor": self.mentor_a,
            "teacher": self.teacher_a,
            "counsellor": self.counsellor_a,
            "student_health": self.health_a,
            "principal": self.principal_a,
            "organiser_analyst": self.analyst,
            "regional_coordinator": self.coordinator,
            "sending_school": self.sending,
            "admin": self.admin,
            "kaa_contact": self.kaa_contact,
            "mentor_other_school": self.mentor_b,
            "no_role": self.nobody,
        }


# Reference data that data migrations put in every database: (model whose
# table it fills, migration module, function). A transactional test (every
# browser test) ends by emptying all tables, so the suite's conftest puts it
# back before each database test that finds the table empty.
REFERENCE_DATA_MIGRATIONS = [
    ("organisations.Programme", "studievag.organisations.migrations.0002_programmes", "add_programmes"),
    ("scales.ProgressionScale", "studievag.scales.defaults", "create_current_defaults"),
    ("catalogue.Course", "studievag.catalogue.migrations.0004_load_shipped_catalogue", "load"),
]


def ensure_reference_data() -> None:

    for label, module, function in REFERENCE_DATA_MIGRATIONS:
        if not apps.get_model(label).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)


def build_cast() -> Cast:
    region = Region.objects.create(name="Testregion")
    organiser_a = make_organiser("Kommun A", region)
    organiser_b = make_organiser("Kommun B", region)
    unit_a = make_unit(organiser_a, "Skola A IM")
    unit_b = make_unit(organiser_b, "Skola B IM")
    sending_unit = make_unit(organiser_a, "Grundskola A", school_type=SchoolUnit.SchoolType.COMPULSORY)

    alice = make_student(unit_a, age=16, first_name="Alice", last_name="Andersson", mother_tongue="ar")
    adam = make_student(
        unit_a,
        age=19,
        first_name="Adam",
        last_name="Abdi",
        female=False,
        start=timezone.localdate() - datetime.timedelta(days=400),
    )
    protected = make_student(
        unit_a,
        age=17,
        first_name="Petra",
        last_name="Skyddad",
        security_marking=Student.SecurityMarking.PROTECTED_REGISTRATION,
    )
    bertil = make_student(unit_b, age=17, first_name="Bertil", last_name="Bengtsson", female=False)

    mentor_group_a = make_group(unit_a, StudentGroup.Kind.MENTOR_GROUP, [alice, adam, protected], name="Mentorsgrupp A")
    course_group_a = make_group(unit_a, StudentGroup.Kind.COURSE_GROUP, [alice, adam], name="Matematik A")
    mentor_group_b = make_group(unit_b, StudentGroup.Kind.MENTOR_GROUP, [bertil], name="Mentorsgrupp B")

    mentor_a = make_user("mentor_a", first_name="Maria", last_name="Mentor")
    assign(mentor_a, Role.MENTOR, group=mentor_group_a)
    teacher_a = make_user("teacher_a", first_name="Tove", last_name="Lärare")
    assign(teacher_a, Role.TEACHER, group=course_group_a)
    counsellor_a = make_user("counsellor_a", first_name="Sara", last_name="Syv")
    assign(counsellor_a, Role.COUNSELLOR, school_unit=unit_a)
    health_a = make_user("health_a", first_name="Karin", last_name="Kurator")
    assign(health_a, Role.STUDENT_HEALTH, school_unit=unit_a)
    principal_a = make_user("principal_a", first_name="Rut", last_name="Rektor")
    assign(principal_a, Role.PRINCIPAL, school_unit=unit_a)
    mentor_b = make_user("mentor_b", first_name="Bo", last_name="Mentor")
    assign(mentor_b, Role.MENTOR, group=mentor_group_b)
    analyst = make_user("analyst", first_name="Ana", last_name="Analytiker")
    assign(analyst, Role.ORGANISER_ANALYST, organiser=organiser_a)
    coordinator = make_user("coordinator", first_name="Per", last_name="Samordnare")
    assign(coordinator, Role.REGIONAL_COORDINATOR, region=region)
    sending = make_user("sending", first_name="Lena", last_name="Grundskola")
    assign(sending, Role.SENDING_SCHOOL, school_unit=sending_unit)
    admin = make_user("sysadmin", first_name="Erik", last_name="Admin", is_staff=True)
    assign(admin, Role.ADMIN, region=region)
    kaa_contact = make_user("kaa_contact", first_name="Kim", last_name="Aktivitetsansvar")
    assign(kaa_contact, Role.KAA_CONTACT, organiser=organiser_a)
    nobody = make_user("nobody")

    student_user = make_user("alice", first_name="Alice", last_name="Andersson")
    alice.user = student_user
    alice.save(update_fields=["user"])
    guardian_user = make_user("guardian", first_name="Samira", last_name="Andersson")
    guardian = Guardian.objects.create(
        first_name="Samira", last_name="Andersson", user=guardian_user, preferred_language="ar"
    )
    GuardianLink.objects.create(
        student=alice, guardian=guardian, relation=GuardianLink.Relation.PARENT, valid_from=alice.date_of_birth
    )
    # The same guardian was Adam's too; he is 19 and has not consented.
    GuardianLink.objects.create(
        student=adam, guardian=guardian, relation=GuardianLink.Relation.PARENT, valid_from=adam.date_of_birth
    )

    return Cast(
        region=region,
        organiser_a=organiser_a,
        organiser_b=organiser_b,
        unit_a=unit_a,
        unit_b=unit_b,
        sending_unit=sending_unit,
        mentor_group_a=mentor_group_a,
        course_group_a=course_group_a,
        mentor_group_b=mentor_group_b,
        alice=alice,
        adam=adam,
        protected=protected,
        bertil=bertil,
        mentor_a=mentor_a,
        teacher_a=teacher_a,
        counsellor_a=counsellor_a,
        health_a=health_a,
        principal_a=principal_a,
        mentor_b=mentor_b,
        analyst=analyst,
        coordinator=coordinator,
        sending=sending,
        admin=admin,
        kaa_contact=kaa_contact,
        student=student_user,
        guardian=guardian_user,
        nobody=nobody,
    )


# --- The access matrix ----------------------------------------------------------

ALL_ROLES = frozenset(
    [
        "student",
        "guardian",
        "mentor",
        "teacher",
        "counsellor",
        "student_health",
        "principal",
        "organiser_analyst",
        "regional_coordinator",
        "sending_school",
        "admin",
        "kaa_contact",
        "mentor_other_school",
        "no_role",
    ]
)


@dataclass(frozen=True)
class Route:
    """One row of the access matrix: a URL, how to call it, and who may.

    ``allowed`` names keys of :meth:`Cast.by_role`; every other role must get
    403 or 404. ``kwargs`` and ``data`` are functions of the cast, so a row can
    point at a particular student. Each area lists its rows in
    ``<area>/tests/routes.py`` as ``ROUTES``; the matrix test in
    ``access/tests/test_matrix.py`` fails for any named URL without a row.
    """

    name: str
    allowed: frozenset[str]
    kwargs: object = None  # callable(cast) -> dict
    method: str = "get"
    data: object = None  # callable(cast) -> dict
    public: bool = False  # reachable without signing in
    label: str = ""  # tells two rows for the same URL apart
    # A POST row: whether an allowed call saves something (the matrix checks it does);
    # False for a POST that answers without saving (a preview, a search, a refused confirm).
    writes: bool = True
    # Roles that may use the page but to whom this row's data does not belong (another
    # school's unit in the form): they get the form back and nothing may change.
    no_write_for: frozenset[str] = frozenset()

    def url(self, cast: Cast) -> str:

        return reverse(self.name, kwargs=self.kwargs(cast) if self.kwargs else None)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{' ' + self.label if self.label else ''}"


@contextlib.contextmanager
def shared_by_a_module(django_db_blocker):
    """Data that several tests of one module read, built once and rolled back after
    the last of them: each test's own transaction is a savepoint inside this one, so
    what a test writes is gone before the next. Use it in a module-scoped fixture;
    ``make test`` hands each worker a run of consecutive tests (``--dist worksteal``),
    so a module's tests mostly share one build."""
    with django_db_blocker.unblock(), transaction.atomic():
        # An earlier transactional test may have emptied the migrations' reference data.
        ensure_reference_data()
        yield
        transaction.set_rollback(True)
