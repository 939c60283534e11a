"""The one place that decides who may see and do what.

Two questions are answered here and nowhere else:

* *Which students may this user see, and which parts of their record?*
  :func:`visible_students` returns a queryset built from the user's grants:
  staff role assignments (scoped and dated), the student's own login and
  guardian links (with the rule that guardianship ends at 18 unless the
  student consents).
* *May this user use this page?* :func:`may` checks an action against the
  roles its area declared (``<area>/permissions.py``, collected by
  :mod:`~studievag.access.registry`). The engine names no area.

Views fetch students through :func:`student_for_view`, which also writes the
audit row. A student that does not exist and one outside the user's scope
give the same 404.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studievag.audit.services import audit_record_read
from studievag.enrolments.models import Enrolment, GroupMembership
from studievag.kept_sql import kept_objects
from studievag.organisations.models import SchoolUnit
from studievag.people.models import AGE_OF_MAJORITY, GuardianLink, Student, add_years

from . import permissions
from .declarations import FAMILY_ROLES, INDIVIDUAL_STAFF_ROLES
from .models import Role, RoleAssignment
from .registry import registry

# Former students: the counsellor and the principal of the unit a student
# last attended keep seeing the student for this many days after the last
# day, so that the follow-up interviews 6 and 12 months after the programme
# can be done (the 12-month one closes 30 days after it is due, at most 396
# days after the exit; the outcomes area checks the two rules agree), and no
# longer. Everyone else at the unit sees current students only.
FORMER_STUDENT_DAYS = 400
FORMER_STUDENT_ROLES = frozenset({Role.COUNSELLOR, Role.PRINCIPAL})


class Part:
    """The basic record's parts; every other area names its own in its ``permissions`` module."""

    RECORD = permissions.RECORD
    BACKGROUND = permissions.BACKGROUND
    ENROLMENTS = permissions.ENROLMENTS
    GUARDIANS = permissions.GUARDIANS
    AUDIT_LOG = permissions.AUDIT_LOG


def part_label(key: str) -> str:
    """The part's name as people read it (in the active language)."""
    part = registry().parts.get(key)
    return str(part.label) if part else key


def part_labels() -> list[tuple[str, str]]:
    return [(key, str(part.label)) for key, part in registry().parts.items()]


def parts_of(role: str) -> frozenset[str]:
    return registry().parts_by_role.get(role, frozenset())


def action_roles(action: str) -> frozenset[str]:
    return registry().roles_for(action)


@dataclass(frozen=True)
class Grants:
    """What one user holds on one day; computed once per request."""

    day: datetime.date
    assignments: tuple[RoleAssignment, ...]
    student_id: int | None
    guardian_id: int | None
    # The earliest end of a former student's enrolment that still counts (``former_since``
    # of ``day`` unless given: a kept query passes it in as a value of its own).
    since: datetime.date | None = None
    # Answers about single students, kept as long as the grants (one request):
    # a page that asks the same question again gets it without a query.
    answers: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def roles(self) -> set[str]:
        roles = {a.role for a in self.assignments}
        if self.student_id:
            roles.add(Role.STUDENT)
        if self.guardian_id:
            roles.add(Role.GUARDIAN)
        return roles

    def scoped(self, role: str, kind: str) -> list[int]:
        return [
            getattr(a, f"{kind}_id")
            for a in self.assignments
            if a.role == role and getattr(a, f"{kind}_id") is not None
        ]


def _own_ids(user_id: int, day: datetime.date) -> dict[str, Subquery]:
    """The user's own student record and guardian (if any), as subqueries."""
    own_student = Student.objects.filter(user_id=user_id).order_by("pk")
    guardian = (
        GuardianLink.objects.filter(guardian__user_id=user_id)
        .filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("pk")
    )
    return {
        "own_student_id": Subquery(own_student.values("pk")[:1]),
        "own_guardian_id": Subquery(guardian.values("guardian_id")[:1]),
    }


