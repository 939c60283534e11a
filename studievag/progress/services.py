"""Writes: progression, grades, attendance (grid and CSV import), team decisions, settings.

The views have already checked that the user may record for the course group
(``scope.course_groups_for``) or follow the student; these functions check
the rest (the student is in the group, the step is on the course's scale, the
minutes add up) and change nothing when anything is wrong.
"""

import datetime
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

from . import attendance_file, rules
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
    line: int | str | None = None  # the file's row number or the student's name, for messages


MINUTES_IN_A_WEEK = 7 * 24 * 60


def _check_row(row: AttendanceRow) -> list[str]:
    errors = []
    if row.week_start.weekday() != 0:
        errors.append(_("the week must begin on a Monday: %(date)s is not one") % {"date": row.week_start})
    for label, value in (
        (_("Scheduled time"), row.scheduled),
        (_("Valid absence"), row.valid_absence),
        (_("Invalid absence"), row.invalid_absence),
    ):
        if value < 0:
            errors.append(_("%(field)s must not be negative") % {"field": label})
        elif value > MINUTES_IN_A_WEEK:
            errors.append(_("%(field)s is more minutes than a week has") % {"field": label})
    if not errors and row.valid_absence + row.invalid_absence > row.scheduled:
        errors.append(
            _(
                "the absence, %(absent)s minutes valid and invalid together, is more than the "
                "scheduled time, %(scheduled)s minutes"
            )
            % {"absent": row.valid_absence + row.invalid_absence, "scheduled": row.scheduled}
        )
    return errors


def _where(row: AttendanceRow, i: int) -> str:
    if isinstance(row.line, str):
        return row.line
    return _("Row %(row)s") % {"row": row.line if row.line is not None else i}


@transaction.atomic
def attendance_save(*, acting_user, group: StudentGroup, rows: list[AttendanceRow], on: datetime.date) -> int:
    """Save attendance rows for the group's course; all or nothing. Returns the count saved."""
    members = {s.pk for s in course_group_members(group, on)}
    errors = []
    for i, row in enumerate(rows, start=1):
        where = _where(row, i)
        if row.student_id not in members:
            errors.append(_("%(where)s: the student is not in this course group") % {"where": where})
        errors.extend(_("%(where)s: %(error)s") % {"where": where, "error": e} for e in _check_row(row))
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


MAX_IMPORT_BYTES = attendance_file.MAX_BYTES
F = attendance_file.Field

# Which two columns give the valid and the invalid absence, most direct first:
# (first, second, how the missing one follows from them and the scheduled time).
ABSENCE_SOURCES = [
    (F.VALID, F.INVALID),
    (F.VALID, F.ABSENT),
    (F.INVALID, F.ABSENT),
    (F.VALID, F.PRESENT),
    (F.INVALID, F.PRESENT),
]


@dataclass
class ImportResult:
    saved: int = 0
    skipped: int = 0  # rows with no figures (a student the template listed but nobody filled in)
    errors: list[str] = field(default_factory=list)


class _RowError(Exception):
    pass


class _Lookup:
    """The course group's students by identity number and, for rows without one, by name."""

    AMBIGUOUS = object()

    def __init__(self, students: list[Student]):
        self.by_number = {s.personal_identity_number: s for s in students}
        self.by_name: dict[str, object] = {}
        for s in students:
            if s.has_protected_identity:
                continue  # never found by name: their names are not in any list we give out
            for key in {self.key(f"{s.first_name} {s.last_name}"), self.key(f"{s.last_name} {s.first_name}")}:
                self.by_name[key] = self.AMBIGUOUS if self.by_name.get(key, s) is not s else s

    @staticmethod
    def key(name: str) -> str:
        return " ".join(name.replace(",", " ").casefold().split())


