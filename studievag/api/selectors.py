"""Reads for the API, each through the same selectors and the same engine as the pages.

Every function that returns a student's data also writes the read log, the
same way the page that shows the same data does: once per call, naming the
parts read; a list logs the basic record of each student on the page it
returns (as the pages' student list does).
"""

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.access.policy import Part, grants_for, label_students, student_for_view
from studievag.access.reads import log_reads
from studievag.audit.services import audit_record_reads
from studievag.enrolments.models import GroupMembership, StudentGroup
from studievag.enrolments.selectors import with_current_enrolment
from studievag.handover.models import Handover
from studievag.handover.permissions import HANDOVER, RECEIVERS
from studievag.handover.selectors import incoming
from studievag.people.models import Student
from studievag.plans.models import Plan
from studievag.plans.permissions import PLAN
from studievag.plans.portable import plan_export
from studievag.progress.permissions import PROGRESS
from studievag.progress.scope import course_groups_for
from studievag.progress.selectors import course_group_members, follow_up_for
from studievag.progress.services import scale_for_group
from studievag.quality import periods
from studievag.quality.linked import level_figures
from studievag.quality.selectors import level_choices
from studievag.records.selectors import student_search

LATEST = ("programme_code", "school_unit_name", "enrolment_start", "enrolment_end")


def _summary(student, latest: dict | None = None) -> dict:
    """The basic record as a list shows it; ``latest``: the latest enrolment (else annotated on the student)."""
    hidden = getattr(student, "name_hidden", False)
    latest = latest if latest is not None else {key: getattr(student, key, None) for key in LATEST}
    return {
        "id": student.pk,
        "protected_identity": student.has_protected_identity,
        "first_name": None if hidden else student.first_name,
        "last_name": None if hidden else student.last_name,
        "personal_identity_number": None if hidden else student.personal_identity_number,
        "date_of_birth": None if hidden else student.date_of_birth,
        "gender": student.gender,
        "programme_code": latest["programme_code"],
        "school_unit": latest["school_unit_name"],
        "enrolment_start": latest["enrolment_start"],
        "enrolment_end": latest["enrolment_end"],
    }


def student_page(request: HttpRequest, params: dict) -> dict:
    """One page of the scoped student list (the pages' search), logged as the list page logs."""
    students = student_search(
        request.user,
        query=params.get("q", ""),
        school_unit_id=params.get("school_unit"),
        group_id=params.get("group"),
        programme_code=params.get("programme", ""),
        include_former=params.get("former", False),
    )
    limit, offset = params["limit"], params["offset"]
    count = students.count()
    page = list(students[offset : offset + limit])
    label_students(request.user, page)
    log_reads(request, page, [Part.RECORD])
    return {"count": count, "limit": limit, "offset": offset, "results": [_summary(s) for s in page]}


STUDENT_PARTS = [Part.RECORD, Part.ENROLMENTS]


def student_detail(request: HttpRequest, pk: int) -> dict:
    """One student with enrolments and groups; 404 outside scope; the read logged."""
    student = student_for_view(request, pk, STUDENT_PARTS)
    label_students(request.user, [student])
    enrolments = list(student.enrolments.select_related("programme", "school_unit").order_by("start_date", "pk"))
    memberships = GroupMembership.objects.filter(student=student).select_related("group").order_by("start_date", "pk")
    latest = with_current_enrolment(Student.objects.filter(pk=student.pk)).values(*LATEST).get()
    out = _summary(student, latest)
    out["enrolments"] = [
        {
            "id": e.pk,
            "programme_code": e.programme.code,
            "school_unit": {"id": e.school_unit_id, "code": e.school_unit.code, "name": e.school_unit.name},
            "start_date": e.start_date,
            "end_date": e.end_date,
            "exit_reason": e.exit_reason,
        }
        for e in enrolments
    ]
    out["groups"] = [
        {
            "id": m.group_id,
            "name": m.group.name,
            "kind": m.group.kind,
            "school_unit_id": m.group.school_unit_id,
            "start_date": m.start_date,
            "end_date": m.end_date,
        }
        for m in memberships
    ]
    return out


