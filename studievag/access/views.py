"""The principal's pages: staff roles at own units, and the record of access changes."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studievag.enrolments import services as enrolment_services
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.form_errors import errors_to_form
from studievag.people.models import AccessChange, Student

from . import services
from .decorators import require_action
from .forms import MembershipEndForm, MembershipStartForm, ReasonForm, StaffRoleForm
from .models import RoleAssignment
from .policy import Part, label_students, unit_ids_for_action, visible_students
from .reads import log_reads


def _own_assignments(user):
    units = services.principal_unit_ids(user)
    return (
        RoleAssignment.objects.filter(Q(school_unit_id__in=units) | Q(group__school_unit_id__in=units))
        .exclude(user=user)
        .select_related("user", "school_unit", "group__school_unit", "granted_by", "confirmed_by")
        .order_by("pending", "user__last_name", "user__first_name", "role")
    )


@require_action("access.manage")
def staff(request):
    units = services.principal_unit_ids(request.user)
    form = StaffRoleForm(request.POST or None, unit_ids=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.role_assignment_grant(
                acting_user=request.user,
                user=data["user"],
                role=data["role"],
                school_unit=data.get("school_unit"),
                group=data.get("group"),
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not give this role."))
        else:
            messages.success(request, _("The role was given: %(what)s.") % {"what": assignment})
            return redirect("access:staff")
    today = datetime.date.today()
    assignments = list(_own_assignments(request.user))
    current = [a for a in assignments if not a.pending and (a.valid_to is None or a.valid_to >= today)]
    pending = [a for a in assignments if a.pending]
    for a in pending:
        a.may_confirm = services.may_confirm(request.user, a)
    return render(
        request,
        "access/staff.html",
        {"form": form, "current": current, "pending": pending, "reason_form": ReasonForm()},
    )


def _own_assignment_or_404(request, pk: int) -> RoleAssignment:
    return get_object_or_404(_own_assignments(request.user), pk=pk)


@require_POST
@require_action("access.manage")
def confirm(request, pk: int):
    assignment = _own_assignment_or_404(request, pk)
    if not services.may_confirm(request.user, assignment):
        raise PermissionDenied
    services.role_assignment_confirm(acting_user=request.user, assignment=assignment)
    messages.success(request, _("The role is confirmed and in force."))
    return redirect("access:staff")


@require_POST
@require_action("access.manage")
def revoke(request, pk: int):
    assignment = _own_assignment_or_404(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the role ends."))
        return redirect("access:staff")
    try:
        services.role_assignment_revoke(
            acting_user=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role has ended."))
    return redirect("access:staff")


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_action("access.manage")
def changes(request):
    """Every change to who may see a student, at own units and of own students."""
    units = services.principal_unit_ids(request.user)
    students = visible_students(request.user, Part.AUDIT_LOG).values("pk")
    rows = AccessChange.objects.filter(Q(school_unit_id__in=units) | Q(student__in=students)).select_related(
        "student", "school_unit"
    )
    params = request.GET
    if kind := params.get("kind"):
        rows = rows.filter(kind=kind)
    if who := params.get("who", "").strip()[:150]:
        rows = rows.filter(Q(acting_username__icontains=who) | Q(subject_username__icontains=who))
    if since := _date(params.get("from")):
        rows = rows.filter(at__date__gte=since)
    if until := _date(params.get("to")):
        rows = rows.filter(at__date__lte=until)
    page = Paginator(rows, 100).get_page(params.get("page"))
    by_pk: dict[int, Student] = {}
    for row in page.object_list:
        if row.student_id:
            row.student = by_pk.setdefault(row.student_id, row.student)
    label_students(request.user, by_pk.values())
    return render(
        request,
        "access/changes.html",
        {"page": page, "params": params, "kinds": AccessChange.Kind.choices},
    )


# --- Group memberships at own school units ------------------------------------

GROUPS_ACTION = "access.groups"


def _own_groups(user):
    return StudentGroup.objects.filter(school_unit_id__in=unit_ids_for_action(user, GROUPS_ACTION))


def _current_memberships(day: datetime.date):
    return (
        GroupMembership.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "pk")
    )


def _render_groups(request, *, bound_add=None, bound_end=None):
    """The page; ``bound_add`` = (group pk, form) and ``bound_end`` = (membership pk, form)
    put a refused form back where it was filled in."""
    today = datetime.date.today()
    groups = list(
        _own_groups(request.user)
        .select_related("school_unit", "course")
        .prefetch_related(Prefetch("memberships", queryset=_current_memberships(today), to_attr="current"))
        .order_by("school_unit__name", "kind", "name")
    )
    unit_students: dict[int, list[Student]] = {}
    for unit_id in {g.school_unit_id for g in groups}:
        unit_students[unit_id] = list(_unit_students(unit_id, today))
    shown: dict[int, Student] = {}
    for students in unit_students.values():
        for s in students:
            shown.setdefault(s.pk, s)
    for g in groups:
        for m in g.current:
            m.student = shown.setdefault(m.student_id, m.student)
    label_students(request.user, shown.values())
    log_reads(request, shown.values(), [Part.RECORD])
    for g in groups:
        if bound_add and bound_add[0] == g.pk:
            g.add_form = bound_add[1]
        else:
            g.add_form = MembershipStartForm(students=unit_students[g.school_unit_id], prefix=f"g{g.pk}")
        for m in g.current:
            m.end_form = bound_end[1] if bound_end and bound_end[0] == m.pk else MembershipEndForm(prefix=f"m{m.pk}")
    return render(request, "access/groups.html", {"groups": groups})


def _unit_students(unit_id: int, day: datetime.date):
    """The unit's current students: the ones a principal may add to its groups."""
    enrolled = Enrolment.objects.filter(school_unit_id=unit_id).active_on(day).values("student_id")
    return Student.objects.filter(pk__in=enrolled).order_by("last_name", "first_name", "pk")


@require_action(GROUPS_ACTION)
def groups(request):
    """The mentor groups, work teams and course groups at own units, with their current members."""
    return _render_groups(request)


@require_POST
@require_action(GROUPS_ACTION)
def group_add(request, pk: int):
    group = get_object_or_404(_own_groups(request.user).select_related("school_unit"), pk=pk)
    students = list(_unit_students(group.school_unit_id, datetime.date.today()))
    label_students(request.user, students)
    form = MembershipStartForm(request.POST, students=students, prefix=f"g{group.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            enrolment_services.group_membership_start(
                acting_user=request.user,
                group=group,
                student=data["student"],
                start_date=data["start_date"],
                reason=data["reason"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(student)s was added to %(group)s.")
                % {"student": data["student"].display_name, "group": group.name},
            )
            return redirect("access:groups")
    return _render_groups(request, bound_add=(group.pk, form))


@require_POST
@require_action(GROUPS_ACTION)
def group_end(request, pk: int):
    membership = get_object_or_404(
        GroupMembership.objects.filter(group__in=_own_groups(request.user)).select_related("group", "student"),
        pk=pk,
    )
    form = MembershipEndForm(request.POST, prefix=f"m{membership.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            enrolment_services.group_membership_end(
                acting_user=request.user, membership=membership, end_date=data["end_date"], reason=data["reason"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            student: Any = label_students(request.user, [membership.student])[0]  # labelled for the page
            messages.success(
                request,
                _("%(student)s leaves %(group)s.") % {"student": student.display_name, "group": membership.group.name},
            )
            return redirect("access:groups")
    return _render_groups(request, bound_end=(membership.pk, form))
