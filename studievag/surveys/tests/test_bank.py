"""Every question, answer step and theme speaks Swedish and Arabic; the bank keeps its versions."""

import pytest
from django.utils import translation

from studievag.surveys import bank

STUDENT_LANGUAGES = ["sv", "ar"]


def _texts():
    yield from (item.text for item in bank.BANK.values())
    yield from (label for _v, label in bank.SCALE)
    yield bank.SCALE_DONT_KNOW[1]
    yield from bank.Theme.LABELS.values()


@pytest.mark.parametrize("language", STUDENT_LANGUAGES)
def test_every_item_scale_step_and_theme_is_translated(language):
    missing = []
    for text in _texts():
        with translation.override("en"):
            source = str(text)
        with translation.override(language):
            if str(text) == source:
                missing.append(source)
    assert not missing, f"untranslated in {language}: {missing}"


def test_translations_are_distinct_per_item():
    with translation.override("sv"):
        texts = [str(i.text) for i in bank.BANK.values()]
    assert len(set(texts)) == len(texts)


def test_a_changed_question_is_a_new_version_and_the_old_one_stays():
    assert "support_help_v1" in bank.BANK and "support_help_v2" in bank.BANK
    newest = {i.key: i.ref for i in bank.current()}
    assert newest["support_help"] == "support_help_v2"
    assert bank.comparable(["support_help_v1", "safety_safe_v1"], ["support_help_v2", "safety_safe_v1"]) == {
        "safety_safe_v1"
    }


def test_the_bank_covers_the_five_themes_and_has_at_most_a_few_free_text_items():
    themes = {i.theme for i in bank.current() if i.kind == bank.Kind.SCALE}
    assert themes == set(bank.Theme.ORDER)
    assert sum(i.kind == bank.Kind.TEXT for i in bank.current()) <= bank.MAX_FREE_TEXT_ITEMS


STUDENT_FILES = ("my_surveys.html", "answer.html", "answered.html", "bank.py", "services.py")


@pytest.mark.parametrize("language", STUDENT_LANGUAGES)
def test_every_string_on_the_students_pages_is_translated(language):
    """Every message of the student's pages, in this area's catalogue or the shared one."""
    import pathlib

    import polib

    root = pathlib.Path(__file__).resolve().parents[2]
    own = polib.pofile(str(root / "surveys" / "locale" / language / "LC_MESSAGES" / "django.po"))
    shared = {
        e.msgid for e in polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po")) if e.translated()
    }
    student_side = [e for e in own if any(path.endswith(STUDENT_FILES) for path, _line in e.occurrences)]
    assert len(student_side) > 40
    missing = [e.msgid for e in student_side if not e.translated() and e.msgid not in shared]
    # Error messages only an organiser sees (setting up a wave) are Swedish and English only.
    staff_only = {
        "Choose questions from the item bank, each once.",
        "A wave can ask only one version of a question.",
        "Choose at least one rating-scale question.",
        "A wave can have at most %(n)s free-text questions.",
        "Students have answered this wave, so its questions can no longer change.",
        "A minimum number of respondents can be raised, never lowered.",
    }
    assert not [m for m in missing if m not in staff_only], missing
