"""Loading the catalogue: the data shipped with the project, Skolverket's syllabus API files, CSV."""

import csv
import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import COURSE_KIND_OF, Course, SchoolType, Subject, SubjectKind
from .syllabus import SubjectRecord, parse_subjects

DATA = Path(__file__).resolve().parent / "data"
# The catalogue every installation starts with, in the syllabus API's format (see README.md):
# courses (before gy25) and compulsory-school subjects as of 2018-07-02, and the gy25 subjects with levels.
SHIPPED = (
    DATA / "subjects_courses_2018-07-02.json.gz",
    DATA / "gy25_subjects_levels.json",
)

COLUMNS = (
    "school_type_dir",
    "subject_code",
    "subject_name",
    "subject_designation",
    "course_code",
    "course_name",
    "points",
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
def catalogue_import(path: Path) -> ImportResult:
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
                kind=_subject_kind(key[0]),
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
            kind=COURSE_KIND_OF[SubjectKind(subject.kind)],
            code=code,
            name=ranges_with_en_dash(row["course_name"]),
            points=int(row["points"]) if row["points"] else None,
        )
        courses.add((key[0], code))
        result.courses_created += 1
    return result


def _subject_kind(school_type: str) -> str:
    if school_type in (SchoolType.GY, SchoolType.GYS):
        return SubjectKind.COURSES
    return SubjectKind.LOCAL if school_type == SchoolType.LOCAL else SubjectKind.COMPULSORY


# A few rows of the shipped catalogue, for tests that need courses without loading all of it:
# (school type, subject code, subject name, course code, course name, points).
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


CORE_LEVELS = [
    ("GY", "SVA", "Svenska som andraspråk", "SVASVA01", "Svenska som andraspråk nivå 1", 100),
    ("GY", "MAT", "Matematik", "MATMAT01a", "Matematik nivå 1a", 100),
    ("GY", "ENG", "Engelska", "ENGENG01", "Engelska nivå 1", 100),
]


@transaction.atomic
def catalogue_ensure_core() -> None:
    """Make sure the core courses and levels exist (tests; the shipped data has the same rows)."""
    for rows, levels in ((CORE_COURSES, False), (CORE_LEVELS, True)):
        for school_type, s_code, s_name, c_code, c_name, points in rows:
            kind = SubjectKind.LEVELS if levels else _subject_kind(school_type)
            subject, _ = Subject.objects.get_or_create(
                school_type=school_type, kind=kind, code=s_code, organiser=None, defaults={"name": s_name}
            )
            Course.objects.get_or_create(
                school_type=school_type,
                kind=COURSE_KIND_OF[SubjectKind(kind)],
                code=c_code,
                defaults={"subject": subject, "name": c_name, "points": points},
            )


# --- Skolverket's syllabus API format ------------------------------------------------


class SyllabusImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass
class SyllabusResult:
    subjects_created: int = 0
    subjects_updated: int = 0
    courses_created: int = 0
    courses_updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def read_syllabus_file(path: Path):
    """The decoded JSON of a file (gzipped when its name ends in .gz)."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, gzip.BadGzipFile, EOFError) as error:
        raise SyllabusImportError([f"{path.name} is not JSON in UTF-8: {error}"]) from None


def _apply_subject(record: SubjectRecord, held, result: SyllabusResult, *, subject_model):
    fields = {
        "name": record.name,
        "designation": record.designation,
        "version": record.version,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
    }
    if held is None:
        held = subject_model.objects.create(
            school_type=record.school_type, kind=record.kind, code=record.code, **fields
        )
        result.subjects_created += 1
    elif any(getattr(held, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(held, k, v)
        held.save(update_fields=list(fields))
        result.subjects_updated += 1
    return held


def catalogue_apply(records: list[SubjectRecord], *, subject_model=Subject, course_model=Course) -> SyllabusResult:
    """Write parsed subjects: new ones are added, known ones (same school type, kind and code)
    get the file's names, points and dates. Nothing is deleted, so rows that plans and course
    groups point to stay. The models are parameters so that a data migration can pass its own."""
    result = SyllabusResult()
    subjects = {(s.school_type, s.kind, s.code): s for s in subject_model.objects.filter(organiser=None)}
    courses = {(c.school_type, c.kind, c.code): c for c in course_model.objects.filter(organiser=None)}
    new_courses = []
    for record in records:
        subject = _apply_subject(
            record,
            subjects.get((record.school_type, record.kind, record.code)),
            result,
            subject_model=subject_model,
        )
        kind = COURSE_KIND_OF[SubjectKind(record.kind)]
        for c in record.courses:
            held = courses.get((record.school_type, kind, c.code))
            name = ranges_with_en_dash(c.name)
            fields = {"subject_id": subject.pk, "name": name, "points": c.points, "sort_order": c.sort_order}
            if held is None:
                new_courses.append(course_model(school_type=record.school_type, kind=kind, code=c.code, **fields))
                courses[(record.school_type, kind, c.code)] = new_courses[-1]
            elif any(getattr(held, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(held, k, v)
                held.save(update_fields=["subject", "name", "points", "sort_order"])
                result.courses_updated += 1
            else:
                result.unchanged += 1
    course_model.objects.bulk_create(new_courses, batch_size=500)
    result.courses_created = len(new_courses)
    return result


@transaction.atomic
def syllabus_import(path: Path) -> SyllabusResult:
    """Import a file in Skolverket's syllabus API format; all or nothing.

    Every error in the file is reported (each naming the subject, its index and the
    field) and nothing is written when there is one.
    """
    parsed = parse_subjects(read_syllabus_file(path))
    if parsed.errors:
        raise SyllabusImportError(parsed.errors)
    result = catalogue_apply(parsed.subjects)
    result.skipped = parsed.skipped
    return result


def catalogue_load_shipped(*, subject_model=Subject, course_model=Course) -> SyllabusResult:
    """Load the catalogue shipped with the project (idempotent: known rows are left as they are)."""
    total = SyllabusResult()
    for path in SHIPPED:
        parsed = parse_subjects(read_syllabus_file(path))
        if parsed.errors:  # the shipped files are tested; this would be a packaging fault
            raise SyllabusImportError(parsed.errors)
        result = catalogue_apply(parsed.subjects, subject_model=subject_model, course_model=course_model)
        for name in ("subjects_created", "subjects_updated", "courses_created", "courses_updated", "unchanged"):
            setattr(total, name, getattr(total, name) + getattr(result, name))
    return total
