"""The one place that decides who may see and do what.

Two questions are answered here and nowhere else:

* *Which students may this user see, and which parts of their record?*
  :func:`visible_students` returns a queryset built from the user's grants:
  staff role assignments (scoped and dated), the student's own login and
  guardian links (with the rule that guardianship ends at 18 unless the
  student consents).
* *May this user use this page?* :func:`may` checks an action against
  :data:`ACTIONS`.

Views fetch students through :func:`student_for_view`, which also writes the
audit row. A student that does not exist and one outside the user's scope
give the same 404.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from studievag.enrolments.models import Enrolment, GroupMembership
from studievag.people.models import AGE_OF_MAJORITY, GuardianLink, Student, add_years

from .models import Role, RoleAssignment

# Staff at a school unit keep seeing a student who has left for this many
# days, so that the follow-up 6 and 12 months after the programme can be done.
FORMER_STUDENT_DAYS = 400


class Part:
    """Parts of a student's individual record, each granted and logged separately."""

    RECORD = "record"  # name, identity number, programme: what a list shows
    BACKGROUND = "background"  # languages, arrival, schooling
    ENROLMENTS = "enrolments"
    GUARDIANS = "guardians"
    AUDIT_LOG = "audit_log"  # who has read the record

    LABELS = {
        RECORD: gettext_lazy("Basic record"),
        BACKGROUND: gettext_lazy("Background"),
        ENROLMENTS: gettext_lazy("Enrolments"),
        GUARDIANS: gettext_lazy("Guardians"),
        AUDIT_LOG: gettext_lazy("Read log"),
    }


_ALL_RECORD = {Part.RECORD, Part.BACKGROUND, Part.ENROLMENTS, Part.GUARDIANS}
PARTS_BY_ROLE: dict[str, set[str]] = {
    Role.STUDENT: _ALL_RECORD | {Part.AUDIT_LOG},
    Role.GUARDIAN: {Part.RECORD, Part.BACKGROUND, Part.ENROLMENTS},
    Role.MENTOR: _ALL_RECORD,
    Role.TEACHER: {Part.RECORD, Part.BACKGROUND, Part.ENROLMENTS},
    Role.COUNSELLOR: _ALL_RECORD,
    Role.STUDENT_HEALTH: _ALL_RECORD,
    Role.PRINCIPAL: _ALL_RECORD | {Part.AUDIT_LOG},
    # Group level only: no individual records.
    Role.ORGANISER_ANALYST: set(),
    Role.REGIONAL_COORDINATOR: set(),
    Role.SENDING_SCHOOL: set(),
    Role.ADMIN: set(),
}
INDIVIDUAL_STAFF_ROLES = {
    Role.MENTOR,
    Role.TEACHER,
    Role.COUNSELLOR,
    Role.STUDENT_HEALTH,
    Role.PRINCIPAL,
}

# Page-level actions and the roles that may take them (scope still applies
# to every student the page touches).
ACTIONS: dict[str, set[str]] = {
    "student.list": set(INDIVIDUAL_STAFF_ROLES),
    "student.create": {Role.COUNSELLOR, Role.PRINCIPAL},
    "student.guardian_consent": {Role.COUNSELLOR, Role.PRINCIPAL},
    "audit.school_log": {Role.PRINCIPAL},
    "family.view": {Role.STUDENT, Role.GUARDIAN},
    "family.own_reads": {Role.STUDENT},
    "organisation.overview": {Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR},
    "organisation.admin": {Role.ADMIN},
    # Group-level quality reports (studievag.quality): figures only, always
    # suppressed; a principal may lift suppression for own school units.
    "quality.report": {Role.PRINCIPAL, Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR},
    "quality.unsuppressed": {Role.PRINCIPAL},
    "quality.reflect": {
        Role.MENTOR,
        Role.TEACHER,
        Role.COUNSELLOR,
        Role.STUDENT_HEALTH,
        Role.PRINCIPAL,
        Role.ORGANISER_ANALYST,
    },
    "quality.reflections": {
        Role.MENTOR,
        Role.TEACHER,
        Role.COUNSELLOR,
        Role.STUDENT_HEALTH,
        Role.PRINCIPAL,
        Role.ORGANISER_ANALYST,
        Role.REGIONAL_COORDINATOR,
    },
}

