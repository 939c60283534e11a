"""Loading Skolverket's subject and course list into the catalogue."""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import Course, SchoolType, Subject

COLUMNS = (
    "school_type_dir",
    "subject_code",
    "subject_name",
    "subject_designation",
    "course_code",
    "course_name",
    "points",
)
# The file shipped beside the project (shared/reference); tests and the demo read it there.
DEFAULT_CSV = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / ("skolverket_subjects_courses_2018-07-02.csv")
)


class CatalogueImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass
class ImportResult:
    subjects_created: int = 0
    courses_created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _parse(rows, known_types) -> tuple[list[dict], list[str]]:
    parsed, errors = [], []
    for line, row in enumerate(rows, start=2):
        school_type = (row.get("school_type_dir") or "").strip()
        if school_type not in known_types:
            errors.append(f"row {line}: unknown school type “{school_type}”")
            continue
        if not (row.get("subject_code") or "").strip() or not (row.get("subject_name") or "").strip():
            errors.append(f"row {line}: subject_code and subject_name are required")
            continue
        points = (row.get("points") or "").strip()
        if points and not points.isdigit():
            errors.append(f"row {line}: points “{points}” is not a whole number")
            continue
        parsed.append({**{k: (row.get(k) or "").strip() for k in COLUMNS}, "line": line})
    return parsed, errors


def ranges_with_en_dash(name: str) -> str:
    """Skolverket's file writes the stages "Årskurs 7-9"; in Swedish a range takes an en dash."""
    return re.sub(r"(?<=\d)-(?=\d)", "–", name)


@transaction.atomic
def catalogue_import(path: Path = DEFAULT_CSV) -> ImportResult:
    """Add the subjects and courses of a Skolverket CSV file; all or nothing.

    Existing rows (same school type and code) are left as they are, so the
    import can be run again after a newer file. Bad rows stop the whole
    import, each named by its line.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogueImportError([f"the file lacks the columns: {', '.join(missing)}"])
        rows, errors = _parse(reader, {t.value for t in SchoolType} - {SchoolType.LOCAL})
    if errors:
        raise CatalogueImportError(errors)
    result = ImportResult()
    subjects = {(s.school_type, s.code): s for s in Subject.objects.filter(organiser=None)}
    courses = set(Course.objects.filter(organiser=None).values_list("school_type", "code"))
    for row in rows:
        key = (row["school_type_dir"], row["subject_code"])
        subject = subjects.get(key)
        if subject is None:
            subject = subjects[key] = Subject.objects.create(
                school_type=key[0],
                code=key[1],
                name=row["subject_name"],
                designation=row["subject_designation"],
            )
            result.subjects_created += 1
        code = row["course_code"]
        if not code:
            continue
        if (key[0], code) in courses:
            result.unchanged += 1
            continue
        Course.objects.create(
            subject=subject,
            school_type=key[0],
            code=code,
            name=ranges_with_en_dash(row["course_name"]),
            points=int(row["points"]) if row["points"] else None,
        )
        courses.add((key[0], code))
        result.courses_created += 1
    return result


# The courses the demo's course groups read, for when the reference file is
# not beside the project: (school type, subject code, subject name, course code, course name, points).
CORE_COURSES = [
    ("GR", "GRGRSVA01", "Svenska som andraspråk", "GRGRSVA01_7-9", "Årskurs 7–9", None),
    ("GR", "GRGRMAT01", "Matematik", "GRGRMAT01_7-9", "Årskurs 7–9", None),
    ("GR", "GRGRENG01", "Engelska", "GRGRENG01_7-9", "Årskurs 7–9", None),
    ("GR", "GRGRSAM01", "Samhällskunskap", "GRGRSAM01_7-9", "Årskurs 7–9", None),
    ("GY", "SVA", "Svenska som andraspråk", "SVASVA01", "Svenska som andraspråk 1", 100),
    ("GY", "MAT", "Matematik", "MATMAT01a", "Matematik 1a", 100),
    ("GY", "ENG", "Engelska", "ENGENG05", "Engelska 5", 100),
    ("GY", "FOD", "Fordonsteknik", "FODFOO0", "Fordonsteknik – introduktion", 200),
]


@transaction.atomic
def catalogue_ensure_core() -> None:
    """Make sure the core courses exist (used by the demo when no CSV is at hand)."""
    for school_type, s_code, s_name, c_code, c_name, points in CORE_COURSES:
        subject, _ = Subject.objects.get_or_create(
            school_type=school_type, code=s_code, organiser=None, defaults={"name": s_name}
        )
        Course.objects.get_or_create(
            school_type=school_type,
            code=c_code,
            defaults={"subject": subject, "name": c_name, "points": points},
        )
