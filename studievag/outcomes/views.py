"""Pages: record an exit, the student's exit and follow-ups, the task list, the municipality's hand-overs.

Student pages fetch through the policy (which logs the read); what the user
may do comes from the abilities this area declares. The municipality's list
is scoped by organiser and logs one read per young person it shows.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studievag.access.decorators import require_action
from studievag.access.policy import Part as BasePart
from studievag.access.policy import (
    abilities,
    label_students,
    may_view,
    student_for_view,
    unit_ids_for_action,
)
from studievag.access.reads import log_reads
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser
from studievag.plans.models import GoalKind, GoalStatus, Plan
from studievag.plans.permissions import PLAN_SUMMARY

from . import rules, selectors, services
from .forms import AttemptForm, ExitForm, KaaStatusForm, OutcomeForm
from .models import Exit, FollowUp, KaaReferral
from .permissions import KAA_REFERRAL, OUTCOMES

# Reasons whose destination is a school: the plan's export is offered to go along.
SCHOOL_REASONS = {
    Exit.Reason.NATIONAL_PROGRAMME,
    Exit.Reason.OTHER_IM_PROGRAMME,
    Exit.Reason.ANOTHER_SCHOOL,
    Exit.Reason.ADULT_EDUCATION,
    Exit.Reason.APPRENTICESHIP,
}


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _active_enrolment(student, user) -> Enrolment | None:
    """The active enrolment the user may end: at a unit where they hold a follow-up role."""
    units = unit_ids_for_action(user, "outcomes.follow_up")
    return (
        Enrolment.objects.filter(student=student, end_date__isnull=True, school_unit_id__in=units)
        .select_related("school_unit__organiser", "programme")
        .order_by("-start_date")
        .first()
    )


def _annotate(task: FollowUp, today) -> FollowUp:
    task.current_state = task.state(today)
    task.current_state_label = str(rules.TASK_STATE_LABELS[task.current_state])
    task.is_open = task.current_state in (rules.TaskState.OPEN, rules.TaskState.DUE)
    task.stale = task.is_stale(today)
    return task


@require_action("outcomes.follow_up")
def exit_create(request, pk: int):
    student = student_for_view(request, pk, [BasePart.RECORD, OUTCOMES])
    if "record_exit" not in abilities(request.user, student, "exit"):
        raise PermissionDenied
    label_students(request.user, [student])
    enrolment = _active_enrolment(student, request.user)
    if enrolment is None:
        raise Http404(_("The student has no current enrolment you can end."))
    organiser = enrolment.school_unit.organiser
    default_municipality = organiser if organiser.kind == Organiser.Kind.MUNICIPAL else None
    form = ExitForm(request.POST or None, default_municipality=default_municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.exit_record(acting_user=request.user, enrolment=enrolment, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The exit is recorded and the follow-ups are scheduled."))
            return redirect("outcomes:student_outcomes", pk=student.pk)
    today = timezone.localdate()
    plan = Plan.objects.filter(student=student).prefetch_related("goals").first()
    return render(
        request,
        "outcomes/exit_form.html",
        {
            "student": student,
            "enrolment": enrolment,
            "form": form,
            "age": student.age_on(today),
            "kaa_age_limit": rules.KAA_AGE_LIMIT,
            "goals": list(plan.goals.all()) if plan else [],
        },
    )


@require_action("outcomes.view")
def student_outcomes(request, pk: int):
    student = student_for_view(request, pk, [BasePart.RECORD, OUTCOMES])
    label_students(request.user, [student])
    today = timezone.localdate()
    exit = selectors.exit_of(student)
    can = abilities(request.user, student, "exit")
    follow_ups = list(exit.follow_ups.all()) if exit else []
    for f in follow_ups:
        _annotate(f, today)
    referral = KaaReferral.objects.filter(exit=exit).select_related("municipality").first() if exit else None
    plan_abilities = abilities(request.user, student, "plan") if may_view(request.user, student, PLAN_SUMMARY) else ()
    offer_export = bool(
        exit
        and (exit.receiving_unit_id or (exit.reason in SCHOOL_REASONS and exit.destination))
        and "export" in plan_abilities
        and Plan.objects.filter(student=student).exists()
    )
    return render(
        request,
        "outcomes/student_outcomes.html",
        {
            "student": student,
            "exit": exit,
            "follow_ups": follow_ups,
            "referral": referral,
            "may_record_exit": "record_exit" in can and _active_enrolment(student, request.user) is not None,
            "may_follow_up": "follow_up" in can,
            "offer_export": offer_export,
            "goals_at_exit": _goal_rows(exit),
            "today": today,
        },
    )


def _goal_rows(exit: Exit | None) -> list[dict]:
    """The copied goals with their kind and status as people read them."""
    if exit is None:
        return []
    kinds, statuses = dict(GoalKind.choices), dict(GoalStatus.choices)
    return [
        {**g, "kind_label": kinds.get(g["kind"], g["kind"]), "status_label": statuses.get(g["status"], g["status"])}
        for g in exit.goals_at_exit
    ]


@require_action("outcomes.follow_up")
def follow_up_list(request):
    today = timezone.localdate()
    tasks = selectors.follow_up_tasks(request.user, today)
    log_reads(request, tasks.students, [OUTCOMES])
    return render(request, "outcomes/follow_up_list.html", {"tasks": tasks, "today": today})


def _follow_up_for(request, pk: int) -> FollowUp:
    """A follow-up of a student the user does follow-ups for; others are the same 404."""
    task = get_object_or_404(selectors.follow_ups_for(request.user), pk=pk)
    # Fetch the student through the policy too: it logs the read.
    student_for_view(request, task.exit.student_id, [BasePart.RECORD, OUTCOMES])
    if "follow_up" not in abilities(request.user, task.exit.student, "exit"):
        raise PermissionDenied
    return task


@require_action("outcomes.follow_up")
def follow_up_detail(request, pk: int):
    task = _follow_up_for(request, pk)
    today = timezone.localdate()
    label_students(request.user, [task.exit.student])
    attempt_form = AttemptForm(prefix="a")
    outcome_form = OutcomeForm(prefix="o")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "attempt":
                attempt_form = AttemptForm(request.POST, prefix="a")
                if attempt_form.is_valid():
                    services.follow_up_attempt(acting_user=request.user, follow_up=task, **attempt_form.cleaned_data)
                    messages.success(request, _("The attempt is recorded."))
                    return redirect("outcomes:follow_up_detail", pk=task.pk)
            elif action == "outcome":
                outcome_form = OutcomeForm(request.POST, prefix="o")
                if outcome_form.is_valid():
                    services.follow_up_outcome(acting_user=request.user, follow_up=task, **outcome_form.cleaned_data)
                    messages.success(request, _("The outcome is recorded."))
                    return redirect("outcomes:student_outcomes", pk=task.exit.student_id)
            else:
                return redirect("outcomes:follow_up_detail", pk=task.pk)
        except ValidationError as error:
            _errors_to_form(attempt_form if action == "attempt" else outcome_form, error)
    _annotate(task, today)
    earlier = [
        f
        for f in FollowUp.objects.filter(exit=task.exit, months__lt=task.months).exclude(outcome="").order_by("months")
    ]
    for f in earlier:
        f.stale = f.is_stale(today)
    return render(
        request,
        "outcomes/follow_up_detail.html",
        {
            "task": task,
            "exit": task.exit,
            "student": task.exit.student,
            "attempt_form": attempt_form,
            "outcome_form": outcome_form,
            "earlier": earlier,
            "open": task.is_open,
            "today": today,
        },
    )


@require_action("outcomes.kaa_inbox")
def kaa_inbox(request):
    referrals = list(selectors.kaa_referrals(request.user))
    today = timezone.localdate()
    for r in referrals:
        r.age = r.exit.student.age_on(today)
    label_students(request.user, [r.exit.student for r in referrals])
    log_reads(request, [r.exit.student for r in referrals], [KAA_REFERRAL])
    return render(
        request,
        "outcomes/kaa_inbox.html",
        {"referrals": referrals, "form": KaaStatusForm(), "today": today},
    )


@require_POST
@require_action("outcomes.kaa_inbox")
def kaa_status(request, pk: int):
    referral = get_object_or_404(selectors.kaa_referrals(request.user), pk=pk)
    form = KaaStatusForm(request.POST)
    if form.is_valid():
        try:
            services.kaa_referral_set_status(acting_user=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The status is saved."))
    else:
        messages.error(request, _("Choose a status and a date."))
    return redirect("outcomes:kaa_inbox")