# --- Individual study plans (plans area) --------------------------------------
# The plan is a part of the record; support needs are a part of their own,
# shown only to student health, the principal and the mentor. Teachers read a
# summary (goals, courses, review status) of the students in their groups.
Part.PLAN = "plan"
Part.PLAN_SUMMARY = "plan_summary"
Part.SUPPORT_NEEDS = "support_needs"
Part.LABELS.update(
    {
        Part.PLAN: gettext_lazy("Study plan"),
        Part.PLAN_SUMMARY: gettext_lazy("Study plan summary"),
        Part.SUPPORT_NEEDS: gettext_lazy("Support needs"),
    }
)
for _role in (Role.STUDENT, Role.GUARDIAN, Role.MENTOR, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL):
    # A new set each time: several roles share one set object above.
    PARTS_BY_ROLE[_role] = PARTS_BY_ROLE[_role] | {Part.PLAN, Part.PLAN_SUMMARY}
PARTS_BY_ROLE[Role.TEACHER] = PARTS_BY_ROLE[Role.TEACHER] | {Part.PLAN_SUMMARY}
for _role in (Role.MENTOR, Role.STUDENT_HEALTH, Role.PRINCIPAL):
    PARTS_BY_ROLE[_role] = PARTS_BY_ROLE[_role] | {Part.SUPPORT_NEEDS}
ACTIONS.update(
    {
        "plan.view": set(INDIVIDUAL_STAFF_ROLES),
        "plan.list": {Role.MENTOR, Role.PRINCIPAL},
        "plan.education_plan.view": set(INDIVIDUAL_STAFF_ROLES) | {Role.ORGANISER_ANALYST},
        "plan.education_plan.edit": {Role.PRINCIPAL, Role.ORGANISER_ANALYST},
    }
)
# What each role may do to the plan of a student it reaches.
PLAN_ABILITIES_BY_ROLE: dict[str, set[str]] = {
    Role.MENTOR: {"edit_content", "edit_path", "review", "export", "import"},
    Role.COUNSELLOR: {"edit_path", "export", "import"},
    Role.PRINCIPAL: {"edit_content", "edit_path", "review", "approve", "export", "import"},
}


# --- Support needs: one store, keyed by the student ----------------------------------
# Read through Part.SUPPORT_NEEDS (student health, the principal, the student's
# mentor; every read logged), from the intake pages and the plan's page alike.
# The same need-to-know roles record them (append-only, with a reason).
SUPPORT_NEEDS_WRITERS = frozenset({Role.STUDENT_HEALTH, Role.PRINCIPAL, Role.MENTOR})


def may_record_support_needs(user, student: Student) -> bool:
    return bool(SUPPORT_NEEDS_WRITERS.intersection(grounds(user, student, Part.SUPPORT_NEEDS)))


# --- Progress and intake (issue 4) ------------------------------------------
# Kept as one block so that other areas' additions merge cleanly.
Part.PROGRESS = "progress"  # progression, grades, attendance, team decisions
Part.LABELS[Part.PROGRESS] = gettext_lazy("Progression and attendance")
# The mapping at intake is part of the background (Part.BACKGROUND).
# Support needs found at intake use the plans area's Part.SUPPORT_NEEDS (student
# health, the principal and the mentor; every read logged).
for _role in (Role.STUDENT, Role.GUARDIAN, *INDIVIDUAL_STAFF_ROLES):
    PARTS_BY_ROLE[_role] = PARTS_BY_ROLE[_role] | {Part.PROGRESS}
ACTIONS.update(
    {
        # Record the mapping at intake for students in scope through one of these roles.
        "intake.edit": {Role.MENTOR, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL},
        # Record progression, grades and attendance for a course group: its teachers,
        # and the principal at the group's school unit.
        "progress.record": {Role.TEACHER, Role.PRINCIPAL},
        # The weekly team overview and the decisions taken there.
        "progress.team": {Role.MENTOR, Role.TEACHER, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL},
        # A student's progression page for staff.
        "progress.view": set(INDIVIDUAL_STAFF_ROLES),
        # The organiser's scales and thresholds.
        "progress.settings": {Role.PRINCIPAL, Role.ORGANISER_ANALYST},
        # Definitions (the in-line rule, the signals): for every signed-in user.
        "progress.help": {r.value for r in Role},
    }
)


@dataclass(frozen=True)
class Grants:
    """What one user holds on one day; computed once per request."""

    day: datetime.date
    assignments: tuple[RoleAssignment, ...]
    student_id: int | None
    guardian_id: int | None

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


