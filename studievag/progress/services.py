"""Writes: progression, grades, attendance (grid and CSV import), team decisions, settings.

The views have already checked that the user may record for the course group
(``scope.course_groups_for``) or follow the student; these functions check
the rest (the student is in the group, the step is on the course's scale, the
minutes add up) and change nothing when anything is wrong.
"""

import csv
import datetime
import io
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.enrolments.models import StudentGroup
from studievag.intake.models import StartingLevel
from studievag.once import already_saved, save_once
from studievag.people.identity import parse_identity_number
from studievag.people.models import Student
from studievag.scales.models import ProgressionScale, ProgressionStep
from studievag.scales.selectors import ScaleBook

from . import rules
from .models import (
    AttendanceWeek,
    FollowUpSettings,
    Grade,
    GradeRecord,
    ProgressRecord,
    TeamDecision,
)
from .selectors import course_group_members


def scale_for_group(group: StudentGroup):
    book = ScaleBook([group.school_unit.organiser_id])
    return book.for_subject(group.school_unit.organiser_id, group.course.subject.code)


def _member(group: StudentGroup, student_id, on: datetime.date) -> Student:
    members = {s.pk: s for s in course_group_members(group, on)}
    try:
        return members[int(student_id)]
    except (KeyError, TypeError, ValueError):
        raise ValidationError({"student": _("The student is not in this course group.")}) from None


@transaction.atomic
def progress_record(
    *, acting_user, group: StudentGroup, student_id: int, step_id: int, on: datetime.date
) -> ProgressRecord:
    """Record that a student of the group stands on a step today.

    One record per student, course and day: recording again on the same day
    corrects that day's record; earlier days are never changed (history).
    """
    student = _member(group, student_id, on)
    scale = scale_for_group(group)
    steps = {s.pk: s for s in scale.steps.all()} if scale else {}
    try:
        step = steps[int(step_id)]
    except (KeyError, TypeError, ValueError):
        raise ValidationError({"step": _("That step is not on this course's scale.")}) from None
    record = (
        ProgressRecord.objects.select_for_update().filter(student=student, course=group.course, recorded_on=on).first()
    )
    if record is not None and record.step_id == step.pk:
        return record  # the same step again: nothing changes, nothing is written
    record = record or ProgressRecord(student=student, course=group.course, recorded_on=on)
    record.step, record.recorded_by = step, acting_user
    record._history_user = acting_user
    record.save()
    return record


def _latest_grade(student, course) -> GradeRecord | None:
    return (
        GradeRecord.objects.select_for_update()
        .filter(student=student, course=course)
        .order_by("-awarded_on", "-pk")
        .first()
    )


@transaction.atomic
def grade_record(
    *, acting_user, group: StudentGroup, student_id: int, grade: str, on: datetime.date, reason: str = ""
) -> GradeRecord:
    """Set a student's grade in the group's course by an explicit choice.

    The same grade again changes nothing; a different grade corrects the one
    already set, and then needs a reason (a grade is an exercise of public
    authority: a correction is documented). The history keeps every value.
    """
    student = _member(group, student_id, on)
    if grade not in Grade.values:
        raise ValidationError({"grade": _("A grade is A, B, C, D, E, F or “-”.")})
    current = _latest_grade(student, group.course)
    if current is not None and current.grade == grade:
        return current
    if current is not None:
        if not reason.strip():
            raise ValidationError(
                {
                    "reason": _("The student already has the grade %(grade)s: say why it is changed.")
                    % {"grade": current.grade}
                }
            )
        current.grade, current.awarded_on, current.recorded_by = grade, on, acting_user
        current.recorded_at = timezone.now()  # the group figures see the correction
        current._history_user = acting_user
        current._change_reason = reason.strip()[:100]
        current.save()
        return current
    record = GradeRecord(student=student, course=group.course, grade=grade, awarded_on=on, recorded_by=acting_user)
    record._history_user = acting_user
    record.save()
    return record


