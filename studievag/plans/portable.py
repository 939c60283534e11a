"""The portable plan: export as JSON (valid against a published JSON Schema) and import.

When a student leaves for a national programme, adult education or another
school, the plan follows as the red thread of the student's education. The export holds
the plan's content, never support needs or addresses; a student with
protected identity is exported without name and identity number. Import is
all-or-nothing: every schema error is named by its field path, and courses
are matched by school type and code; unknown courses stop the import unless
the user chooses to leave them out.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jsonschema
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from studievag.catalogue.models import Course, CourseKind
from studievag.enrolments.models import Enrolment
from studievag.limits import IMPORT_MAX_BYTES, IMPORT_MAX_DEPTH, file_too_large_message, json_depth_within
from studievag.people.models import Student

from .models import Plan
from .services import plan_create
from .snapshot import plan_snapshot

SCHEMA_PATH = Path(__file__).parent / "schema" / "plan-export-v1.schema.json"
FORMAT = "studievag.plan/1"


def export_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _strip_keys(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "key"} for row in rows]


def plan_export(plan: Plan, *, on: datetime.date | None = None) -> dict:
    """The plan as the portable document (a dict ready for ``json.dumps``)."""
    on = on or timezone.localdate()
    student = plan.student
    enrolment = Enrolment.objects.filter(student=student).select_related("school_unit__organiser").current(on)
    unit = enrolment.school_unit
    snapshot = plan_snapshot(plan)
    last_review = plan.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    person: dict = {"protected_identity": student.has_protected_identity}
    if not student.has_protected_identity:
        person |= {
            "first_name": student.first_name,
            "last_name": student.last_name,
            "personal_identity_number": student.personal_identity_number,
        }
    content = {k: v for k, v in snapshot.items() if k not in ("goals", "courses", "internships")}
    content |= {
        "version": plan.version,
        "approved": (
            {"version": plan.approved_version, "on": plan.approved_on.isoformat()} if plan.approved_version else None
        ),
        "last_reviewed_on": last_review.isoformat() if last_review else None,
        "goals": _strip_keys(snapshot["goals"]),
        "courses": [_course_out(c) for c in snapshot["courses"]],
        "internships": _strip_keys(snapshot["internships"]),
    }
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "from_school": {
            "name": unit.name,
            "school_unit_code": unit.code,
            "organiser": unit.organiser.name,
        },
        "student": person,
        "plan": content,
    }


def _course_out(row: dict) -> dict:
    """A snapshot's course row for the file: without the key, and marked when it is a gy25 level
    (a level may share its code with a course)."""
    out = {k: v for k, v in row.items() if k != "key"}
    if row["key"].endswith(f":{CourseKind.LEVEL}"):
        out["kind"] = CourseKind.LEVEL.value
    return out


def _path(error: jsonschema.ValidationError) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or _("(the document)")


def schema_errors(data) -> list[str]:
    """Every way ``data`` breaks the schema, each naming the field, e.g. ``plan.goals[1].title``."""
    validator = jsonschema.Draft202012Validator(
        export_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    # jsonschema reports each missing field of an object on its own; the message names them all, once.
    return list(dict.fromkeys(f"{_path(e)}: {_schema_message(e)}" for e in errors))


def _schema_type(name) -> str:
    names = {
        "string": _("text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "array": _("a list"),
        "object": _("an object"),
        "boolean": _("true or false"),
        "null": _("empty (null)"),
    }
    if isinstance(name, list):
        return _(" or ").join(names.get(n, n) for n in name)
    return names.get(name, str(name))


def _quoted(names) -> str:
    return ", ".join(_("“%(name)s”") % {"name": n} for n in names)


def _schema_message(error: jsonschema.ValidationError) -> str:
    """The schema's complaint in the reader's language (the validator's own is English)."""
    validator, expected = error.validator, error.validator_value
    if validator == "required":
        missing = [name for name in expected if isinstance(error.instance, dict) and name not in error.instance]
        return ngettext("the field %(fields)s is missing", "the fields %(fields)s are missing", len(missing)) % {
            "fields": _quoted(missing)
        }
    if validator == "type":
        return _("should be %(type)s") % {"type": _schema_type(expected)}
    if validator in ("enum", "const"):
        values = expected if validator == "enum" else [expected]
        return _("should be one of %(values)s") % {"values": _quoted(values)}
    if validator == "format":
        formats = {"date": _("date (YYYY-MM-DD)"), "date-time": _("time (YYYY-MM-DDThh:mm:ss)")}
        return _("“%(value)s” is not a valid %(format)s") % {
            "value": error.instance,
            "format": formats.get(expected, expected),
        }
    if validator in ("maxLength", "maxItems", "maximum"):
        return _("is more than the largest allowed, %(limit)s") % {"limit": expected}
    if validator in ("minLength", "minItems", "minimum"):
        return _("is less than the smallest allowed, %(limit)s") % {"limit": expected}
    if validator == "pattern":
        return _("“%(value)s” is not written as the format asks") % {"value": error.instance}
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("has fields the format does not have: %(fields)s") % {"fields": _quoted(extra)}
    return _("does not follow the format (%(rule)s)") % {"rule": validator}


@dataclass
class ImportResult:
    plan: Plan | None = None
    errors: list[str] = field(default_factory=list)
    unknown_courses: list[str] = field(default_factory=list)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def plan_import(
    *,
    acting_user,
    student: Student,
    raw: bytes,
    skip_unknown_courses: bool = False,
) -> ImportResult:
    """Start ``student``'s plan from a portable document; all or nothing."""
    result = ImportResult()
    if len(raw) > IMPORT_MAX_BYTES:
        result.errors.append(file_too_large_message(IMPORT_MAX_BYTES))
        return result
    if not json_depth_within(raw, IMPORT_MAX_DEPTH):
        result.errors.append(
            _("The file nests lists and objects more than %(depth)d levels deep; a plan file never does.")
            % {"depth": IMPORT_MAX_DEPTH}
        )
        return result
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        result.errors.append(_("The file is not JSON: %(error)s") % {"error": error})
        return result
    result.errors = schema_errors(data)
    if result.errors:
        return result
    if Plan.objects.filter(student=student).exists():
        result.errors.append(_("This student already has a plan; an import starts a new plan."))
        return result
    person = data["student"]
    number = person.get("personal_identity_number")
    if number and number != student.personal_identity_number:
        result.errors.append(
            _("The file is for another student: the personal identity number in it is not this student's.")
        )
        return result
    content = data["plan"]
    wanted = [(c["school_type"], c["code"]) for c in content["courses"]]
    q = Q(pk__in=[])
    for school_type, code in wanted:
        q |= Q(school_type=school_type, code=code)
    # (school type, code, is a level): a file without "kind" names no level.
    known = {(c.school_type, c.code, c.kind == CourseKind.LEVEL): c for c in Course.objects.filter(q)}
    courses = []
    for i, c in enumerate(content["courses"]):
        course = known.get((c["school_type"], c["code"], c.get("kind") == CourseKind.LEVEL))
        if course is None:
            result.unknown_courses.append(f"plan.courses[{i}]: {c['school_type']} {c['code']} {c['name']}")
        else:
            hours = c.get("weekly_hours")
            courses.append(
                {
                    "course": course,
                    "term": c.get("term", ""),
                    "status": c["status"],
                    "weekly_hours": Decimal(hours) if hours else None,
                }
            )
    if result.unknown_courses and not skip_unknown_courses:
        result.errors.extend(
            _("%(course)s is not in this school's catalogue.") % {"course": u} for u in result.unknown_courses
        )
        return result
    school = data["from_school"]
    reason = _("Imported from %(school)s (%(code)s), plan version %(version)s") % {
        "school": school["name"],
        "code": school["school_unit_code"],
        "version": content.get("version", "?"),
    }
    if result.unknown_courses:
        reason += "; " + _("left out unknown courses: %(courses)s") % {"courses": ", ".join(result.unknown_courses)}
    fields = {
        "study_path": content["study_path"],
        "planned_start": _date(content.get("planned_start")),
        "planned_end": _date(content.get("planned_end")),
        "upper_secondary_started": _date(content.get("upper_secondary_started")),
        "other_training": content.get("other_training", ""),
        "other_measures": content.get("other_measures", ""),
        "participants": content.get("participants", ""),
        "student_voice": content.get("student_voice", ""),
    }
    try:
        plan = plan_create(
            acting_user=acting_user,
            student=student,
            reason=reason,
            fields=fields,
            goals=[{**g, "target_date": _date(g.get("target_date"))} for g in content["goals"]],
            courses=courses,
            internships=[
                {**i, "start_date": _date(i["start_date"]), "end_date": _date(i.get("end_date"))}
                for i in content["internships"]
            ],
        )
    except ValidationError as error:
        transaction.set_rollback(True)
        if hasattr(error, "error_dict"):
            result.errors.extend(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        else:
            result.errors.extend(error.messages)
        return result
    result.plan = plan
    return result
