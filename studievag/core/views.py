"""The start page per role, and the health check."""

import logging

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
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
from studievag.access.policy import grants_for, label_students, may, students_through
from studievag.enrolments.models import Enrolment, StudentGroup
from studievag.enrolments.selectors import with_current_enrolment
from studievag.organisations.models import Organiser, Region, SchoolUnit
from studievag.outcomes.selectors import follow_up_tasks, kaa_referrals
from studievag.quality.linked import scope_summaries

log = logging.getLogger("studievag.health")


@login_required
def home(request):
    grants = grants_for(request.user)
    roles = grants.roles
    if roles and roles <= {Role.STUDENT, Role.GUARDIAN}:
        return redirect("people:family_home")
    today = timezone.localdate()
    context = {"roles": roles}
    if Role.MENTOR in roles:
        mentees = with_current_enrolment(students_through(request.user, Role.MENTOR)).order_by(
            "first_name", "last_name"
        )
        context["mentees"] = label_students(request.user, mentees)
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
        context["follow_ups_due"] = len(follow_up_tasks(request.user, today).due)
    if Role.KAA_CONTACT in roles:
        referrals = kaa_referrals(request.user)
        context["kaa"] = {"total": referrals.count(), "sent": referrals.filter(status="sent").count()}
    return render(request, "core/home.html", context)


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
