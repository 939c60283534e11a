"""Handover pages: the sending school's, the receiving school's, the region's queue and the family's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from studievag.access.decorators import require_action
from studievag.access.policy import grants_for, may, unit_ids_for_action, visible_students
from studievag.audit.services import audit_record_read
from studievag.form_errors import errors_to_form
from studievag.organisations.models import SchoolUnit

from . import selectors, services
from .forms import (
    BookMeetingForm,
    HandoverForm,
    MeetingForm,
    PlaceForm,
    ReceiveForm,
    SendForm,
    SettingsForm,
    StartRecordForm,
)
from .models import Handover, HandoverSettings, Status
from .permissions import HANDOVER


def _label(handovers, user, side: str):
    """Set ``display_name``: a protected student's name only for the named contact person."""
    for h in handovers:
        visible = not h.protected_identity or (side == selectors.RECEIVING and h.contact_person_id == user.pk)
        h.display_name = h.full_name if visible else f"{_('Protected identity')} {h.reference}"
        h.name_hidden = not visible
    return handovers


# --- The sending school ---------------------------------------------------------------


@require_action("handover.send")
def outgoing(request):
    today = timezone.localdate()
    handovers = _label(list(selectors.outgoing(request.user).order_by("-updated_at", "-pk")), request.user, "sending")
    late = [h for h in handovers if h.is_overdue_on(today)]
    return render(
        request,
        "handover/outgoing.html",
        {"handovers": handovers, "overdue": late, "today": today},
    )