def _assignments_query(user_id: int, day: datetime.date) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user_id=user_id)
        .active_on(day)
        .select_related("region", "organiser", "school_unit__organiser", "group__school_unit")
        .annotate(**_own_ids(user_id, day))
    )


def grants_for(user, day: datetime.date | None = None) -> Grants:
    day = day or timezone.localdate()
    cache = getattr(user, "_studievag_grants", None)
    if cache is not None and cache.day == day:
        return cache
    if not user.is_authenticated or not user.is_active:
        grants = Grants(day=day, assignments=(), student_id=None, guardian_id=None)
    else:
        # Staff: one query, the assignments carrying the user's own student and guardian
        # ids; a user without an assignment (a student, a guardian) asks for the two ids
        # in a second one. Every page asks this first: its SQL is compiled once per
        # connection (``kept_sql``).
        assignments = tuple(kept_objects(RoleAssignment, "access.grants", _assignments_query, user_id=user.pk, day=day))
        if assignments:
            first = cast(Any, assignments[0])  # annotated with the two ids
            student_id, guardian_id = first.own_student_id, first.own_guardian_id
        else:
            own = _own_ids(user.pk, day)
            student_id, guardian_id = (
                get_user_model()._default_manager.filter(pk=user.pk).annotate(**own).values_list(*own).get()
            )
        grants = Grants(day=day, assignments=assignments, student_id=student_id, guardian_id=guardian_id)
    user._studievag_grants = grants
    return grants


def roles_of(user) -> set[str]:
    return grants_for(user).roles


def may(user, action: str) -> bool:
    return bool(roles_of(user) & action_roles(action))


def has_individual_access(user) -> bool:
    return bool(roles_of(user) & (INDIVIDUAL_STAFF_ROLES | FAMILY_ROLES))


# --- Which students ---------------------------------------------------------


def _unit_enrolments(
    unit_ids: list[int], day: datetime.date, *, former: bool = False, since: datetime.date | None = None
) -> QuerySet[Enrolment]:
    """Enrolments at the units that make a student reachable on ``day``: current ones; with
    ``former``, also a student's last enrolment anywhere when it was at one of the units
    and ended within ``FORMER_STUDENT_DAYS``."""
    reach = Q(end_date__isnull=True) | Q(end_date__gte=day)
    if former:
        since = since or former_since(day)
        later = Enrolment.objects.filter(student_id=OuterRef("student_id"), start_date__gt=OuterRef("start_date"))
        reach |= cast(Q, Q(end_date__lt=day, end_date__gte=since) & ~Exists(later))
    return Enrolment.objects.filter(reach, school_unit_id__in=unit_ids)


def former_since(day: datetime.date) -> datetime.date:
    """The earliest end of a former student's last enrolment that still gives access."""
    return day - datetime.timedelta(days=FORMER_STUDENT_DAYS)


def _unit_students(unit_ids: list[int], day: datetime.date, *, former: bool = False) -> Q:
    """Students enrolled at the units on ``day`` (with ``former``, see :func:`_unit_enrolments`)."""
    return Q(pk__in=_unit_enrolments(unit_ids, day, former=former).values("student_id"))


