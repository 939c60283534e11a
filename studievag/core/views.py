"""The start page per role, and the health check."""

import logging

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from studievag.access.models import Role, RoleAssignment
from studievag.access.policy import Part, grants_for, may
from studievag.access.reads import log_reads
from studievag.enrolments.models import Enrolment, StudentGroup
from studievag.organisations.models import Organiser, Region, SchoolUnit
from studievag.outcomes.selectors import follow_ups_due_count, kaa_referrals
from studievag.plans.permissions import PLAN
from studievag.progress.permissions import PROGRESS
from studievag.quality.linked import scope_summaries

from . import selectors
from .worklist_rows import WorklistRows

UNIT_PAGE_SIZE = 50
log = logging.getLogger("studievag.health")


@login_required
def home(request):
    grants = grants_for(request.user)
    roles = grants.roles
    if roles and roles <= {Role.STUDENT, Role.GUARDIAN}:
        return redirect("people:family_home")
    today = timezone.localdate()
    context = {"roles": roles}
    if Role.MENTOR in roles or Role.PRINCIPAL in roles:
        context |= _worklist_context(request, today)
    if Role.TEACHER in roles:
        context["teacher_groups"] = (
            StudentGroup.objects.filter(pk__in=grants.scoped(Role.TEACHER, "group"))
            .annotate(
                n=Count(
                    "memberships",
                    filter=Q(memberships__start_date__lte=today)
                    & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)),
                )
            )
            .select_related("school_unit")
        )
    unit_ids = {
        a.school_unit_id for a in grants.assignments if a.role in (Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL)
    }
    if unit_ids:
        units = SchoolUnit.objects.filter(pk__in=unit_ids).select_related("organiser")
        counts = dict(
            Enrolment.objects.active_on(today)
            .filter(school_unit_id__in=unit_ids)
            .values_list("school_unit_id")
            .annotate(n=Count("student_id", distinct=True))
        )
        context["units"] = [(u, counts.get(u.pk, 0)) for u in units]
    context["sending_units"] = [a.school_unit for a in grants.assignments if a.role == Role.SENDING_SCHOOL]
    context["overview_scopes"] = [
        a.scope for a in grants.assignments if a.role in (Role.ORGANISER_ANALYST, Role.REGIONAL_COORDINATOR)
    ]
    if context["overview_scopes"]:
        context["overview"] = _overview_summary(request.user, today)
    if Role.ADMIN in roles:
        context["setup"] = _setup_summary(today)
    if may(request.user, "outcomes.follow_up"):
        context["follow_ups_due"] = follow_ups_due_count(request.user, today)
    if Role.KAA_CONTACT in roles:
        referrals = kaa_referrals(request.user)
        context["kaa"] = {"total": referrals.count(), "sent": referrals.filter(status="sent").count()}
    return render(request, "core/home.html", context)


def _worklist_context(request, today) -> dict:
    """The mentor's and the principal's worklists, filtered and sorted as asked (GET, no JS).

    Each shown student is logged in the read log (name, plan status, signals);
    the principal's list is paged, and only the page shown is logged.
    """
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_LABELS or status == selectors.SIGNALS else ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.SORTS else "urgency"
    lists = selectors.worklists(request.user, on=today)
    context: dict = {
        "status_choices": [(key, label) for key, label in selectors.STATUS_LABELS.items()]
        + [(selectors.SIGNALS, _("With early signals"))],
        "sort_choices": [("urgency", _("What needs doing first")), ("name", _("Name")), ("talk", _("Next plan talk"))],
        "chosen": {"status": status, "sort": sort},
    }
    shown = []
    if lists.mentees is not None:
        context["mentees"] = lists.mentees
        context["worklist"] = selectors.filtered(lists.mentees, status=status, sort=sort)
        shown += context["worklist"]
    if lists.units is not None:
        units = lists.units
        unit = request.GET.get("unit", "")
        chosen = [u for u in units if str(u.unit.pk) == unit]
        context["chosen"]["unit"] = unit if chosen else ""
        rows = [row for u in (chosen or units) for row in u.rows]
        page = Paginator(selectors.filtered(rows, status=status, sort=sort), UNIT_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context |= {"unit_worklists": units, "unit_page": page}
        shown += page.object_list
    # The plan-talk column's texts for the rows shown, made once here rather than by three
    # translated blocks a row in the template.
    for row in shown:
        if row.next_talk:
            day = row.next_talk.isoformat()
            row.next_talk_text = (
                _("Next: due %(date)s (overdue)") % {"date": day}
                if row.talk_overdue
                else _("Next: by %(date)s") % {"date": day}
            )
        row.last_talk_text = (
            _("Last: %(date)s") % {"date": row.last_talk.isoformat()} if row.last_talk else _("No talk held yet")
        )
    cells = WorklistRows()
    cells.fill(context.get("worklist", []), show_unit=False)
    if "unit_page" in context:
        cells.fill(list(context["unit_page"].object_list), show_unit=True)
    # A student on both lists (a principal who is also the mentor) is logged once.
    log_reads(request, {row.student.pk: row.student for row in shown}.values(), [Part.RECORD, PLAN, PROGRESS])
    return context


def _overview_summary(user, today) -> dict:
    """Each region or organiser in an analyst's or coordinator's scope: units and students this term.

    The student figure comes from the quality area's protection, like every group figure.
    """
    period, scopes = scope_summaries(user, today=today)
    return {"period": period, "scopes": scopes}


def _setup_summary(today) -> list[tuple[str, int, str]]:
    """What the administrator looks after, with a count and a link into the admin."""

    return [
        (_("Regions"), Region.objects.count(), reverse("admin:organisations_region_changelist")),
        (_("Organisers"), Organiser.objects.count(), reverse("admin:organisations_organiser_changelist")),
        (_("School units"), SchoolUnit.objects.count(), reverse("admin:organisations_schoolunit_changelist")),
        (_("Student groups"), StudentGroup.objects.count(), reverse("admin:enrolments_studentgroup_changelist")),
        (_("Accounts"), User.objects.filter(is_active=True).count(), reverse("admin:auth_user_changelist")),
        (
            _("Role assignments in force"),
            RoleAssignment.objects.active_on(today).count(),
            reverse("admin:access_roleassignment_changelist"),
        ),
    ]


@require_GET
@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """Answers 200 when the application and its database are up, 503 otherwise.

    Public (the container's HEALTHCHECK and a load balancer call it), so it says
    nothing about why: the reason goes to the log.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "down"
        log.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