def grants_for(user, day: datetime.date | None = None) -> Grants:
    day = day or timezone.localdate()
    cache = getattr(user, "_studievag_grants", None)
    if cache is not None and cache.day == day:
        return cache
    if not user.is_authenticated or not user.is_active:
        grants = Grants(day=day, assignments=(), student_id=None, guardian_id=None)
    else:
        assignments = tuple(
            RoleAssignment.objects.filter(user=user)
            .active_on(day)
            .select_related("region", "organiser", "school_unit__organiser", "group__school_unit")
        )
        student_id = Student.objects.filter(user=user).values_list("pk", flat=True).first()
        guardian_id = (
            GuardianLink.objects.filter(guardian__user=user)
            .filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .values_list("guardian_id", flat=True)
            .first()
        )
        grants = Grants(day=day, assignments=assignments, student_id=student_id, guardian_id=guardian_id)
    user._studievag_grants = grants
    return grants


def roles_of(user) -> set[str]:
    return grants_for(user).roles


def may(user, action: str) -> bool:
    return bool(roles_of(user) & ACTIONS[action])


def has_individual_access(user) -> bool:
    return bool(roles_of(user) & (INDIVIDUAL_STAFF_ROLES | {Role.STUDENT, Role.GUARDIAN}))


# --- Which students ---------------------------------------------------------


def _unit_students(unit_ids: list[int], day: datetime.date) -> Q:
    since = day - datetime.timedelta(days=FORMER_STUDENT_DAYS)
    enrolments = Enrolment.objects.filter(school_unit_id__in=unit_ids).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since)
    )
    return Q(pk__in=enrolments.values("student_id"))


def _group_students(group_ids: list[int], day: datetime.date) -> Q:
    memberships = GroupMembership.objects.filter(group_id__in=group_ids, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    return Q(pk__in=memberships.values("student_id"))


def guardian_may_follow(day: datetime.date) -> Q:
    """Guardian links that give access on ``day``: the student is under 18, or consents."""
    adult_born_on_or_before = add_years(day, -AGE_OF_MAJORITY)
    consent = Q(
        consents__given_on__lte=day,
    ) & (Q(consents__withdrawn_on__isnull=True) | Q(consents__withdrawn_on__gt=day))
    return (
        Q(valid_from__lte=day)
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        & (Q(student__date_of_birth__gt=adult_born_on_or_before) | consent)
    )


def _role_q(grants: Grants, role: str, user) -> Q | None:
    day = grants.day
    if role == Role.STUDENT:
        return Q(pk=grants.student_id)
    if role == Role.GUARDIAN:
        links = GuardianLink.objects.filter(guardian_id=grants.guardian_id).filter(guardian_may_follow(day))
        return Q(pk__in=links.values("student_id"))
    q = Q(pk__in=[])
    if units := grants.scoped(role, "school_unit"):
        q |= _unit_students(units, day)
    if groups := grants.scoped(role, "group"):
        q |= _group_students(groups, day)
    if students := grants.scoped(role, "student"):
        q |= Q(pk__in=students)
    return q


def _scope_q(user, part: str) -> tuple[Q, list[str]]:
    grants = grants_for(user)
    q = Q(pk__in=[])
    roles = [r for r in grants.roles if part in PARTS_BY_ROLE.get(r, set())]
    for role in roles:
        q |= _role_q(grants, role, user)
    return q, roles


def visible_students(user, part: str = Part.RECORD) -> QuerySet[Student]:
    """Every student whose ``part`` this user may see today."""
    q, roles = _scope_q(user, part)
    if not roles:
        return Student.objects.none()
    return Student.objects.filter(q)


def grounds(user, student: Student, part: str) -> list[str]:
    """The roles through which this user may see ``part`` of this student's record."""
    grants = grants_for(user)
    return sorted(
        role
        for role in grants.roles
        if part in PARTS_BY_ROLE.get(role, set())
        and Student.objects.filter(_role_q(grants, role, user), pk=student.pk).exists()
    )


def may_view(user, student: Student, part: str) -> bool:
    return visible_students(user, part).filter(pk=student.pk).exists()


def may_edit_student(user, student: Student) -> bool:
    """Counsellors and principals edit students enrolled at their own units."""
    grants = grants_for(user)
    units = grants.scoped(Role.COUNSELLOR, "school_unit") + grants.scoped(Role.PRINCIPAL, "school_unit")
    return bool(units) and Student.objects.filter(_unit_students(units, grants.day), pk=student.pk).exists()


def units_for_action(user, action: str):
    """School units where the user holds a role that allows ``action``."""
    from studievag.organisations.models import SchoolUnit

    grants = grants_for(user)
    unit_ids = [a.school_unit_id for a in grants.assignments if a.role in ACTIONS[action] and a.school_unit_id]
    return SchoolUnit.objects.filter(pk__in=unit_ids).select_related("organiser")


def student_for_view(request: HttpRequest, pk: int, parts: Iterable[str]) -> Student:
    """Fetch a student for a page that shows ``parts``; log the read; 404 if out of scope.

    Missing and not-yours are the same 404, so a page never tells whether a
    student exists outside the user's scope.
    """
    from studievag.audit.services import audit_record_read

    parts = list(parts)
    qs = visible_students(request.user, parts[0])
    for part in parts[1:]:
        qs = qs.filter(pk__in=visible_students(request.user, part).values("pk"))
    student = qs.filter(pk=pk).first()
    if student is None:
        raise Http404(_("No such student."))
    audit_record_read(
        request=request,
        student=student,
        parts=parts,
        roles=grounds(request.user, student, parts[0]),
    )
    return student


# --- Protected identity -----------------------------------------------------


def _own_unit_q(grants: Grants) -> Q:
    """Students reached through their own school unit (or as the named mentee)."""
    q = Q(pk__in=[])
    unit_roles = [r for r in grants.roles if r in INDIVIDUAL_STAFF_ROLES]
    for role in unit_roles:
        if units := grants.scoped(role, "school_unit"):
            q |= _unit_students(units, grants.day)
        if groups := grants.scoped(role, "group"):
            memberships = GroupMembership.objects.filter(
                group_id__in=groups,
                start_date__lte=grants.day,
            ).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=grants.day),
                student__enrolments__school_unit=F("group__school_unit"),
            )
            q |= Q(pk__in=memberships.values("student_id"))
        if students := grants.scoped(role, "student"):
            q |= Q(pk__in=students)
    if grants.student_id:
        q |= Q(pk=grants.student_id)
    if grants.guardian_id:
        q |= Q(guardian_links__guardian_id=grants.guardian_id)
    return q


