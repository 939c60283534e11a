"""Pages of the student register link: set-up and runs (administrator), conflicts (principal),
and the study plan as an SS 12000 StudyPlan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studievag.access.decorators import require_action
from studievag.access.policy import abilities, label_students, student_for_view
from studievag.plans.models import Plan
from studievag.plans.permissions import PLAN

from . import selectors, services
from .credentials import MissingCredential, credential_for
from .forms import ConnectionForm, DecideForm, RunForm
from .models import Connection, SyncEvent, entity_label
from .studyplan import study_plan


@require_action("interop.sync")
def connection_list(request):
    return render(request, "interop/connection_list.html", {"organisers": selectors.connections_for(request.user)})


@require_action("interop.sync")
def connection_detail(request, organiser_pk: int):
    organiser = selectors.connection_for(request.user, organiser_pk)
    connection = Connection.objects.filter(organiser=organiser).first()
    form = ConnectionForm(request.POST or None, instance=connection)
    if request.method == "POST" and form.is_valid():
        services.connection_save(acting_user=request.user, organiser=organiser, **form.cleaned_data)
        messages.success(request, _("The link to the student register was saved."))
        return redirect("interop:connection_detail", organiser_pk=organiser.pk)
    credential_problem = ""
    if connection is not None:
        try:
            credential_for(connection.credential_name)
        except MissingCredential as error:
            credential_problem = str(error)
    return render(
        request,
        "interop/connection_detail.html",
        {
            "organiser": organiser,
            "connection": connection,
            "form": form,
            "runs": selectors.runs_for(request.user, organiser) if connection else [],
            "credential_problem": credential_problem,
        },
    )


@require_POST
@require_action("interop.sync")
def run_request(request, organiser_pk: int):
    organiser = selectors.connection_for(request.user, organiser_pk)
    connection = get_object_or_404(Connection, organiser=organiser)
    form = RunForm(request.POST)
    form.is_valid()
    try:
        run = services.sync_run_request(
            acting_user=request.user,
            connection=connection,
            dry_run=form.cleaned_data.get("dry_run", False),
            full=form.cleaned_data.get("full", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("interop:connection_detail", organiser_pk=organiser.pk)
    return redirect("interop:run_detail", pk=run.pk)


@require_action("interop.sync")
def run_detail(request, pk: int):
    run = selectors.run_for(request.user, pk)
    events = list(run.events.all())
    by_kind = {kind: [e for e in events if e.kind == kind] for kind in SyncEvent.Kind.values}
    return render(
        request,
        "interop/run_detail.html",
        {
            "run": run,
            "counts": sorted((entity_label(key), counts) for key, counts in run.counts.items()),
            "by_kind": by_kind,
        },
    )


@require_action("interop.conflicts")
def conflict_list(request):
    conflicts = list(selectors.conflicts_for(request.user))
    label_students(request.user, {c.student for c in conflicts})
    students = {c.student_id: c.student for c in conflicts}
    for c in conflicts:
        c.student = students[c.student_id]
    return render(request, "interop/conflict_list.html", {"conflicts": conflicts, "form": DecideForm()})


@require_POST
@require_action("interop.conflicts")
def conflict_decide(request, pk: int):
    conflict = get_object_or_404(selectors.conflicts_for(request.user), pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose which value to keep."))
        return redirect("interop:conflict_list")
    try:
        services.conflict_decide(
            acting_user=request.user, conflict=conflict, take_register_value=form.cleaned_data["choice"] == "register"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decided."))
    return redirect("interop:conflict_list")


@require_action("plan.view")
def plan_ss12000(request, pk: int):
    """The student's plan as an SS 12000 StudyPlan (JSON), for the next school's system."""
    student = student_for_view(request, pk, [PLAN])
    if "export" not in abilities(request.user, student, "plan"):
        raise PermissionDenied
    plan = Plan.objects.filter(student=student).select_related("student").first()
    if plan is None:
        raise Http404(_("No plan yet."))
    response = JsonResponse(study_plan(plan), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="studyplan-ss12000-{plan.pk}.json"'
    return response
