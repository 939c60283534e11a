"""Progression grid, attendance, the weekly team overview and the progression pages.

Views stay thin: the policy and the area's scope decide access (``course_groups_for``,
``teams_for``, ``student_for_view``), a service writes, a selector reads.
"""

import datetime
import json
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from studievag.access.decorators import require_action
from studievag.access.policy import Part, label_students, student_for_view
from studievag.access.reads import log_reads
from studievag.form_errors import errors_to_form
from studievag.organisations.models import Organiser
from studievag.scales.models import ProgressionScale

from . import attendance_file, rules, services
from .forms import (
    AttendanceImportForm,
    FollowUpSettingsForm,
    ScaleForm,
    StepFormSet,
    TeamDecisionForm,
)
from .models import FollowUpSettings, Grade, TeamDecision, week_start
from .overview_cells import OverviewCells
from .permissions import PROGRESS
from .scope import course_groups_for, organisers_for_settings, teams_for
from .selectors import (
    ScaleBook,
    attendance_for_group,
    course_group_members,
    follow_up_for,
    team_for,
    team_overview,
    team_students,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Stands for a student's id in a link reversed once for every row of a page.
ROW_ID = 987654321987

# The grade list's choice that takes a grade set by mistake away (with a reason).
REMOVE_GRADE = "remove"


def _group_or_404(user, pk: int):
    group = course_groups_for(user).filter(pk=pk).first()
    if group is None:
        raise Http404(_("No such course group."))
    return group


# --- Recording progression ----------------------------------------------------------


@require_action("progress.record")
def groups(request):
    return render(request, "progress/groups.html", {"groups": course_groups_for(request.user)})


def _grid_context(request, group, today):
    students = label_students(request.user, course_group_members(group, today))
    log_reads(request, students, [Part.RECORD, PROGRESS])
    follow = follow_up_for(students, on=today)
    scale = services.scale_for_group(group)
    rows = []
    for s in students:
        line = next((c for c in follow[s.pk].courses if c.course.pk == group.course_id), None)
        rows.append({"student": s, "line": line})
    return {
        "group": group,
        "scale": scale,
        "steps": list(scale.steps.all()) if scale else [],
        "rows": rows,
        "grades": Grade.choices,
        "remove_grade": REMOVE_GRADE,
        "today": today,
    }


@require_action("progress.record")
def grid(request, pk: int):
    """Every student of the course group and their current step; one form, or one save per
    key press with the page's script (see ``grid.js``)."""
    group = _group_or_404(request.user, pk)
    today = timezone.localdate()
    if request.method == "POST":
        members = {s.pk for s in course_group_members(group, today)}
        context = _grid_context(request, group, today)
        current = {r["student"].pk: r["line"] for r in context["rows"]}
        saved = 0
        try:
            for key, value in request.POST.items():
                kind, _sep, sid = key.partition("-")
                if kind not in ("step", "grade") or not value or not sid.isdigit():
                    continue
                if int(sid) not in members:
                    raise Http404(_("The student is not in this course group."))
                if kind == "step":
                    line = current.get(int(sid))
                    if line and line.latest and str(line.latest.step_id) == value:
                        continue  # unchanged
                    services.progress_record(
                        acting_user=request.user, group=group, student_id=int(sid), step_id=value, on=today
                    )
                elif value == REMOVE_GRADE:
                    services.grade_remove(
                        acting_user=request.user,
                        group=group,
                        student_id=int(sid),
                        on=today,
                        reason=request.POST.get(f"reason-{sid}", ""),
                    )
                else:
                    services.grade_record(
                        acting_user=request.user,
                        group=group,
                        student_id=int(sid),
                        grade=value,
                        on=today,
                        reason=request.POST.get(f"reason-{sid}", ""),
                    )
                saved += 1
        except ValidationError as error:
            # Undo whatever this post saved before the bad value: all or nothing.

            transaction.set_rollback(True)
            messages.error(request, " ".join(error.messages))
            return render(request, "progress/grid.html", context, status=400)
        messages.success(request, ngettext("%(n)s change saved.", "%(n)s changes saved.", saved) % {"n": saved})
        return redirect("progress:grid", pk=group.pk)
    return render(request, "progress/grid.html", _grid_context(request, group, today))


@require_POST
@require_action("progress.record")
def record_api(request, pk: int):
    """JSON (or a form post): ``{"student": id, "step": id}`` or ``{"student": id, "grade": "C"}``.

    Answers the student's new standing; 400 with the errors for bad input and
    404 for a student outside the group; nothing is saved in either case.
    """
    group = _group_or_404(request.user, pk)
    today = timezone.localdate()
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
            if not isinstance(payload, dict):
                raise ValueError
        except ValueError:
            return JsonResponse({"ok": False, "errors": {"body": [_("Send a JSON object.")]}}, status=400)
    else:  # an ordinary form post works too
        payload = {k: int(v) if k in ("student", "step") and v.isdigit() else v for k, v in request.POST.items()}
    student_id = payload.get("student")
    members = {s.pk: s for s in course_group_members(group, today)}
    if not isinstance(student_id, int) or student_id not in members:
        return JsonResponse(
            {"ok": False, "errors": {"student": [_("No such student in this course group.")]}}, status=404
        )
    try:
        if "grade" in payload:
            grade, reason = str(payload["grade"]), str(payload.get("reason", ""))[:500]
            if grade == REMOVE_GRADE:
                services.grade_remove(
                    acting_user=request.user, group=group, student_id=student_id, on=today, reason=reason
                )
            else:
                services.grade_record(
                    acting_user=request.user, group=group, student_id=student_id, grade=grade, on=today, reason=reason
                )
        elif "step" in payload:
            services.progress_record(
                acting_user=request.user, group=group, student_id=student_id, step_id=payload["step"], on=today
            )
        else:
            raise ValidationError({"step": [_("Send a step or a grade.")]})
    except ValidationError as error:
        return JsonResponse({"ok": False, "errors": error.message_dict}, status=400)
    follow = follow_up_for([members[student_id]], on=today)[student_id]
    line = next(c for c in follow.courses if c.course.pk == group.course_id)
    step = line.current_step
    return JsonResponse(
        {
            "ok": True,
            "student": student_id,
            "recorded_on": today.isoformat(),
            "step": {"id": step.pk, "position": step.position, "label": step.label} if step else None,
            "grade": line.grade.grade if line.grade else None,
            "status": line.standing.status,
            "status_label": line.standing.label,
            "status_symbol": line.standing.symbol,
            "explanation": line.standing.explanation,
        }
    )


# --- Attendance ------------------------------------------------------------------------


def _week_param(request, today) -> datetime.date:
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        return week_start(datetime.date.fromisoformat(raw))
    except ValueError:
        return week_start(today) - datetime.timedelta(weeks=1)


@require_action("progress.record")
def attendance(request, pk: int):
    group = _group_or_404(request.user, pk)
    today = timezone.localdate()
    monday = _week_param(request, today)
    students = label_students(request.user, course_group_members(group, today))
    log_reads(request, students, [Part.RECORD, PROGRESS])
    errors: list[str] = []
    if request.method == "POST":
        rows = []
        for s in students:
            values = [request.POST.get(f"{f}-{s.pk}", "").strip() for f in ("scheduled", "valid", "invalid")]
            if not values[0]:
                continue
            if not all(v.isdigit() for v in (values[0], values[1] or "0", values[2] or "0")):
                errors.append(_("%(student)s: minutes are whole numbers") % {"student": s.display_name})
                continue
            rows.append(
                services.AttendanceRow(
                    s.pk,
                    monday,
                    int(values[0]),
                    int(values[1] or 0),
                    int(values[2] or 0),
                    line=s.display_name,
                )
            )
        if not errors:
            try:
                n = services.attendance_save(acting_user=request.user, group=group, rows=rows, on=today)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    ngettext("Attendance saved for %(n)s student.", "Attendance saved for %(n)s students.", n)
                    % {"n": n},
                )
                return redirect(f"{reverse('progress:attendance', args=[group.pk])}?week={monday}")
    existing = attendance_for_group(group, students, monday)
    rows = []
    for s in students:
        if errors:  # show what was typed, so it can be corrected
            values = [request.POST.get(f"{f}-{s.pk}", "") for f in ("scheduled", "valid", "invalid")]
        elif a := existing.get(s.pk):
            values = [a.scheduled_minutes, a.valid_absence_minutes, a.invalid_absence_minutes]
        else:
            values = ["", "", ""]
        rows.append((s, values))
    return render(
        request,
        "progress/attendance.html",
        {
            "group": group,
            "monday": monday,
            "errors": errors,
            "previous": monday - datetime.timedelta(weeks=1),
            "next": monday + datetime.timedelta(weeks=1),
            "rows": rows,
            "import_form": AttendanceImportForm(),
        },
        status=400 if errors else 200,
    )


