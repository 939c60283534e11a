"""The catalogue shipped with the project, and imports in Skolverket's syllabus API format."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from studievag.catalogue.models import Course, Subject
from studievag.catalogue.services import SHIPPED, catalogue_load_shipped, read_syllabus_file, syllabus_import
from studievag.catalogue.syllabus import parse_subjects

SMALL = Path(__file__).parent / "data" / "syllabus_small.json"
PROJECT = Path(__file__).resolve().parents[3]


def _national():
    return Course.objects.filter(organiser=None)


@pytest.mark.django_db
def test_the_shipped_catalogue_is_all_there_and_loading_it_again_changes_nothing():
    catalogue_load_shipped()  # the migration loaded it; a flushing test may have emptied the tables
    national = _national()
    assert national.filter(kind="course").count() == 1195  # GY and GYS courses before gy25
    assert national.filter(kind="stage").count() == 325  # compulsory-school subjects (GR, GRS, GRSAM, GRSPEC, VUXGR)
    assert national.filter(kind="level").count() == 30  # the gy25 subjects common to all programmes
    assert Subject.objects.filter(organiser=None).count() == 461
    assert national.get(school_type="GR", code="GRGRSVA01_7-9").label == "Svenska som andraspråk, årskurs 7–9"
    level = national.get(kind="level", code="MATMAT01a")
    assert (level.name, level.points, level.subject.kind) == ("Matematik nivå 1a", 100, "levels")
    assert national.get(kind="course", code="MATMAT01a").name == "Matematik 1a"
    again = catalogue_load_shipped()
    assert (again.subjects_created, again.courses_created, again.courses_updated) == (0, 0, 0)
    assert again.unchanged == 1550


def test_the_shipped_files_are_inside_the_project_and_parse_cleanly():
    for path in SHIPPED:
        assert path.is_relative_to(PROJECT) and path.is_file()
        parsed = parse_subjects(read_syllabus_file(path))
        assert parsed.errors == [] and parsed.subjects


@pytest.mark.django_db
def test_import_syllabus_adds_levels_and_courses_keeps_the_newest_version_and_skips_sfi(capsys):
    call_command("import_syllabus", str(SMALL))
    out = capsys.readouterr().out
    assert "2 subjects skipped" not in out and "1 subjects skipped" in out
    levels = Course.objects.filter(code__startswith="FRSFRS").order_by("sort_order")
    assert [(c.kind, c.name, c.points) for c in levels] == [
        ("level", "Fordonsservice nivå 1", 100),
        ("level", "Fordonsservice nivå 2", 100),
    ]
    adm = Subject.objects.get(school_type="GY", kind="courses", code="ADM")
    assert (adm.name, adm.version, str(adm.valid_to)) == ("Administration", 3, "2025-06-30")
    # The shipped 2018 list already had Administration 1; it keeps its row and id.
    assert Course.objects.filter(school_type="GY", kind="course", code="ADMADM01").count() == 1


@pytest.mark.django_db
def test_an_import_updates_names_and_points_by_code(tmp_path):
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    syllabus_import(SMALL)
    row = Course.objects.get(kind="level", code="FRSFRS01")
    data["subjects"][0]["courses"][0] |= {"name": "Fordonsservice nivå 1 (ny)", "points": "150"}
    path = tmp_path / "new.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = syllabus_import(path)
    assert result.courses_updated == 1 and result.courses_created == 0
    row.refresh_from_db()
    assert (row.name, row.points) == ("Fordonsservice nivå 1 (ny)", 150)


@pytest.mark.django_db
def test_a_bad_file_names_each_record_and_field_and_imports_nothing(tmp_path):
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["subjects"][0]["courses"][1]["points"] = "hundra"
    del data["subjects"][1]["courses"][0]["name"]
    data["subjects"][2]["typeOfSyllabus"] = "KURSPLAN"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = (Subject.objects.count(), Course.objects.count())
    with pytest.raises(CommandError) as error:
        call_command("import_syllabus", str(path))
    message = str(error.value)
    assert "Nothing was imported from bad.json (3 errors)" in message
    assert 'subjects[0] (FRS): courses[1].points "hundra" is not a whole number of points' in message
    assert "subjects[1] (ADM): courses[0].name is missing" in message
    assert 'subjects[2] (ADM): typeOfSyllabus "KURSPLAN" is not one of' in message
    assert (Subject.objects.count(), Course.objects.count()) == before


@pytest.mark.django_db
def test_a_file_that_is_not_json_or_not_a_subject_list_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("<html>", encoding="utf-8")
    with pytest.raises(CommandError, match=r"x\.json is not JSON"):
        call_command("import_syllabus", str(path))
    path.write_text('{"subject": 1}', encoding="utf-8")
    with pytest.raises(CommandError, match="no list “subjects”"):
        call_command("import_syllabus", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_syllabus", str(tmp_path / "missing.json"))


def test_one_code_in_two_subjects_of_the_same_kind_is_an_error():
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["subjects"][1]["courses"][1]["code"] = "ADMADM01"
    parsed = parse_subjects(data)
    assert parsed.errors == ["subjects[1] (ADM): courses[1].code ADMADM01 is in the subject twice"]
    data = json.loads(SMALL.read_text(encoding="utf-8"))
    data["subjects"][0]["typeOfSyllabus"] = "SUBJECT_SYLLABUS"
    data["subjects"][0]["courses"][0]["code"] = "ADMADM02"
    assert parse_subjects(data).errors == ["subject ADM: courses code ADMADM02 is also in subject FRS"]


# --- Property-based: the parser never crashes, and reads back what a valid file says ---------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
FIELDS = st.sampled_from(["code", "name", "typeOfSyllabus", "schoolTypes", "courses", "version", "startDate", "points"])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(FIELDS, JSON, max_size=8), st.integers(0, 3))
def test_any_subject_record_gives_records_or_errors_never_an_exception(subject, copies):
    parsed = parse_subjects({"subjects": [subject] * copies})
    assert isinstance(parsed.errors, list)
    assert len(parsed.subjects) + parsed.skipped <= copies or parsed.errors


CODE = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=10)
NAME = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.strip())
LEVELS = st.lists(st.tuples(CODE, NAME, st.none() | st.integers(0, 3000)), max_size=6, unique_by=lambda t: t[0])


@settings(max_examples=100, deadline=None)
@given(CODE, NAME, st.sampled_from(["GRADE_SUBJECT_SYLLABUS", "SUBJECT_SYLLABUS"]), LEVELS)
def test_a_valid_subject_is_read_back_exactly(code, name, syllabus, levels):
    item = {
        "code": code,
        "name": name,
        "typeOfSyllabus": syllabus,
        "schoolTypes": ["GY", "VUXGY"],
        "courses": [
            {"code": c, "name": n, **({"points": str(p)} if p is not None else {}), "sortOrder": i + 1}
            for i, (c, n, p) in enumerate(levels)
        ],
    }
    parsed = parse_subjects({"subjects": [item]})
    assert parsed.errors == []
    [record] = parsed.subjects
    assert (record.school_type, record.code, record.name) == ("GY", code, name)
    assert record.kind == ("levels" if syllabus == "GRADE_SUBJECT_SYLLABUS" else "courses")
    assert [(c.code, c.name, c.points) for c in record.courses] == levels
