"""Reading Skolverket's syllabus API format (``SubjectsResponse``) into plain records.

Pure functions, no database: ``parse_subjects`` takes the decoded JSON of a
subject list (``GET /v1/subjects`` or ``/v1/subjects/{code}/versions``, with
its courses or levels) and returns one :class:`SubjectRecord` per subject and
school type, or every error it found, each naming the record and the field
(``subjects[3] (MAT): courses[1].points "hundra" is not a whole number``).

Which fields are read (the rest, such as purposes and central content, is left):

* subject: ``code``, ``name``, ``typeOfSyllabus``, ``schoolTypes``,
  ``version``, ``startDate``, ``endDate``, ``designation``;
* each of its ``courses`` (a course, or a level in a gy25 subject):
  ``code``, ``name``, ``points`` (or the older ``point``), ``sortOrder``.

A subject listed in several versions keeps its highest version. School types
the catalogue does not keep (adult education at upper-secondary level, SFI …)
are skipped and counted, so that a whole download from the API can be imported.
"""

import datetime
from dataclasses import dataclass, field

# typeOfSyllabus → the catalogue's subject kind (catalogue.models.SubjectKind values).
KIND_OF_SYLLABUS = {
    "SUBJECT_SYLLABUS": "courses",
    "SUBJECT_AREA_SYLLABUS": "courses",
    "GRADE_SUBJECT_SYLLABUS": "levels",
    "GRADE_SUBJECT_AREA_SYLLABUS": "levels",
    "COURSE_SYLLABUS": "compulsory",
    "OTHER_COURSE_SYLLABUS": "compulsory",
    "COURSE_SYLLABUS_SPAN": "compulsory",
    "GRVUX_COURSE": "compulsory",
    "GRVUX_PARTIAL_COURSE": "compulsory",
    "SFI_SUBJECT_SYLLABUS": None,  # Swedish for immigrants (komvux): not kept
}
# The API's school type codes → the catalogue's (catalogue.models.SchoolType values).
# Anpassad grundskola/gymnasieskola (GRAN, GYAN) are the former GRS and GYS.
SCHOOL_TYPES = {
    "GR": "GR",
    "GRS": "GRS",
    "GRAN": "GRS",
    "SAM": "GRSAM",
    "GRSAM": "GRSAM",
    "SPEC": "GRSPEC",
    "GRSPEC": "GRSPEC",
    "GY": "GY",
    "GYS": "GYS",
    "GYAN": "GYS",
    "VUXGR": "VUXGR",
}
MAX_CODE = 60
MAX_SUBJECT_CODE = 20
MAX_NAME = 200


@dataclass(frozen=True)
class CourseRecord:
    code: str
    name: str
    points: int | None
    sort_order: int


@dataclass(frozen=True)
class SubjectRecord:
    school_type: str
    kind: str
    code: str
    name: str
    designation: str = ""
    version: int | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    courses: tuple[CourseRecord, ...] = ()


@dataclass
class Parsed:
    subjects: list[SubjectRecord] = field(default_factory=list)
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


class _Bad(Exception):
    pass


def _text(item: dict, name: str, where: str, *, required: bool = True, limit: int = MAX_NAME) -> str:
    value = item.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _Bad(f"{where}{name} is missing")
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{where}{name} is not text")
    value = value.strip()
    if len(value) > limit:
        raise _Bad(f"{where}{name} is longer than {limit} characters")
    return value


def _date(item: dict, name: str, where: str) -> datetime.date | None:
    value = item.get(name)
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _Bad(f'{where}{name} "{value}" is not a date (YYYY-MM-DD)') from None


def _points(item: dict, where: str) -> int | None:
    value = item.get("points", item.get("point"))
    if value in (None, "", "-"):
        return None
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or int(text) > 32767:
        raise _Bad(f'{where}points "{value}" is not a whole number of points')
    return int(text)


