"""The individual study plan as an SS 12000 StudyPlan.

SS 12000's StudyPlan was written for the national programmes: content in
categories (e.g. "Programgemensamma") of syllabuses with hours, and typed
notes. An introduction programme's plan maps onto it like this:

- ``content``: one block per school type of the planned courses
  (compulsory-school subjects, upper-secondary courses …), each syllabus with
  its status and term as the note; dropped courses go in the standard's
  "Borttagna" block;
- ``notes``: the student's goals as "Elevens mål med studierna", other
  measures, other vocational training and internships as "Andra insatser som
  är gynnsamma för elevens kunskapsutveckling", the study path and the
  student's own words as "Anteckningar";
- ``student``: the register's id for the student when the organiser's
  register is linked (so the receiving system can match it), otherwise a
  stable id of Studieväg's; the name only when the student has no protected
  identity.

Support needs, addresses and the intake mapping are never part of it. Ids of
the plan and of syllabuses are stable UUIDs derived from Studieväg's keys and
Skolverket's course codes, so exporting twice gives the same document.
"""

import uuid
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.catalogue.models import SchoolType
from studievag.plans.models import CourseStatus, GoalTerm, Plan

from .models import ExternalRecord
from .ss12000 import schema
from .ss12000.client import rfc3339

NAMESPACE = uuid.UUID("3d1f6a52-0c1e-4f0e-8a55-6f1b2d9c7e41")
GOALS = "Elevens mål med studierna"
MEASURES = "Andra insatser som är gynnsamma för elevens kunskapsutveckling"
NOTES = "Anteckningar"
REMOVED = "Borttagna"
MARKING = {"none": "Ingen", "confidentiality": "Sekretessmarkering", "protected": "Skyddad folkbokföring"}


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def student_reference(plan: Plan) -> dict:
    student = plan.student
    record = (
        ExternalRecord.objects.filter(local_kind="student", local_id=student.pk, deleted_at__isnull=True)
        .order_by("pk")
        .first()
    )
    reference = {
        "id": record.external_id if record else _uuid("student", student.pk),
        "securityMarking": MARKING[student.security_marking],
    }
    if not student.has_protected_identity:
        reference["displayName"] = student.full_name
    return reference


def _content(plan: Plan) -> list[dict]:
    blocks: dict[str, list[dict]] = defaultdict(list)
    removed: list[dict] = []
    points: dict[str, int] = defaultdict(int)
    for planned in plan.courses.select_related("course__subject"):
        course = planned.course
        note = str(CourseStatus(planned.status).label) + (f", {planned.term}" if planned.term else "")
        syllabus = {
            "syllabus": {
                # A gy25 level may share its code with a course: its key names the kind.
                "id": _uuid("syllabus", *course.key.split(":")),
                "displayName": f"{course.label} ({course.shown_code})",
            },
            "note": note,
        }
        if planned.status == CourseStatus.DROPPED:
            removed.append(syllabus)
            continue
        blocks[course.school_type].append(syllabus)
        points[course.school_type] += course.points or 0
    content = []
    for school_type, syllabuses in sorted(blocks.items()):
        block = {"title": str(SchoolType(school_type).label), "syllabuses": syllabuses}
        if points[school_type]:
            block["points"] = points[school_type]
        content.append(block)
    if removed:
        content.append({"title": _("Dropped courses"), "type": REMOVED, "syllabuses": removed})
    return content


def _notes(plan: Plan) -> list[dict]:
    notes = []
    for goal in plan.goals.all():
        term = _("Short-term goal") if goal.term == GoalTerm.SHORT else _("Long-term goal")
        text = f"{term}: {goal.title}"
        if goal.target_date:
            text += f" ({goal.target_date.isoformat()})"
        notes.append({"type": GOALS, "note": text})
    if plan.study_path:
        notes.append({"type": NOTES, "note": f"{_('Study path')}: {plan.study_path}"})
    if plan.other_measures:
        notes.append({"type": MEASURES, "note": plan.other_measures})
    if plan.other_training:
        notes.append({"type": MEASURES, "note": f"{_('Other vocational training')}: {plan.other_training}"})
    for internship in plan.internships.all():
        until = internship.end_date.isoformat() if internship.end_date else ""
        notes.append(
            {
                "type": MEASURES,
                "note": f"{_('Internship')}: {internship.workplace}, {internship.start_date.isoformat()}–{until}",
            }
        )
    if plan.student_voice:
        notes.append({"type": NOTES, "note": f"{_('In the student’s own words')}: {plan.student_voice}"})
    return notes


def study_plan(plan: Plan) -> dict:
    """The plan as an SS 12000 StudyPlan, validated against the standard's schema before it is returned."""
    start = plan.planned_start
    if start is None:
        first = plan.student.enrolments.order_by("start_date").first()
        start = first.start_date if first else timezone.localdate(plan.created_at)
    document = {
        "id": _uuid("plan", plan.pk),
        "meta": {"created": rfc3339(plan.created_at), "modified": rfc3339(plan.updated_at)},
        "student": student_reference(plan),
        "startDate": start.isoformat(),
        "content": _content(plan),
        "notes": _notes(plan),
    }
    if plan.planned_end:
        document["endDate"] = plan.planned_end.isoformat()
    schema.validate("StudyPlan", document)
    return document
