"""Bounded searches and imports, and exports a spreadsheet cannot run."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from studievag.cells import safe_cell, safe_row
from studievag.limits import IMPORT_MAX_DEPTH, SEARCH_MAX_WORDS, json_depth_within, search_words
from studievag.plans.models import Plan
from studievag.quality.models import Reflection, ReflectionTag


def test_search_words_are_bounded(english):
    assert search_words("  anna   berg anna ") == ["anna", "berg"]
    with pytest.raises(ValidationError) as error:
        search_words(" ".join(f"w{i}" for i in range(SEARCH_MAX_WORDS + 1)))
    assert "at most 5 words" in error.value.messages[0]
    with pytest.raises(ValidationError):
        search_words("x" * 101)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\[]{}', max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='k"[{', max_size=3), inner, max_size=3)
    ),
    max_leaves=20,
)


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@given(json_values, st.integers(min_value=0, max_value=6))
def test_depth_check_agrees_with_the_parsed_nesting(value, limit):
    assert json_depth_within(json.dumps(value), limit) == (_depth(value) <= limit)


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+A1*2", "'+A1*2"),
        ("+46701234567", "+46701234567"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("-3", "-3"),
        ("+4,5 %", "+4,5 %"),
        ("Anna", "Anna"),
        (-3, -3),
        (None, None),
    ],
)
def test_formula_text_is_neutralised(given_value, expected):
    assert safe_cell(given_value) == expected


def test_an_excel_cell_from_formula_text_is_text():
    workbook = Workbook()
    workbook.active.append(safe_row(["=1+1", "Skola -A", 5]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    assert [c.value for c in cells] == ["'=1+1", "Skola -A", 5]
    assert cells[0].data_type == "s"


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_fifteen_word_reflection_search_is_refused_quickly(en, cast, django_assert_max_num_queries):
    r = Reflection.objects.create(
        school_unit=cast.unit_a,
        written_on=cast.alice.date_of_birth,
        text="Närvaron steg i IMS",
        author=cast.principal_a,
    )
    ReflectionTag.objects.create(reflection=r, tag="theme:attendance")
    en.force_login(cast.principal_a)
    words = " ".join(["ab", "cd", "ef", "gh", "ij", "kl", "mn", "op", "qr", "st", "uv", "wx", "yz", "åä", "öo"])
    response = en.get(reverse("quality:reflections"), {"q": words})
    assert response.status_code == 200
    assert "Search with at most 5 words." in response.content.decode()
    # Five words still search text and tags, each word one subquery.
    response = en.get(reverse("quality:reflections"), {"q": "närvaron attendance"})
    assert [x.pk for x in response.context["results"]] == [r.pk]


def test_a_thousand_word_student_search_gives_a_message(en, cast):
    en.force_login(cast.mentor_a)
    response = en.get(reverse("people:student_list"), {"q": " ".join(f"namn{i}" for i in range(1000))})
    assert response.status_code == 200
    assert "Search with at most 100 characters." in response.content.decode()
    response = en.get(reverse("people:student_list"), {"q": "Alice Andersson"})
    assert [s.pk for s in response.context["page"].object_list] == [cast.alice.pk]


def _plan_document(**plan):
    return {
        "format": "studievag.plan/1",
        "exported_at": "2026-01-10T10:00:00+01:00",
        "from_school": {"name": "Skola X", "school_unit_code": "12345678", "organiser": "Kommun X"},
        "student": {"protected_identity": False},
        "plan": {
            "programme": "IMS",
            "study_path": "Mot gymnasiet",
            "goals": [],
            "courses": [],
            "internships": [],
            **plan,
        },
    }


def _import(client, cast, raw: bytes):
    client.force_login(cast.counsellor_a)
    upload = SimpleUploadedFile("plan.json", raw, content_type="application/json")
    return client.post(reverse("plans:import", kwargs={"pk": cast.alice.pk}), {"file": upload})


def test_a_deeply_nested_plan_file_is_refused_with_a_message(en, cast):
    raw = b"[" * 100_000 + b"]" * 100_000
    response = _import(en, cast, raw)
    assert response.status_code == 200
    assert f"more than {IMPORT_MAX_DEPTH} levels deep" in response.content.decode()
    assert not Plan.objects.filter(student=cast.alice).exists()


def test_a_plan_file_with_a_huge_field_is_refused(en, cast):
    raw = json.dumps(_plan_document(student_voice="x" * 200_000)).encode()
    response = _import(en, cast, raw)
    assert response.status_code == 200
    assert "plan.student_voice" in response.content.decode()
    assert not Plan.objects.filter(student=cast.alice).exists()


def test_an_oversized_plan_file_is_refused(en, cast):
    response = _import(en, cast, b" " * (600 * 1024) + b"{}")
    assert "larger than 512 kB" in response.content.decode()
    assert not Plan.objects.filter(student=cast.alice).exists()


def test_a_plan_file_within_bounds_is_imported(en, cast):
    response = _import(en, cast, json.dumps(_plan_document(student_voice="Jag vill bli elektriker")).encode())
    assert response.status_code == 302
    assert Plan.objects.get(student=cast.alice).student_voice == "Jag vill bli elektriker"