@require_action("handover.send")
def create(request):
    units = SchoolUnit.objects.filter(pk__in=unit_ids_for_action(request.user, "handover.send"))
    form = HandoverForm(request.POST or None, sending_units=units)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_create(
                acting_user=request.user, sending_unit=form.cleaned_data["sending_unit"], values=form.content()
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The draft was saved. Send it when it is ready."))
            return redirect("handover:detail", pk=handover.pk)
    return render(request, "handover/form.html", {"form": form, "creating": True})


@require_action("handover.send")
def edit(request, pk: int):
    handover = get_object_or_404(selectors.outgoing(request.user), pk=pk)
    if handover.status != Status.DRAFT:
        raise PermissionDenied
    form = HandoverForm(request.POST or None, instance=handover)
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_update(acting_user=request.user, handover=handover, values=form.content())
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("handover:detail", pk=handover.pk)
    return render(request, "handover/form.html", {"form": form, "handover": handover, "creating": False})


@require_action("handover.send")
def send(request, pk: int):
    handover = get_object_or_404(selectors.outgoing(request.user), pk=pk)
    if handover.status != Status.DRAFT:
        raise PermissionDenied
    region_id = handover.sending_unit.organiser.region_id
    contacts = selectors.contacts_in_region(region_id)
    form = SendForm(request.POST or None, region_id=region_id, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_send(acting_user=request.user, handover=handover, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The handover was sent."))
            return redirect("handover:detail", pk=handover.pk)
    _label([handover], request.user, "sending")
    return render(request, "handover/send.html", {"form": form, "handover": handover})


# --- Both sides ----------------------------------------------------------------------


@require_action("handover.view")
def detail(request, pk: int):
    handover, side = selectors.handover_for(request.user, pk)
    _label([handover], request.user, side)
    if side == selectors.RECEIVING and handover.student_id:
        audit_record_read(
            request=request,
            student=handover.student,
            parts=[HANDOVER],
            roles=sorted(grants_for(request.user).roles & selectors.RECEIVERS),
        )
    context = {
        "handover": handover,
        "side": side,
        "events": handover.events.select_related("by"),
        "today": timezone.localdate(),
        "overdue": handover.is_overdue_on(timezone.localdate()),
    }
    if side == selectors.RECEIVING:
        follow_up = may(request.user, "handover.follow_up")
        contacts = selectors.contact_candidates(handover)
        context.update(
            receive_form=ReceiveForm(contacts=contacts, initial={"contact_person": request.user.pk})
            if handover.status == Status.SENT
            else None,
            book_form=BookMeetingForm(initial={"meeting_on": handover.meeting_on})
            if follow_up and handover.status == Status.RECEIVED
            else None,
            meeting_form=MeetingForm() if follow_up and handover.status == Status.RECEIVED else None,
            start_form=StartRecordForm(initial={"programme": handover.programme_id, "start_date": handover.starts_on})
            if follow_up and handover.receiving_unit_id and not handover.student_id and handover.status != Status.SENT
            else None,
            may_close=follow_up and handover.status == Status.MEETING_HELD,
        )
    return render(request, "handover/detail.html", context)


def _receiving(request, pk: int) -> Handover:
    handover, side = selectors.handover_for(request.user, pk)
    if side != selectors.RECEIVING:
        raise PermissionDenied
    return handover


def _after(request, handover, done: str):
    messages.success(request, done)
    return redirect("handover:detail", pk=handover.pk)


def _refused(request, handover, error: ValidationError):
    for text in error.messages:
        messages.error(request, text)
    return redirect("handover:detail", pk=handover.pk)


@require_POST
@require_action("handover.receive")
def receive(request, pk: int):
    handover = _receiving(request, pk)
    form = ReceiveForm(request.POST, contacts=selectors.contact_candidates(handover))
    if not form.is_valid():
        return _refused(request, handover, ValidationError(_("Choose the contact person.")))
    try:
        services.handover_receive(acting_user=request.user, handover=handover, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, handover, error)
    return _after(request, handover, _("Receipt confirmed: the sending school sees it now."))


@require_POST
@require_action("handover.follow_up")
def book_meeting(request, pk: int):
    handover = _receiving(request, pk)
    form = BookMeetingForm(request.POST)
    if not form.is_valid():
        return _refused(request, handover, ValidationError(_("Give the date of the meeting.")))
    try:
        services.handover_book_meeting(acting_user=request.user, handover=handover, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, handover, error)
    return _after(request, handover, _("The meeting is booked."))


@require_POST
@require_action("handover.follow_up")
def record_meeting(request, pk: int):
    handover = _receiving(request, pk)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _refused(request, handover, ValidationError(errors))
    try:
        services.handover_record_meeting(acting_user=request.user, handover=handover, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, handover, error)
    return _after(request, handover, _("The meeting was recorded."))


@require_POST
@require_action("handover.follow_up")
def close(request, pk: int):
    handover = _receiving(request, pk)
    try:
        services.handover_close(acting_user=request.user, handover=handover)
    except ValidationError as error:
        return _refused(request, handover, error)
    return _after(request, handover, _("The handover is closed."))


@require_POST
@require_action("handover.follow_up")
def start_record(request, pk: int):
    handover = _receiving(request, pk)
    form = StartRecordForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _refused(request, handover, ValidationError(errors))
    try:
        student = services.handover_start_record(acting_user=request.user, handover=handover, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, handover, error)
    messages.success(
        request, _("The student is registered; the mapping and the first draft of the plan are pre-filled.")
    )
    return redirect("plans:plan_detail", pk=student.pk)


# --- The receiving school's list and the organiser's deadline ---------------------------


@require_action("handover.receive")
def incoming(request):
    today = timezone.localdate()
    handovers = _label(
        list(selectors.incoming(request.user).order_by("status", "deadline", "pk")), request.user, "receiving"
    )
    late = [h for h in handovers if h.is_overdue_on(today)]
    return render(request, "handover/incoming.html", {"handovers": handovers, "overdue": late, "today": today})


@require_action("handover.settings")
def settings_page(request):
    organisers = selectors.settings_organisers(request.user)
    if not organisers.exists():
        raise PermissionDenied
    form = SettingsForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        services.handover_settings_save(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The deadline was saved; handovers not yet received follow it."))
        return redirect("handover:settings")
    rows = {s.organiser_id: s for s in HandoverSettings.objects.filter(organiser__in=organisers)}
    return render(
        request,
        "handover/settings.html",
        {"form": form, "organisers": [(o, rows.get(o.pk)) for o in organisers]},
    )


# --- The region's placement queue (no names, no content) -------------------------------


@require_action("handover.region")
def queue(request):
    regions = selectors.coordinator_regions(request.user)
    waiting = list(selectors.placement_queue(regions))
    return render(request, "handover/queue.html", {"waiting": waiting, "form": PlaceForm(region_ids=regions)})


@require_POST
@require_action("handover.region")
def place(request, pk: int):
    regions = selectors.coordinator_regions(request.user)
    handover = get_object_or_404(selectors.placement_queue(regions), pk=pk)
    form = PlaceForm(request.POST, region_ids=regions)
    if form.is_valid():
        try:
            services.handover_place(acting_user=request.user, handover=handover, **form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Placed: the school unit finds it among its incoming handovers."))
    else:
        messages.error(request, _("Choose a school unit."))
    return redirect("handover:queue")


# --- The student's and guardian's page -----------------------------------------------


@require_action("handover.family")
def family(request):
    students = visible_students(request.user)
    handovers = list(selectors.for_student(students.values("pk")))
    seen = {}
    for h in handovers:
        seen.setdefault(h.student_id, h.student)
    roles = sorted(grants_for(request.user).roles & {"student", "guardian"})
    for student in seen.values():
        audit_record_read(request=request, student=student, parts=[HANDOVER], roles=roles)
    return render(request, "handover/family.html", {"handovers": handovers})