def _courses(subject: dict, where: str) -> tuple[CourseRecord, ...]:
    items = subject.get("courses") or []
    if not isinstance(items, list):
        raise _Bad(f"{where}courses is not a list")
    out, seen = [], set()
    for i, item in enumerate(items):
        at = f"{where}courses[{i}]."
        if not isinstance(item, dict):
            raise _Bad(f"{where}courses[{i}] is not an object")
        code = _text(item, "code", at, limit=MAX_CODE)
        if code in seen:
            raise _Bad(f"{at}code {code} is in the subject twice")
        seen.add(code)
        order = item.get("sortOrder")
        if order is not None and (not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 32767):
            raise _Bad(f'{at}sortOrder "{order}" is not a whole number')
        out.append(CourseRecord(code, _text(item, "name", at), _points(item, at), order or i + 1))
    return tuple(out)


def _subject(item, index: int, default_school_type: str | None) -> list[SubjectRecord] | None:
    """The subject's records (one per school type kept); None when it is skipped."""
    if not isinstance(item, dict):
        raise _Bad(f"subjects[{index}] is not an object")
    code_hint = item.get("code") if isinstance(item.get("code"), str) else "?"
    where = f"subjects[{index}] ({code_hint}): "
    code = _text(item, "code", where, limit=MAX_SUBJECT_CODE)
    name = _text(item, "name", where)
    syllabus = item.get("typeOfSyllabus")
    if syllabus not in KIND_OF_SYLLABUS:
        raise _Bad(f'{where}typeOfSyllabus "{syllabus}" is not one of {", ".join(KIND_OF_SYLLABUS)}')
    kind = KIND_OF_SYLLABUS[syllabus]
    types = item.get("schoolTypes")
    if types is None and default_school_type:
        types = [default_school_type]
    if not isinstance(types, list) or not types:
        raise _Bad(f"{where}schoolTypes is missing (and the file names no schoolTypeParam)")
    flat = [t for group in types for t in (group if isinstance(group, list) else [group])]
    if not all(isinstance(t, str) for t in flat):
        raise _Bad(f"{where}schoolTypes holds something that is not a school type code")
    kept = sorted({SCHOOL_TYPES[t] for t in flat if t in SCHOOL_TYPES})
    if kind is None or not kept:
        return None
    version = item.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 0):
        raise _Bad(f'{where}version "{version}" is not a whole number')
    valid_from, valid_to = _date(item, "startDate", where), _date(item, "endDate", where)
    if valid_from and valid_to and valid_to < valid_from:
        raise _Bad(f"{where}endDate {valid_to} is before startDate {valid_from}")
    courses = _courses(item, where)
    designation = _text(item, "designation", where, required=False, limit=10)
    return [SubjectRecord(t, kind, code, name, designation, version, valid_from, valid_to, courses) for t in kept]


def parse_subjects(data) -> Parsed:
    """The subjects of a ``SubjectsResponse`` (or a ``SubjectResponse`` with one ``subject``)."""
    result = Parsed()
    if not isinstance(data, dict):
        result.errors.append("the file is not a JSON object with a list of subjects")
        return result
    items = data.get("subjects")
    if items is None and isinstance(data.get("subject"), dict):
        items = [data["subject"]]
    if not isinstance(items, list):
        result.errors.append("the file has no list “subjects” (Skolverket's SubjectsResponse)")
        return result
    default_type = data.get("schoolTypeParam") if isinstance(data.get("schoolTypeParam"), str) else None
    best: dict[tuple[str, str, str], SubjectRecord] = {}
    for index, item in enumerate(items):
        try:
            records = _subject(item, index, default_type)
        except _Bad as bad:
            result.errors.append(str(bad))
            continue
        if records is None:
            result.skipped += 1
            continue
        for record in records:
            key = (record.school_type, record.kind, record.code)
            held = best.get(key)
            if held is None or (record.version or 0) > (held.version or 0):
                best[key] = record
    result.subjects = list(best.values())
    result.errors += _shared_codes(result.subjects)
    return result


def _shared_codes(subjects: list[SubjectRecord]) -> list[str]:
    """A course or level code belongs to one subject (of a school type and kind)."""
    owner: dict[tuple[str, str, str], str] = {}
    errors = []
    for s in subjects:
        for c in s.courses:
            held = owner.setdefault((s.school_type, s.kind, c.code), s.code)
            if held != s.code:
                errors.append(f"subject {s.code}: courses code {c.code} is also in subject {held}")
    return errors