@transaction.atomic
def grade_remove(*, acting_user, group: StudentGroup, student_id: int, on: datetime.date, reason: str) -> None:
    """Remove a grade set by mistake; the history keeps it, with who removed it and why."""
    student = _member(group, student_id, on)
    current = _latest_grade(student, group.course)
    if current is None:
        raise ValidationError({"grade": _("The student has no grade in this course.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the grade is removed.")})
    current._history_user = acting_user
    current._change_reason = reason.strip()[:100]
    current.delete()


# --- Attendance ---------------------------------------------------------------------------


@dataclass
class AttendanceRow:
    student_id: int
    week_start: datetime.date
    scheduled: int
    valid_absence: int
    invalid_absence: int
    line: int | str | None = None  # the CSV line or the student, for messages


def _check_row(row: AttendanceRow) -> list[str]:
    errors = []
    if row.week_start.weekday() != 0:
        errors.append(_("week_start: %(date)s is not a Monday") % {"date": row.week_start})
    for name, value in (
        ("scheduled_minutes", row.scheduled),
        ("valid_absence_minutes", row.valid_absence),
        ("invalid_absence_minutes", row.invalid_absence),
    ):
        if value < 0:
            errors.append(_("%(field)s: must not be negative") % {"field": name})
        elif value > 7 * 24 * 60:
            errors.append(_("%(field)s: more minutes than a week has") % {"field": name})
    if not errors and row.valid_absence + row.invalid_absence > row.scheduled:
        errors.append(_("absence: valid and invalid absence together exceed the scheduled minutes"))
    return errors


@transaction.atomic
def attendance_save(*, acting_user, group: StudentGroup, rows: list[AttendanceRow], on: datetime.date) -> int:
    """Save attendance rows for the group's course; all or nothing. Returns the count saved."""
    members = {s.pk for s in course_group_members(group, on)}
    errors = []
    for i, row in enumerate(rows, start=1):
        where = row.line if row.line is not None else i
        if row.student_id not in members:
            errors.append(_("Row %(row)s: student: not in this course group") % {"row": where})
        errors.extend(_("Row %(row)s: %(error)s") % {"row": where, "error": e} for e in _check_row(row))
    if errors:
        raise ValidationError(errors)
    for row in rows:
        AttendanceWeek.objects.update_or_create(
            student_id=row.student_id,
            course=group.course,
            week_start=row.week_start,
            defaults={
                "scheduled_minutes": row.scheduled,
                "valid_absence_minutes": row.valid_absence,
                "invalid_absence_minutes": row.invalid_absence,
                "recorded_by": acting_user,
            },
        )
    return len(rows)


CSV_COLUMNS = [
    "personal_identity_number",
    "week_start",
    "scheduled_minutes",
    "valid_absence_minutes",
    "invalid_absence_minutes",
]
MAX_IMPORT_BYTES = 2 * 1024 * 1024


@dataclass
class ImportResult:
    saved: int = 0
    errors: list[str] = field(default_factory=list)


def _int_field(raw: str, name: str, line: int, errors: list[str]) -> int:
    value = (raw or "").strip()
    if not value.isdigit():
        errors.append(
            _("Row %(row)s: %(field)s: “%(value)s” is not a whole number of minutes")
            % {"row": line, "field": name, "value": value}
        )
        return 0
    return int(value)