def _group_memberships(group_ids: list[int], day: datetime.date) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.filter(group_id__in=group_ids, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


def _ids_q(sources: list[QuerySet]) -> Q:
    """Students whose id one of ``sources`` (querysets of one column of student ids) gives.

    Several sources are joined into one ``UNION`` subquery: PostgreSQL reads a single
    ``id IN (…)`` by the primary key, but an ``OR`` of two such tests with a scan of
    every student in the country.
    """
    if not sources:
        return Q(pk__in=[])
    first, *rest = (source.order_by() for source in sources)
    return Q(pk__in=first.union(*rest) if rest else first)


def guardian_may_follow(day: datetime.date) -> Q:
    """Guardian links that give access on ``day``: the student is under 18, or consents.

    A legal representative (god man) follows only during the appointment and never
    after 18: the appointment ends then by law, so no consent carries it on."""
    adult_born_on_or_before = add_years(day, -AGE_OF_MAJORITY)
    consent = (
        Q(consents__given_on__lte=day)
        & (Q(consents__withdrawn_on__isnull=True) | Q(consents__withdrawn_on__gt=day))
        & ~Q(relation=GuardianLink.Relation.LEGAL_REPRESENTATIVE)
    )
    return (
        Q(valid_from__lte=day)
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        & (Q(student__date_of_birth__gt=adult_born_on_or_before) | consent)
    )


def _role_sources(grants: Grants, role: str) -> list[QuerySet]:
    """The querysets of student ids through which ``role`` reaches students."""
    day = grants.day
    if role == Role.STUDENT:
        return [Student.objects.filter(pk=grants.student_id).values("pk")] if grants.student_id else []
    if role == Role.GUARDIAN:
        if grants.guardian_id is None:
            return []
        links = GuardianLink.objects.filter(guardian_id=grants.guardian_id).filter(guardian_may_follow(day))
        return [links.values("student_id")]
    sources: list[QuerySet] = []
    if units := grants.scoped(role, "school_unit"):
        former = role in FORMER_STUDENT_ROLES
        sources.append(_unit_enrolments(units, day, former=former, since=grants.since).values("student_id"))
    if groups := grants.scoped(role, "group"):
        sources.append(_group_memberships(groups, day).values("student_id"))
    if students := grants.scoped(role, "student"):
        sources.append(Student.objects.filter(pk__in=students).values("pk"))
    return sources


def _role_q(grants: Grants, role: str, user) -> Q:
    return _ids_q(_role_sources(grants, role))


def _roles_q(grants: Grants, roles: Iterable[str]) -> Q:
    """Students reached through any of ``roles``: one subquery."""
    return _ids_q([source for role in roles for source in _role_sources(grants, role)])


def _scope_q(user, part: str) -> tuple[Q, list[str]]:
    grants = grants_for(user)
    roles = [r for r in grants.roles if part in parts_of(r)]
    return _roles_q(grants, roles), roles


def visible_students(user, part: str = Part.RECORD) -> QuerySet[Student]:
    """Every student whose ``part`` this user may see today."""
    q, roles = _scope_q(user, part)
    if not roles:
        return Student.objects.none()
    return Student.objects.filter(q)


@dataclass(frozen=True)
class _Scoped:
    """What a rebuilt grant holds (see :class:`StudentScope`): a role and one scope."""

    role: str
    school_unit_id: int | None = None
    group_id: int | None = None
    student_id: int | None = None


SCOPE_KINDS = ("school_unit", "group", "student")


@dataclass(frozen=True)
class StudentScope:
    """The students whose part a staff user may see, for a query kept by ``kept_sql``.

    ``key`` names the query's shape (the roles and which scopes each holds, never an id);
    ``args`` are its values: the day, the former students' limit and each role's ids.
    :meth:`students` gives :func:`visible_students`' queryset from those values alone, so
    the SQL compiled for one user serves every user whose grants have the same shape.
    """

    key: str
    args: dict[str, Any]

    def students(self, **args: Any) -> QuerySet[Student]:
        grants = self.grants(**args)
        return Student.objects.filter(_roles_q(grants, sorted(grants.roles)))

    def grants(self, **args: Any) -> Grants:
        """The grants rebuilt from the values: the roles and scopes the shape names."""
        held = []
        for name, value in args.items():
            if name.startswith("scope__"):
                _, role, kind = name.split("__")
                held += [_Scoped(role, **{f"{kind}_id": pk}) for pk in value]
        return Grants(
            day=args.get("scope_day", datetime.date.min),  # absent: no scope reads the day
            assignments=cast(tuple[RoleAssignment, ...], tuple(held)),
            student_id=None,
            guardian_id=None,
            since=args.get("scope_since"),
        )


def student_scope(
    user,
    part: str | None = Part.RECORD,
    *,
    action: str | None = None,
    role: str | None = None,
    every_role: bool = False,
) -> StudentScope | None:
    """:func:`visible_students` for ``part`` — or :func:`students_for_action` for ``action``,
    or :func:`students_through` for ``role`` — as a kept query's shape and values; None
    when it cannot be kept (no role reaches them, or a student's or guardian's own access)."""
    grants = grants_for(user)
    if every_role:  # every role held, each with a scope the shape can name (else None)
        roles = sorted(grants.roles)
        if any(not any(grants.scoped(r, kind) for kind in SCOPE_KINDS) for r in roles):
            return None
    elif action is not None:
        roles = sorted(r for r in grants.roles if r in action_roles(action))
    elif role is not None:
        roles = [role] if role in grants.roles else []
    else:
        roles = sorted(r for r in grants.roles if part in parts_of(r))
    if not roles or set(roles) & FAMILY_ROLES:
        return None
    args: dict[str, Any] = {}
    for held in roles:
        for kind in SCOPE_KINDS:
            if ids := sorted(set(grants.scoped(held, kind))):
                args[f"scope__{held}__{kind}"] = ids
    if not args:
        return None
    shape = sorted(args)
    # The day and the former students' limit only where a scope asks for them: a kept
    # query must use every value it is given.
    if any(kind != "student" for name in shape for kind in [name.split("__")[2]]):
        args["scope_day"] = grants.day
    if any(name.split("__")[1:] == [role, "school_unit"] for name in shape for role in FORMER_STUDENT_ROLES):
        args["scope_since"] = former_since(grants.day)
    return StudentScope(key="|".join(shape), args=args)


def _remembered(grants: Grants, key: tuple, answer):
    """The answer to ``key`` for these grants, computed once by ``answer()``."""
    if key not in grants.answers:
        grants.answers[key] = answer()
    return grants.answers[key]


def _scope_key(grants: Grants, role: str) -> tuple:
    """Roles with the same scope reach the same students (former students only through the
    roles that keep them): one key for the same question."""
    if role in (Role.STUDENT, Role.GUARDIAN):
        return (role,)
    return (role in FORMER_STUDENT_ROLES,) + tuple(
        tuple(sorted(grants.scoped(role, kind))) for kind in ("school_unit", "group", "student")
    )


def _reaches(grants: Grants, role: str, user, student_pk: int) -> bool:
    """Whether ``role`` reaches the student (whatever the part): asked once per request."""
    return _remembered(
        grants,
        ("reaches", _scope_key(grants, role), student_pk),
        lambda: Student.objects.filter(_role_q(grants, role, user), pk=student_pk).exists(),
    )


def grounds(user, student: Student | int, part: str) -> list[str]:
    """The roles through which this user may see ``part`` of this student's record."""
    grants = grants_for(user)
    pk = student if isinstance(student, int) else student.pk
    return sorted(role for role in grants.roles if part in parts_of(role) and _reaches(grants, role, user, pk))


def may_view(user, student: Student | int, part: str) -> bool:
    """Whether the user may see ``part`` of the student's record (a student or its id)."""
    return bool(grounds(user, student, part))


def may_edit_student(user, student: Student) -> bool:
    """Counsellors and principals edit students enrolled at their own units."""
    grants = grants_for(user)
    units = grants.scoped(Role.COUNSELLOR, "school_unit") + grants.scoped(Role.PRINCIPAL, "school_unit")
    return bool(units) and _remembered(
        grants,
        ("reaches", (True, tuple(sorted(units)), (), ()), student.pk),
        lambda: Student.objects.filter(_unit_students(units, grants.day, former=True), pk=student.pk).exists(),
    )


def units_for_action(user, action: str):
    """School units where the user holds a role that allows ``action``."""

    grants = grants_for(user)
    unit_ids = [a.school_unit_id for a in grants.assignments if a.role in action_roles(action) and a.school_unit_id]
    return SchoolUnit.objects.filter(pk__in=unit_ids).select_related("organiser")


def student_for_view(request: HttpRequest, pk: int, parts: Iterable[str], also: Iterable[str] = ()) -> Student:
    """Fetch a student for a page that shows ``parts``; log the read; 404 if out of scope.

    ``also``: parts the page shows only when the user may see them; those the user may
    see are logged with ``parts`` (one read-log write per page).

    Missing and not-yours are the same 404, so a page never tells whether a
    student exists outside the user's scope.
    """

    parts = list(parts)
    user = request.user
    grants = grants_for(user)
    roles = sorted(r for r in grants.roles if parts[0] in parts_of(r))
    scope = student_scope(user, every_role=True)
    if scope is not None and all(any(p in parts_of(r) for r in grants.roles) for p in parts):
        # Every page about one student asks this first: compiled once per shape (kept_sql).

        def build(pk: int, **scope_args) -> QuerySet[Student]:
            return _for_view(scope.grants(**scope_args), parts, pk)

        name = f"access.student_for_view:{','.join(parts)}:{scope.key}"
        found = kept_objects(Student, name, build, pk=pk, **scope.args)
    else:
        found = list(_for_view(grants, parts, pk)) if all(visible_roles(grants, p) for p in parts) else []
    student = found[0] if found else None
    if student is None:
        raise Http404(_("No such student."))
    for i, role in enumerate(roles):
        grants.answers[("reaches", _scope_key(grants, role), student.pk)] = getattr(student, f"_reach_{i}")
    shown = parts + [p for p in also if p not in parts and may_view(user, student, p)]
    audit_record_read(request=request, student=student, parts=shown, roles=grounds(user, student, parts[0]))
    return student


def visible_roles(grants: Grants, part: str) -> list[str]:
    """The roles held through which ``part`` of a student may be seen."""
    return sorted(r for r in grants.roles if part in parts_of(r))


def _for_view(grants: Grants, parts: list[str], pk: int) -> QuerySet[Student]:
    """The student if every part is visible to these grants, annotated with which of the
    roles that see the first part reach it (``_reach_0``, …): the grounds of the read-log
    row, and every later question about this student in the request costs nothing."""
    qs = Student.objects.filter(_roles_q(grants, visible_roles(grants, parts[0])))
    for part in parts[1:]:
        qs = qs.filter(pk__in=Student.objects.filter(_roles_q(grants, visible_roles(grants, part))).values("pk"))
    reach = {
        f"_reach_{i}": Case(When(_role_q(grants, role, None), then=Value(True)), default=Value(False))
        for i, role in enumerate(visible_roles(grants, parts[0]))
    }
    return qs.filter(pk=pk).annotate(**reach)


# --- Protected identity -----------------------------------------------------


def _own_unit_q(grants: Grants) -> Q:
    """Students reached through their own school unit (or as the named mentee)."""
    sources: list[QuerySet] = []
    unit_roles = [r for r in grants.roles if r in INDIVIDUAL_STAFF_ROLES]
    for role in unit_roles:
        if units := grants.scoped(role, "school_unit"):
            sources.append(
                _unit_enrolments(units, grants.day, former=role in FORMER_STUDENT_ROLES).values("student_id")
            )
        if groups := grants.scoped(role, "group"):
            memberships = _group_memberships(groups, grants.day).filter(
                student__enrolments__school_unit=F("group__school_unit")
            )
            sources.append(memberships.values("student_id"))
        if students := grants.scoped(role, "student"):
            sources.append(Student.objects.filter(pk__in=students).values("pk"))
    if grants.student_id:
        sources.append(Student.objects.filter(pk=grants.student_id).values("pk"))
    if grants.guardian_id:
        sources.append(GuardianLink.objects.filter(guardian_id=grants.guardian_id).values("student_id"))
    return _ids_q(sources)


def names_visible_students(user) -> QuerySet[Student]:
    """Students whose name this user may see even under protected identity."""
    return Student.objects.filter(_own_unit_q(grants_for(user)))


PROTECTED_LABEL = gettext_lazy("Protected identity")


# What :func:`label_students` reads of a student, and a list's name column besides (the
# date of birth tells two students of the same name apart): a long list of students that
# shows nothing else fetches only these (``.only(*LABEL_FIELDS)``).
LABEL_FIELDS = ("personal_identity_number", "first_name", "last_name", "date_of_birth", "security_marking")


def label_students(user, students: Iterable[Student]) -> list[Student]:
    """Set ``display_name`` and ``display_number`` on each student for this user.

    A student with protected identity is shown by name only to staff with
    individual access at the student's own school unit (and to the student
    and guardians); everyone else sees “Protected identity” and no number.
    """
    students = list(students)
    protected = [s.pk for s in students if s.has_protected_identity]
    visible: set[int] = set()
    if protected:
        grants = grants_for(user)
        visible = set(Student.objects.filter(_own_unit_q(grants), pk__in=protected).values_list("pk", flat=True))
    for s in students:
        s = cast(Any, s)  # the labels are set for the page, not stored
        if s.has_protected_identity and s.pk not in visible:
            s.display_name = f"{PROTECTED_LABEL} #{s.pk}"
            s.display_number = "—"
            s.name_hidden = True
        else:
            s.display_name = s.full_name
            s.display_number = s.formatted_identity_number
            s.name_hidden = False
    return students


def students_through(user, role: str) -> QuerySet[Student]:
    """Students this user reaches through one particular role (for start pages)."""
    grants = grants_for(user)
    if role not in grants.roles:
        return Student.objects.none()
    return Student.objects.filter(_role_q(grants, role, user))


# --- Generic answers for areas -------------------------------------------------


def abilities(user, student: Student, kind: str) -> frozenset[str]:
    """What this user may do to ``student``'s objects of ``kind``, from the roles that reach
    the student (as an area declared them with :class:`~studievag.access.declarations.Abilities`)."""
    declared = registry().abilities[kind]
    found: set[str] = set()
    for role in grounds(user, student, declared.part):
        found |= declared.by_role.get(role, frozenset())
    return frozenset(found)


def assignments_for_action(user, action: str) -> list[RoleAssignment]:
    """The user's role assignments today whose role allows ``action``."""
    allowed = action_roles(action)
    return [a for a in grants_for(user).assignments if a.role in allowed]


def unit_ids_for_action(user, action: str) -> set[int]:
    """School units reached through a role that allows ``action``: unit scopes and the units of group scopes."""
    ids: set[int] = set()
    for a in assignments_for_action(user, action):
        if a.school_unit_id:
            ids.add(a.school_unit_id)
        elif a.group is not None:
            ids.add(a.group.school_unit_id)
    return ids


def organiser_ids_for_action(user, action: str) -> set[int]:
    """Organisers reached through a role that allows ``action``: organiser scopes and the
    organisers of unit and group scopes."""
    ids: set[int] = set()
    for a in assignments_for_action(user, action):
        if a.organiser_id:
            ids.add(a.organiser_id)
        elif a.school_unit is not None:
            ids.add(a.school_unit.organiser_id)
        elif a.group is not None:
            ids.add(a.group.school_unit.organiser_id)
    return ids


def students_for_action(user, action: str) -> QuerySet[Student]:
    """Students reached through a role that allows ``action`` (not through every role held)."""
    grants = grants_for(user)
    roles = [r for r in grants.roles if r in action_roles(action)]
    if not roles:
        return Student.objects.none()
    return Student.objects.filter(_roles_q(grants, roles))


def may_act_on(user, action: str, student: Student) -> bool:
    """Whether a role that allows ``action`` reaches ``student`` (answered once per request)."""
    grants = grants_for(user)
    return any(_reaches(grants, role, user, student.pk) for role in grants.roles if role in action_roles(action))