def _check_columns(sheet: attendance_file.Sheet, has_week: bool) -> tuple[F, F]:
    columns = sheet.columns
    missing = []
    if not ({F.IDENTITY, F.NAME} & columns.keys() or {F.FIRST_NAME, F.LAST_NAME} <= columns.keys()):
        missing.append(_("the student's personal identity number (“Personnummer”) or name (“Namn”)"))
    if F.WEEK not in columns and not has_week:
        missing.append(_("the week (“Vecka (måndag)”)"))
    if F.SCHEDULED not in columns:
        missing.append(_("the scheduled time (“Schemalagd tid (minuter)”)"))
    elif columns[F.SCHEDULED].unit == attendance_file.Unit.PERCENT:
        column = columns[F.SCHEDULED]
        missing.append(
            _("the scheduled time in minutes or hours (column %(letter)s “%(header)s” is a percentage)")
            % {"letter": column.letter, "header": column.header}
        )
    source = next(((a, b) for a, b in ABSENCE_SOURCES if a in columns and b in columns), None)
    if source is None:
        missing.append(
            _(
                "how much absence was valid and how much invalid: two of the columns “Giltig frånvaro”, "
                "“Ogiltig frånvaro”, “Frånvaro” (all absence) and “Närvaro”"
            )
        )
    if missing:
        raise ValidationError([_("The file lacks %(what)s.") % {"what": m} for m in missing])
    assert source is not None
    return source


def _student(sheet: attendance_file.Sheet, line: int, cells: list, lookup: _Lookup) -> Student:
    identity = attendance_file.text(sheet.cell(cells, F.IDENTITY))
    if identity:
        column = sheet.columns[F.IDENTITY]
        try:
            number = parse_identity_number(identity).value
        except ValidationError:
            raise _RowError(
                _("%(where)s: “%(value)s” is not a personal identity number")
                % {"where": column.where(line), "value": identity}
            ) from None
        student = lookup.by_number.get(number)
        if student is None:
            raise _RowError(
                _("%(where)s: no student in the course group has the number %(value)s")
                % {"where": column.where(line), "value": identity}
            )
        return student
    if F.NAME in sheet.columns:
        name, column = attendance_file.text(sheet.cell(cells, F.NAME)), sheet.columns[F.NAME]
    elif {F.FIRST_NAME, F.LAST_NAME} <= sheet.columns.keys():
        first, last = (attendance_file.text(sheet.cell(cells, f)) for f in (F.FIRST_NAME, F.LAST_NAME))
        name, column = f"{first} {last}".strip(), sheet.columns[F.LAST_NAME]
    else:
        raise _RowError(_("Row %(row)s: the personal identity number is missing") % {"row": line})
    if not name:
        raise _RowError(_("Row %(row)s: neither a personal identity number nor a name") % {"row": line})
    found = lookup.by_name.get(lookup.key(name))
    if found is _Lookup.AMBIGUOUS:
        raise _RowError(
            _(
                "%(where)s: more than one student in the course group is called “%(value)s”: "
                "give the personal identity number"
            )
            % {"where": column.where(line), "value": name}
        )
    if found is None:
        raise _RowError(
            _("%(where)s: no student in the course group is called “%(value)s”")
            % {"where": column.where(line), "value": name}
        )
    assert isinstance(found, Student)
    return found


def _minutes(sheet: attendance_file.Sheet, line: int, cells: list, name: F, scheduled: int | None) -> int | None:
    value = sheet.cell(cells, name)
    if attendance_file.is_blank(value):
        return None
    column = sheet.columns[name]
    try:
        return attendance_file.minutes(value, column, scheduled)
    except ValueError as error:
        raise _RowError(_("%(where)s: %(error)s") % {"where": column.where(line), "error": error}) from None


def _week(sheet: attendance_file.Sheet, line: int, cells: list, week: datetime.date | None, on: datetime.date):
    if F.WEEK not in sheet.columns:
        assert week is not None
        return week
    column = sheet.columns[F.WEEK]
    value = sheet.cell(cells, F.WEEK)
    if attendance_file.is_blank(value):
        if week is not None:
            return week
        raise _RowError(_("%(where)s: the week is missing") % {"where": column.where(line)})
    try:
        return attendance_file.week_monday(value, on=on)
    except ValueError as error:
        raise _RowError(_("%(where)s: %(error)s") % {"where": column.where(line), "error": error}) from None


def _absence(sheet, line: int, cells: list, source: tuple[F, F], scheduled: int) -> tuple[int, int]:
    first, second = source
    a = _minutes(sheet, line, cells, first, scheduled) or 0
    b = _minutes(sheet, line, cells, second, scheduled)
    if second == F.INVALID:
        return a, b or 0
    columns = sheet.columns
    if b is None:
        raise _RowError(_("%(where)s: the figure is missing") % {"where": columns[second].where(line)})
    rest = b - a if second == F.ABSENT else scheduled - b - a
    if rest < 0:
        raise _RowError(
            _("Row %(row)s: the columns %(first)s and %(second)s do not add up with the scheduled time")
            % {"row": line, "first": columns[first].letter, "second": columns[second].letter}
        )
    return (a, rest) if first == F.VALID else (rest, a)