@transaction.atomic
def attendance_import(*, acting_user, group: StudentGroup, data: bytes, on: datetime.date) -> ImportResult:
    """Import attendance from a CSV file (the template's columns); all or nothing.

    Each bad row is named by its line number (the header is line 1) and field.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError([_("The file is larger than 2 MB.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError([_("The file is not UTF-8 text: save it as CSV (UTF-8).")]) from None
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError([_("The file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)}])
    members = {s.personal_identity_number: s for s in course_group_members(group, on)}
    errors: list[str] = []
    rows: list[AttendanceRow] = []
    seen: dict[tuple[int, datetime.date], int] = {}
    for line, raw in enumerate(reader, start=2):
        if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue  # blank line
        row_errors: list[str] = []
        number = (raw.get("personal_identity_number") or "").strip()
        student = None
        try:
            student = members.get(parse_identity_number(number).value)
        except Exception:  # noqa: BLE001 - any parse failure is the same message
            row_errors.append(
                _("Row %(row)s: personal_identity_number: “%(value)s” is not a valid identity number")
                % {"row": line, "value": number}
            )
        else:
            if student is None:
                row_errors.append(
                    _("Row %(row)s: personal_identity_number: no student with this number in the course group")
                    % {"row": line}
                )
        week = None
        try:
            week = datetime.date.fromisoformat((raw.get("week_start") or "").strip())
        except ValueError:
            row_errors.append(
                _("Row %(row)s: week_start: “%(value)s” is not a date (YYYY-MM-DD)")
                % {"row": line, "value": raw.get("week_start") or ""}
            )
        scheduled = _int_field(raw.get("scheduled_minutes"), "scheduled_minutes", line, row_errors)
        valid = _int_field(raw.get("valid_absence_minutes"), "valid_absence_minutes", line, row_errors)
        invalid = _int_field(raw.get("invalid_absence_minutes"), "invalid_absence_minutes", line, row_errors)
        if not row_errors and student is not None and week is not None:
            row = AttendanceRow(student.pk, week, scheduled, valid, invalid, line=line)
            row_errors.extend(_("Row %(row)s: %(error)s") % {"row": line, "error": e} for e in _check_row(row))
            if (student.pk, week) in seen:
                row_errors.append(
                    _("Row %(row)s: the same student and week as row %(other)s")
                    % {"row": line, "other": seen[(student.pk, week)]}
                )
            seen[(student.pk, week)] = line
            if not row_errors:
                rows.append(row)
        errors.extend(row_errors)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError([_("The file has no rows.")])
    return ImportResult(saved=attendance_save(acting_user=acting_user, group=group, rows=rows, on=on))


def attendance_template_rows(group: StudentGroup, monday: datetime.date, on: datetime.date):
    """Rows for the downloadable template: the group's students, one per row.

    Students with protected identity are left out: their numbers are never
    exported. Their attendance is entered in the grid.
    """
    for student in course_group_members(group, on):
        if student.has_protected_identity:
            continue
        yield [student.personal_identity_number, monday.isoformat(), "", "0", "0"]


# --- Team decisions and settings -----------------------------------------------------------


@transaction.atomic
def team_decision_record(
    *,
    acting_user,
    student: Student,
    kind: str,
    text: str,
    decided_on: datetime.date,
    team: str,
    follow_up_on: datetime.date | None = None,
    submission_key: uuid.UUID | None = None,
) -> TeamDecision:
    """Record a team decision; the same form sent twice (``submission_key``) records it once."""
    if existing := already_saved(TeamDecision, submission_key):
        return existing
    decision = TeamDecision(
        student=student,
        kind=kind,
        text=text.strip(),
        decided_on=decided_on,
        team=team,
        follow_up_on=follow_up_on,
        recorded_by=acting_user,
    )
    decision.full_clean()
    return save_once(decision, submission_key)


@transaction.atomic
def follow_up_settings_save(*, acting_user, organiser, **values) -> FollowUpSettings:
    settings = FollowUpSettings.objects.filter(organiser=organiser).first() or FollowUpSettings(organiser=organiser)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.updated_by = acting_user
    settings.full_clean()
    if settings.far_behind_steps < settings.behind_steps:
        raise ValidationError({"far_behind_steps": _("Far behind must be at least as far as behind.")})
    settings.save()
    return settings


def step_by_id(step_id: int) -> ProgressionStep | None:
    return ProgressionStep.objects.filter(pk=step_id).select_related("scale").first()


# --- The organiser's own progression scales -----------------------------------------------


def _scale_errors(steps: list[dict]) -> list[str]:
    errors = []
    if len(steps) < 2:
        errors.append(_("A scale needs at least two steps."))
    goals = [s for s in steps if s.get("is_goal")]
    if len(goals) != 1:
        errors.append(_("Mark exactly one step as the course goal (now %(n)s).") % {"n": len(goals)})
    for n, step in enumerate(steps, start=1):
        colour = step.get("colour") or ""
        label = step.get("label") or str(n)
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            errors.append(_("Step %(n)s (%(label)s): write the colour as #rrggbb.") % {"n": n, "label": label})
        elif (ratio := rules.contrast_ratio(colour, rules.STEP_TEXT_COLOUR)) < rules.MIN_STEP_CONTRAST:
            errors.append(
                _(
                    "Step %(n)s (%(label)s): the colour %(colour)s is too dark for the text on it "
                    "(contrast %(ratio).1f:1, at least %(min).1f:1 is needed); choose a lighter one."
                )
                % {"n": n, "label": label, "colour": colour, "ratio": ratio, "min": rules.MIN_STEP_CONTRAST}
            )
    return errors


def steps_in_use(step_ids) -> dict[int, int]:
    """How many progress records and starting levels use each of these steps."""

    used: dict[int, int] = {}
    for model in (ProgressRecord, StartingLevel):
        for row in model.objects.filter(step_id__in=list(step_ids)).values("step_id").annotate(n=Count("pk")):
            used[row["step_id"]] = used.get(row["step_id"], 0) + row["n"]
    return used


@transaction.atomic
def progression_scale_save(
    *,
    acting_user,
    organiser,
    scale: ProgressionScale | None = None,
    name: str,
    subject_codes: list[str],
    steps: list[dict],
) -> ProgressionScale:
    """Create or change the organiser's own scale; ``steps`` in order, each with ``label``,
    ``colour``, ``description``, ``is_goal`` and, for a kept step, its ``id``.

    All or nothing: at least two steps, exactly one goal, colours #rrggbb readable under
    the dark step text, subject codes not already on another of the organiser's scales,
    and a step in use by records or starting levels is never removed.
    """
    if scale is not None and scale.organiser_id != organiser.pk:
        raise ValidationError(_("Only the organiser's own scales are changed here."))
    errors = _scale_errors(steps)
    codes = sorted({c.strip().upper() for c in subject_codes if c.strip()})
    if not codes:
        errors.append(_("Name at least one subject code the scale is for."))
    others = ProgressionScale.objects.filter(organiser=organiser).exclude(pk=getattr(scale, "pk", None))
    for other in others:
        if taken := sorted(set(codes) & set(other.subject_codes)):
            errors.append(
                _("The subject code %(codes)s already has the scale “%(name)s”.")
                % {"codes": ", ".join(taken), "name": other.name}
            )
    existing = {s.pk: s for s in scale.steps.all()} if scale is not None else {}
    kept = {s.get("id") for s in steps if s.get("id")}
    if unknown := kept - set(existing):
        errors.append(_("Unknown step %(ids)s.") % {"ids": ", ".join(map(str, sorted(unknown)))})
    removed = [existing[pk] for pk in existing if pk not in kept]
    used = steps_in_use(s.pk for s in removed)
    for step in removed:
        if used.get(step.pk):
            errors.append(
                _(
                    "The step “%(label)s” is used by %(n)s records or starting levels and cannot be "
                    "removed; change its label or description instead."
                )
                % {"label": step.label, "n": used[step.pk]}
            )
    if errors:
        raise ValidationError(errors)
    scale = scale or ProgressionScale(organiser=organiser)
    scale.name, scale.subject_codes = name.strip(), codes
    scale.full_clean()
    scale.save()
    ProgressionStep.objects.filter(pk__in=[s.pk for s in removed]).delete()
    # Out of the way first, so that new positions and the one goal never collide.
    offset = 1000
    for step in existing.values():
        if step.pk in kept:
            ProgressionStep.objects.filter(pk=step.pk).update(position=step.position + offset, is_goal=False)
    for position, data in enumerate(steps, start=1):
        step = existing.get(data.get("id")) or ProgressionStep(scale=scale)
        step.position = position
        step.label = data["label"].strip()
        step.colour = data["colour"].lower()
        step.description = (data.get("description") or "").strip()
        step.is_goal = bool(data.get("is_goal"))
        step.full_clean(exclude=["scale"], validate_constraints=False)
        step.save()
    return scale