@require_POST
@require_action("progress.record")
def attendance_import(request, pk: int):
    group = _group_or_404(request.user, pk)
    today = timezone.localdate()
    form = AttendanceImportForm(request.POST, request.FILES)
    url = reverse("progress:attendance", args=[group.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file or an Excel workbook (.xlsx) to import."))
        return redirect(url)
    week = form.cleaned_data.get("week")
    try:
        result = services.attendance_import(
            acting_user=request.user,
            group=group,
            data=form.cleaned_data["file"].read(services.MAX_IMPORT_BYTES + 1),
            on=today,
            week=week_start(week) if week else None,
        )
    except ValidationError as error:
        return render(request, "progress/import_errors.html", {"group": group, "errors": error.messages}, status=400)
    text = ngettext("%(n)s row imported.", "%(n)s rows imported.", result.saved) % {"n": result.saved}
    if result.skipped:
        text += " " + ngettext(
            "%(n)s row without figures was passed over.", "%(n)s rows without figures were passed over.", result.skipped
        ) % {"n": result.skipped}
    messages.success(request, text)
    return redirect(f"{url}?week={week.isoformat()}" if week else url)


@require_action("progress.record")
def attendance_template(request, pk: int, kind: str = "csv"):
    """The import template for a week: the group's students, what is already recorded filled in."""
    group = _group_or_404(request.user, pk)
    today = timezone.localdate()
    monday = _week_param(request, today)
    log_reads(request, course_group_members(group, today), [Part.RECORD, PROGRESS])
    rows = services.attendance_template_rows(group, monday, today)
    name = f"{slugify(_('attendance'))}-{slugify(group.name)}-{monday.isoformat()}.{kind}"
    if kind == "xlsx":
        content = attendance_file.template_xlsx(rows, title=_("Attendance"))
        response = HttpResponse(content, content_type=XLSX)
    else:
        response = HttpResponse(attendance_file.template_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# --- The weekly team overview ---------------------------------------------------------


@require_action("progress.team")
def teams(request):
    groups, units = teams_for(request.user)
    return render(request, "progress/teams.html", {"groups": groups, "units": units})


def _overview(request, kind: str, pk: int):
    team = team_for(request.user, kind, pk)
    if team is None:
        raise Http404(_("No such team."))
    today = timezone.localdate()
    overview = team_overview(request.user, team, on=today)
    log_reads(request, [row.student for row in overview.rows], [Part.RECORD, PROGRESS])
    # Each row's links and numbers as text, made once here rather than by the template.
    student_url = reverse("progress:student", args=[ROW_ID]).rpartition(str(ROW_ID))
    decision_url = reverse("progress:decision_create", args=[kind, pk, ROW_ID]).rpartition(str(ROW_ID))
    for row in overview.rows:
        row.submission_key = uuid.uuid4()  # each decision form is saved once, however often sent
        row.id = str(row.student.pk)
        row.url = student_url[0] + row.id + student_url[2]
        row.decision_url = decision_url[0] + row.id + decision_url[2]
        if row.recent_attendance is not None:
            row.attendance_text = f"{floatformat(row.recent_attendance, 0)} %"
        if row.plan_status is not None and row.plan_status.last_reviewed_on:
            row.reviewed_on = row.plan_status.last_reviewed_on.isoformat()
    # The decision form's kinds, the same in every row: rendered once, not once per student.
    kinds = TeamDecisionForm(initial={"kind": TeamDecision.Kind.SUPPORT}).fields["kind"].choices
    kind_options = format_html_join("", '<option value="{}">{}</option>', ((v, label) for v, label in kinds if v))
    cells = OverviewCells(csrf_input=csrf_input(request), kind_options=kind_options)
    for row in overview.rows:
        cells.fill(row)
    return render(request, "progress/team_overview.html", {"overview": overview, "team": team, "today": today})


@require_action("progress.team")
def team_group(request, pk: int):
    return _overview(request, "group", pk)


@require_action("progress.team")
def team_unit(request, pk: int):
    return _overview(request, "unit", pk)


@require_POST
@require_action("progress.team")
def decision_create(request, kind: str, pk: int, student: int):
    """Record what the team decided about one of its students; it lands in the record."""
    team = team_for(request.user, kind, pk)
    if team is None:
        raise Http404(_("No such team."))
    today = timezone.localdate()
    target = team_students(request.user, team, today).filter(pk=student).first()
    if target is None:
        raise Http404(_("No such student."))
    form = TeamDecisionForm(request.POST)
    back = reverse(f"progress:team_{kind}", args=[pk])
    if not form.is_valid():
        messages.error(
            request,
            _("The decision was not saved: %(errors)s")
            % {"errors": "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())},
        )
        return redirect(back)
    services.team_decision_record(
        acting_user=request.user,
        student=target,
        decided_on=today,
        team=team.name,
        **form.cleaned_data,
    )
    label_students(request.user, [target])
    messages.success(request, _("The decision about %(student)s was recorded.") % {"student": target.display_name})
    return redirect(back)


# --- Progression pages -----------------------------------------------------------------


def _chart_data(follow) -> dict:
    courses = []
    for line in follow.courses:
        steps = list(line.scale.steps.all()) if line.scale else []
        standing = line.standing
        courses.append(
            {
                "id": line.course.pk,
                "name": line.course.subject.name,
                "steps": [
                    {"position": s.position, "label": s.label, "colour": s.colour, "goal": s.is_goal} for s in steps
                ],
                "records": [{"date": r.recorded_on.isoformat(), "position": r.step.position} for r in line.records],
                "line": (
                    [
                        {"date": standing.start_date.isoformat(), "position": standing.start},
                        {"date": standing.planned_end.isoformat(), "position": standing.goal},
                    ]
                    if standing.start is not None
                    else []
                ),
            }
        )
    weeks = {}
    for w in follow.weeks:
        weeks.setdefault(w.week_start, []).append(w)
    attendance = [
        {"week": m.isoformat(), "percent": round(rules.attendance_percent(ws), 1)}
        for m, ws in sorted(weeks.items())
        if rules.attendance_percent(ws) is not None
    ]
    labels = {
        "records": _("Recorded step"),
        "line": _("Line to the course goal"),
        "attendance": _("Attendance (%)"),
        "step": _("Step"),
    }
    return {"courses": courses, "attendance": attendance, "labels": labels}


def _progression_context(request, student):
    today = timezone.localdate()
    follow = follow_up_for([student], on=today, history=True)[student.pk]
    weeks = {}
    for w in follow.weeks:
        weeks.setdefault(w.week_start, []).append(w)
    attendance_rows = [
        (m, rules.attendance_percent(ws), sum(w.scheduled for w in ws)) for m, ws in sorted(weeks.items(), reverse=True)
    ]
    return {
        "student": student,
        "follow": follow,
        "today": today,
        "chart_data": _chart_data(follow),
        "attendance_rows": attendance_rows[:26],
    }


@require_action("progress.view")
def student_progress(request, pk: int):
    student = student_for_view(request, pk, [Part.RECORD, PROGRESS])
    label_students(request.user, [student])
    context = _progression_context(request, student)
    context["decisions"] = student.team_decisions.select_related("recorded_by")[:20]
    return render(request, "progress/student_progress.html", context)


@require_action("family.view")
def family_progress(request, pk: int):
    student = student_for_view(request, pk, [Part.RECORD, PROGRESS])
    context = _progression_context(request, student)
    context["is_self"] = getattr(request.user, "student", None) == student
    return render(request, "progress/family_progress.html", context)


# --- Settings and definitions ---------------------------------------------------------------


@require_action("progress.settings")
def settings_page(request):
    organisers = list(organisers_for_settings(request.user))
    if not organisers:
        raise PermissionDenied
    chosen = next((o for o in organisers if str(o.pk) == request.GET.get("organiser")), organisers[0])
    current = FollowUpSettings.objects.filter(organiser=chosen).first()
    form = FollowUpSettingsForm(request.POST or None, instance=current or FollowUpSettings(organiser=chosen))
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_settings_save(
                acting_user=request.user,
                organiser=chosen,
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The thresholds were saved."))
            return redirect(f"{reverse('progress:settings')}?organiser={chosen.pk}")
    book = ScaleBook([chosen.pk])
    return render(
        request,
        "progress/settings.html",
        {
            "organisers": organisers,
            "chosen": chosen,
            "form": form,
            "scales": [s for s in book.scales if s.organiser_id in (None, chosen.pk)],
            "may_admin": request.user.is_staff and request.user.has_perm("progress.change_progressionscale"),
            "scale_model": ProgressionScale,
        },
    )


def _settings_organiser(request, organiser_id) -> Organiser:
    """The organiser asked for (else the user's first) among those whose settings they manage."""
    organisers = organisers_for_settings(request.user).order_by("name", "pk")
    organiser = None
    if organiser_id is None:
        organiser = organisers.first()
    elif str(organiser_id).isdigit():
        organiser = organisers.filter(pk=organiser_id).first()
    if organiser is None:
        raise Http404(_("No such organiser."))
    return organiser


def _scale_page(request, *, organiser, scale=None, start_from=None):
    """Create or change one of the organiser's own scales: the scale's fields and its steps."""
    source = scale or start_from
    initial_steps = [
        {
            "id": s.pk if scale else None,
            "label": s.label,
            "colour": s.colour,
            "description": s.description,
            "is_goal": s.is_goal,
            "ORDER": s.position,
        }
        for s in (source.steps.order_by("position") if source else [])
    ]
    form = ScaleForm(
        request.POST or None,
        initial={
            "name": scale.name if scale else (f"{start_from.name} ({organiser.name})" if start_from else ""),
            "subject_codes": ", ".join(source.subject_codes) if source else "",
        },
    )
    steps = StepFormSet(request.POST or None, initial=initial_steps, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        try:
            saved = services.progression_scale_save(
                acting_user=request.user,
                organiser=organiser,
                scale=scale,
                name=form.cleaned_data["name"],
                subject_codes=form.cleaned_data["subject_codes"],
                steps=steps.steps(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The scale “%(name)s” was saved.") % {"name": saved.name})
            return redirect(f"{reverse('progress:settings')}?organiser={organiser.pk}")
    # A step in use cannot be removed: the page says so instead of offering it.
    in_use = services.steps_in_use(s.pk for s in scale.steps.all()) if scale else {}
    for step_form in steps.forms:
        step_form.in_use = in_use.get(step_form.initial.get("id"), 0)
    return render(
        request,
        "progress/scale_form.html",
        {
            "organiser": organiser,
            "scale": scale,
            "start_from": start_from,
            "form": form,
            "steps": steps,
        },
    )


@require_action("progress.settings")
def scale_create(request):
    organiser = _settings_organiser(request, request.GET.get("organiser"))
    start_from = None
    if (from_id := request.GET.get("from", "")).isdigit():
        start_from = (
            ProgressionScale.objects.filter(pk=from_id)
            .filter(Q(organiser__isnull=True) | Q(organiser=organiser))
            .first()
        )
    return _scale_page(request, organiser=organiser, start_from=start_from)


@require_action("progress.settings")
def scale_edit(request, pk: int):
    scale = (
        ProgressionScale.objects.filter(pk=pk, organiser__in=organisers_for_settings(request.user))
        .select_related("organiser")
        .first()
    )
    if scale is None:
        raise Http404(_("No such scale of your organiser."))
    return _scale_page(request, organiser=scale.organiser, scale=scale)


@require_action("progress.help")
def help_page(request):
    return render(
        request,
        "progress/help.html",
        {
            "defaults": FollowUpSettings(),
        },
    )