def _figures(sheet, line: int, cells: list, source: tuple[F, F]) -> tuple[int, int, int]:
    scheduled = _minutes(sheet, line, cells, F.SCHEDULED, None)
    if scheduled is None:
        raise _RowError(
            _("%(where)s: the scheduled time is missing") % {"where": sheet.columns[F.SCHEDULED].where(line)}
        )
    return (scheduled, *_absence(sheet, line, cells, source, scheduled))


def _import_row(sheet, line: int, cells: list, *, lookup: _Lookup, source, week, on) -> AttendanceRow | None:
    figures = [f for f in attendance_file.NUMBER_FIELDS if f in sheet.columns]
    if all(attendance_file.is_blank(sheet.cell(cells, f)) for f in figures):
        return None  # nothing recorded for this student
    problems: list[str] = []
    student = monday = None
    scheduled = valid = invalid = 0
    try:
        student = _student(sheet, line, cells, lookup)
    except _RowError as error:
        problems.append(str(error))
    try:
        monday = _week(sheet, line, cells, week, on)
    except _RowError as error:
        problems.append(str(error))
    try:
        scheduled, valid, invalid = _figures(sheet, line, cells, source)
    except _RowError as error:
        problems.append(str(error))
    if problems:
        raise ValidationError(problems)
    assert student is not None and monday is not None
    row = AttendanceRow(student.pk, monday, scheduled, valid, invalid, line=line)
    checked = _check_row(row)
    if checked:
        raise ValidationError([_("Row %(row)s: %(error)s") % {"row": line, "error": e} for e in checked])
    return row


@transaction.atomic
def attendance_import(
    *,
    acting_user,
    group: StudentGroup,
    data: bytes,
    on: datetime.date,
    week: datetime.date | None = None,
) -> ImportResult:
    """Import attendance from a CSV file or an Excel workbook; all or nothing.

    The file's format is in ``attendance_file``. ``week`` is the Monday of the
    week the page shows: rows without a week of their own are that week's.
    Each bad row is named by its row number in the file (the header's own
    row counted, as a spreadsheet shows it) and by its column's letter and header.
    """
    sheet = attendance_file.read_sheet(data)
    source = _check_columns(sheet, week is not None)
    lookup = _Lookup(course_group_members(group, on))
    errors: list[str] = []
    rows: list[AttendanceRow] = []
    seen: dict[tuple[int, datetime.date], int] = {}
    skipped = 0
    for line, cells in sheet.rows:
        try:
            row = _import_row(sheet, line, cells, lookup=lookup, source=source, week=week, on=on)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if row is None:
            skipped += 1
            continue
        key = (row.student_id, row.week_start)
        if key in seen:
            errors.append(
                _("Row %(row)s: the same student and week as row %(other)s") % {"row": line, "other": seen[key]}
            )
            continue
        seen[key] = line
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError([_("The file has no rows with figures to import.")])
    return ImportResult(saved=attendance_save(acting_user=acting_user, group=group, rows=rows, on=on), skipped=skipped)


def attendance_template_rows(group: StudentGroup, monday: datetime.date, on: datetime.date) -> list[list]:
    """Rows for the downloadable template: the group's students, one per row,
    with what is already recorded for the week filled in.

    Students with protected identity are left out: their numbers are never
    exported. Their attendance is entered in the grid.
    """
    students = [s for s in course_group_members(group, on) if not s.has_protected_identity]
    recorded = {
        a.student_id: a
        for a in AttendanceWeek.objects.filter(course_id=group.course_id, week_start=monday, student__in=students)
    }
    rows = []
    for student in students:
        known = recorded.get(student.pk)
        figures: list = (
            [known.scheduled_minutes, known.valid_absence_minutes, known.invalid_absence_minutes]
            if known
            else [None, None, None]
        )
        rows.append([student.formatted_identity_number, student.full_name, monday, *figures])
    return rows


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
