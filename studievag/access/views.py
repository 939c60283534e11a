"""The principal's pages: staff roles at own units, and the record of access changes."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studievag.people.models import AccessChange, Student

from . import services
from .decorators import require_action
from .forms import ReasonForm, StaffRoleForm
from .models import RoleAssignment
from .policy import Part, label_students, visible_students


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