# --- The plan and the progression ---------------------------------------------------


def student_plan(request: HttpRequest, pk: int) -> dict:
    """The plan as the portable document (the same as the plan's JSON export); the read logged."""
    student = student_for_view(request, pk, [PLAN])
    plan = Plan.objects.filter(student=student).select_related("programme", "organiser").first()
    if plan is None:
        raise Http404(_("The student has no study plan yet."))
    return plan_export(plan)


def _step(step) -> dict | None:
    if step is None:
        return None
    return {"id": step.pk, "position": step.position, "label": step.label, "is_goal": step.is_goal}


def _course(course) -> dict:
    return {"id": course.pk, "code": course.code, "name": course.name}


def student_progress(request: HttpRequest, pk: int) -> dict:
    """The student's progression page as data: each course's steps, standing and grade, and attendance."""
    student = student_for_view(request, pk, [Part.RECORD, PROGRESS])
    today = timezone.localdate()
    follow = follow_up_for([student], on=today, history=True)[student.pk]
    return {
        "student_id": student.pk,
        "on": today,
        "worst_status": follow.worst_status,
        "recent_attendance_percent": follow.recent_attendance,
        "courses": [
            {
                "course": _course(line.course),
                "group_id": line.group.pk if line.group else None,
                "status": line.standing.status,
                "start_step": _step(line.start_step),
                "current_step": _step(line.current_step),
                "goal_position": line.standing.goal,
                "planned_end": line.standing.planned_end,
                "grade": line.grade.grade if line.grade else None,
                "records": [{"recorded_on": r.recorded_on, "step": _step(r.step)} for r in line.records],
            }
            for line in follow.courses
        ],
        "attendance": [
            {
                "week_start": w.week_start,
                "scheduled_minutes": w.scheduled,
                "valid_absence_minutes": w.valid_absence,
                "invalid_absence_minutes": w.invalid_absence,
            }
            for w in follow.weeks
        ],
    }


# --- Course groups (for a learning platform's writes) ---------------------------------


def course_group_for(user, pk: int) -> StudentGroup:
    """A course group the account records for (as the grid page); 404 for others and missing alike."""
    group = course_groups_for(user).filter(pk=pk).first()
    if group is None:
        raise Http404(_("No such course group."))
    return group


def course_groups(request: HttpRequest) -> list[dict]:
    """The course groups the account records for, with members and the course's scale.

    The members are logged as a read of the basic record (the grid page logs them too)."""
    today = timezone.localdate()
    out = []
    shown: list[Student] = []
    for group in course_groups_for(request.user).order_by("school_unit__name", "name", "pk"):
        members = label_students(request.user, course_group_members(group, today))
        shown += members
        scale = scale_for_group(group)
        out.append(
            {
                "id": group.pk,
                "name": group.name,
                "school_unit": {
                    "id": group.school_unit_id,
                    "code": group.school_unit.code,
                    "name": group.school_unit.name,
                },
                "course": _course(group.course),
                "steps": [_step(s) for s in scale.steps.all()] if scale else [],
                "members": [_member(s) for s in members],
            }
        )
    log_reads(request, shown, [Part.RECORD])
    return out


def _member(student) -> dict:
    hidden = getattr(student, "name_hidden", False)
    return {
        "id": student.pk,
        "protected_identity": student.has_protected_identity,
        "first_name": None if hidden else student.first_name,
        "last_name": None if hidden else student.last_name,
        "personal_identity_number": None if hidden else student.personal_identity_number,
    }


# --- Handovers -------------------------------------------------------------------------


def _unit(unit) -> dict | None:
    return {"id": unit.pk, "code": unit.code, "name": unit.name} if unit is not None else None