def names_visible_students(user) -> QuerySet[Student]:
    """Students whose name this user may see even under protected identity."""
    return Student.objects.filter(_own_unit_q(grants_for(user)))


PROTECTED_LABEL = gettext_lazy("Protected identity")


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


# --- Group-level reports (studievag.quality) -----------------------------------


@dataclass(frozen=True)
class ReportScope:
    """What a user may report on: ids of regions, organisers and school units."""

    regions: frozenset[int]
    organisers: frozenset[int]
    units: frozenset[int]  # school units the user may pick as the report level
    unsuppressed_units: frozenset[int]  # units whose figures the user may see unsuppressed


def report_scope(user) -> ReportScope:
    """Principals: own school units; analysts: own organiser and its units;
    regional coordinators: their region and its organisers (never single units)."""
    from studievag.organisations.models import Organiser, SchoolUnit

    grants = grants_for(user)
    regions = set(grants.scoped(Role.REGIONAL_COORDINATOR, "region"))
    organisers = set(grants.scoped(Role.ORGANISER_ANALYST, "organiser"))
    principal_units = set(grants.scoped(Role.PRINCIPAL, "school_unit"))
    if regions:
        organisers |= set(Organiser.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    analyst_organisers = grants.scoped(Role.ORGANISER_ANALYST, "organiser")
    units = set(principal_units)
    if analyst_organisers:
        units |= set(
            SchoolUnit.objects.filter(
                organiser_id__in=analyst_organisers,
                school_type=SchoolUnit.SchoolType.UPPER_SECONDARY,
            ).values_list("pk", flat=True)
        )
    return ReportScope(
        regions=frozenset(regions),
        organisers=frozenset(organisers),
        units=frozenset(units),
        unsuppressed_units=frozenset(principal_units),
    )


def reflection_units(user, *, writing: bool):
    """School units whose reflections this user may write (or, ``writing=False``, read)."""
    from studievag.organisations.models import SchoolUnit

    grants = grants_for(user)
    roles = ACTIONS["quality.reflect" if writing else "quality.reflections"]
    unit_ids: set[int] = set()
    organiser_ids: set[int] = set()
    region_ids: set[int] = set()
    for a in grants.assignments:
        if a.role not in roles:
            continue
        if a.school_unit_id:
            unit_ids.add(a.school_unit_id)
        elif a.group_id:
            unit_ids.add(a.group.school_unit_id)
        elif a.organiser_id:
            organiser_ids.add(a.organiser_id)
        elif a.region_id:
            region_ids.add(a.region_id)
    return (
        SchoolUnit.objects.filter(
            Q(pk__in=unit_ids) | Q(organiser_id__in=organiser_ids) | Q(organiser__region_id__in=region_ids)
        )
        .filter(school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
        .select_related("organiser")
    )


# --- Individual study plans (plans area) --------------------------------------


def plan_abilities(user, student: Student) -> set[str]:
    """What this user may do to ``student``'s plan, from the roles that reach the student.

    ``edit_content``: every section; ``edit_path``: study path, planned length
    and goals (counsellors); ``review``: record plan talks; ``approve``;
    ``export`` and ``import`` the portable plan. Support needs: ``may_record_support_needs``.
    """
    abilities: set[str] = set()
    for role in grounds(user, student, Part.PLAN_SUMMARY):
        abilities |= PLAN_ABILITIES_BY_ROLE.get(role, set())
    return abilities


def education_plan_organisers(user, action: str):
    """Organisers whose plans for education this user may read or (``…edit``) write."""
    from studievag.organisations.models import Organiser

    grants = grants_for(user)
    ids = set()
    for a in grants.assignments:
        if a.role not in ACTIONS[action]:
            continue
        if a.organiser_id:
            ids.add(a.organiser_id)
        elif a.school_unit_id:
            ids.add(a.school_unit.organiser_id)
        elif a.group_id:
            ids.add(a.group.school_unit.organiser_id)
    return Organiser.objects.filter(pk__in=ids)


# --- Progress and intake (issue 4): which students through which roles ---------


def students_for_action(user, action: str) -> QuerySet[Student]:
    """Students reached through a role that allows ``action`` (not through every role held)."""
    grants = grants_for(user)
    roles = [r for r in grants.roles if r in ACTIONS[action]]
    if not roles:
        return Student.objects.none()
    q = Q(pk__in=[])
    for role in roles:
        q |= _role_q(grants, role, user)
    return Student.objects.filter(q)


def course_groups_for(user):
    """Course groups whose progression and attendance this user records: own groups as
    teacher, every course group at the units where the user is principal."""
    from studievag.enrolments.models import StudentGroup

    grants = grants_for(user)
    group_ids = grants.scoped(Role.TEACHER, "group")
    unit_ids = grants.scoped(Role.PRINCIPAL, "school_unit")
    return StudentGroup.objects.filter(
        Q(pk__in=group_ids) | Q(school_unit_id__in=unit_ids),
        kind=StudentGroup.Kind.COURSE_GROUP,
        course__isnull=False,
    ).select_related("course__subject", "school_unit__organiser")


def teams_for(user):
    """The teams whose weekly overview this user may open: (groups, school units).

    Groups: mentor groups and work teams the user holds a role in; every mentor
    group and work team at the units where the user is counsellor, student
    health or principal. Units: those same units, as one whole team.
    """
    from studievag.enrolments.models import StudentGroup
    from studievag.organisations.models import SchoolUnit

    grants = grants_for(user)
    team_roles = ACTIONS["progress.team"]
    group_ids = [a.group_id for a in grants.assignments if a.role in team_roles and a.group_id]
    unit_ids = [a.school_unit_id for a in grants.assignments if a.role in team_roles and a.school_unit_id]
    groups = StudentGroup.objects.filter(
        Q(pk__in=group_ids) | Q(school_unit_id__in=unit_ids),
        kind__in=[StudentGroup.Kind.MENTOR_GROUP, StudentGroup.Kind.WORK_TEAM],
    ).select_related("school_unit")
    units = SchoolUnit.objects.filter(pk__in=unit_ids).select_related("organiser")
    return groups, units


def organisers_for_settings(user):
    """Organisers whose follow-up settings this user manages (analyst: own organiser;
    principal: the organisers of own units)."""
    from studievag.organisations.models import Organiser

    grants = grants_for(user)
    organiser_ids = grants.scoped(Role.ORGANISER_ANALYST, "organiser")
    unit_ids = grants.scoped(Role.PRINCIPAL, "school_unit")
    return Organiser.objects.filter(Q(pk__in=organiser_ids) | Q(school_units__pk__in=unit_ids)).distinct()