def _handover(h: Handover, *, full: bool) -> dict:
    out = {
        "id": h.pk,
        "reference": h.reference,
        "status": h.status,
        "sending_unit": _unit(h.sending_unit),
        "receiving_unit": _unit(h.receiving_unit),
        "receiving_organiser": (
            {"id": h.receiving_organiser.pk, "name": h.receiving_organiser.name} if h.receiving_organiser else None
        ),
        "programme_code": h.programme.code if h.programme else None,
        "starts_on": h.starts_on,
        "deadline": h.deadline,
        "student_id": h.student_id,
        "first_name": h.first_name,
        "last_name": h.last_name,
        "identity_number": h.identity_number or None,
        "date_of_birth": h.date_of_birth,
        "sent_at": h.sent_at,
        "received_at": h.received_at,
    }
    if full:
        out |= {field: getattr(h, field) for field in HANDOVER_CONTENT}
        out["merit_value"] = str(h.merit_value) if h.merit_value is not None else None
    return out


HANDOVER_CONTENT = (
    "grades",
    "subjects_levels",
    "mother_tongue",
    "languages",
    "schooling_in_sweden",
    "schooling_abroad_years",
    "schooling_abroad",
    "what_worked",
    "support_measures",
    "support_effect",
    "attendance",
    "student_voice",
    "other_information",
    "consent_by",
    "consent_given_on",
    "meeting_on",
    "meeting_held_on",
    "meeting_participants",
    "meeting_student_voice",
    "meeting_notes",
)


def _log_handovers(request: HttpRequest, handovers: list[Handover]) -> None:
    linked = [h.student for h in handovers if h.student_id]
    if linked:
        roles = sorted(grants_for(request.user).roles & RECEIVERS)
        audit_record_reads(request=request, students=linked, parts=[HANDOVER], roles=roles)


def handover_list(request: HttpRequest, *, status: str = "") -> list[dict]:
    """Handovers received at the account's units (the incoming page's list, without content)."""
    qs = incoming(request.user).select_related("student")
    if status:
        qs = qs.filter(status=status)
    handovers = list(qs.order_by("status", "deadline", "pk")[:500])
    _log_handovers(request, handovers)
    return [_handover(h, full=False) for h in handovers]


def handover_detail(request: HttpRequest, pk: int) -> dict:
    """One received handover with its content (the pedagogical part, and other information given with consent)."""
    handover = incoming(request.user).select_related("student").filter(pk=pk).first()
    if handover is None:
        raise Http404(_("No such handover."))
    _log_handovers(request, [handover])
    return _handover(handover, full=True)


# --- Group-level reports ------------------------------------------------------------------


def report_levels(user) -> list[dict]:
    return [{"code": lv.code, "kind": lv.kind, "id": lv.entity_id, "label": lv.label} for lv in level_choices(user)]


def _figure(f) -> dict:
    return {"text": f.text, "value": f.chart_value, "hidden": f.hidden, "missing": f.missing}


def report(user, params: dict) -> dict:
    """A level's figures through ``quality.linked`` (the one door for group figures): suppressed
    together with everything else the account can open, exactly as on the report page.

    ``params`` are checked by the serializer; a level outside the account's levels is a 404."""
    levels = {lv.code: lv for lv in level_choices(user)}
    level = levels.get(params.get("level") or next(iter(levels), ""))
    if level is None:
        raise Http404(_("No such level, or not one the integration may report on."))
    period = periods.parse(params["period"]) if params.get("period") else periods.term_of(timezone.localdate())
    dims = tuple(dict.fromkeys(d for d in (params.get("dim1"), params.get("dim2")) if d))
    programme = params.get("programme", "")
    tables = level_figures(user, level, period, dims=dims, programme=programme, suppress=True)
    return {
        "level": {"code": level.code, "kind": level.kind, "id": level.entity_id, "label": level.label},
        "period": {"code": period.code, "label": period.label, "start": period.start, "end": period.end},
        "programme": programme or None,
        "dims": list(dims),
        "indicators": [
            {
                "id": key,
                "name": str(table.indicator.name),
                "category": table.indicator.category,
                "kind": table.indicator.kind,
                "missing": str(table.indicator.missing) if table.indicator.missing is not None else None,
                "rows": [{"key": k, "label": str(label)} for k, label in table.rows],
                "cols": [{"key": k, "label": str(label)} for k, label in table.cols],
                "cells": [[_figure(f) for f in row] for row in table.cells],
            }
            for key, table in tables.items()
        ],
    }
