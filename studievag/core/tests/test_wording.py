"""Swedish as Swedes write it, checked over every catalogue, template and admin name.

Plurals through ngettext, never "rad(er)"; no field names from the code in the
Swedish messages; no references to the project's source documents; an en dash
in ranges; Arabic punctuation in Arabic; the admin site in Swedish.
"""

import pathlib
import re

import polib
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGUES = sorted([*ROOT.glob("locale/*/LC_MESSAGES/django.po"), *ROOT.glob("*/locale/*/LC_MESSAGES/django.po")])
TEMPLATES = sorted(ROOT.glob("**/templates/**/*.html"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def _texts(language: str):
    """(catalogue, msgid, translated text) for every translated entry in a language."""
    for path in CATALOGUES:
        if path.parts[-3] != language:
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    yield path.relative_to(ROOT), entry.msgid, text


def _template_texts():
    for path in TEMPLATES:
        # The words of a template, without its tags, variables and comments.
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]+>", " ", path.read_text(), flags=re.S)
        yield path.relative_to(ROOT), text


def test_there_are_catalogues_and_templates_to_check():
    assert len(CATALOGUES) > 10 and len(TEMPLATES) > 50


def test_plurals_go_through_ngettext_never_a_bracketed_ending():
    shortcut = re.compile(r"\w\((s|er|ar|or|na|en|es)\)")
    found = [
        f"{path}: {text!r}"
        for language in ("sv", "en", "ar")
        for path, msgid, text in _texts(language)
        if shortcut.search(msgid) or shortcut.search(text)
    ]
    found += [f"{path}: {m.group(0)}" for path, text in _template_texts() for m in shortcut.finditer(text)]
    in_code = re.compile(r"""(?:_|gettext|gettext_lazy)\(\s*(?:"[^"]*|'[^']*)\w\((?:s|er|ar|or)\)""")
    for path in ROOT.glob("**/*.py"):
        if "tests" not in path.parts and in_code.search(path.read_text()):
            found.append(f"{path.relative_to(ROOT)}")
    assert not found, "Use ngettext / {% blocktranslate count %}:\n" + "\n".join(found)


def test_swedish_messages_name_no_field_from_the_code():
    identifier = re.compile(r"\b[a-z]+_[a-z_]+\b")
    found = [f"{path}: {text!r}" for path, _msgid, text in _texts("sv") if identifier.search(PLACEHOLDER.sub("", text))]
    assert not found, "Say it in words, or with the form's label:\n" + "\n".join(found)


def test_no_page_or_message_refers_to_the_source_documents():
    source = re.compile(r"\bseeds?\b(?! ?=)|\bIMprove\b|slutrapport|product\.md", re.I)
    found = [f"{path}: {text!r}" for lang in ("sv", "ar") for path, _m, text in _texts(lang) if source.search(text)]
    found += [f"{path}" for path, text in _template_texts() if source.search(text)]
    assert not found, "\n".join(found)


def test_ranges_take_an_en_dash():
    hyphen_range = re.compile(r"(?<![\d\w-])\d{1,3} ?- ?\d{1,3}(?![\d-])")
    found = [f"{path}: {text!r}" for path, _m, text in _texts("sv") if hyphen_range.search(text)]
    found += [f"{path}: {m.group(0)}" for path, text in _template_texts() for m in hyphen_range.finditer(text)]
    assert not found, "Write ranges with – (en dash):\n" + "\n".join(found)


def test_arabic_text_has_arabic_punctuation():
    # A Latin comma, semicolon or question mark right after an Arabic word (codes and
    # Latin examples in an Arabic sentence keep theirs).
    latin_after_arabic = re.compile(r"[\u0600-\u06ff][,;?]")
    found = [f"{path}: {text!r}" for path, _m, text in _texts("ar") if latin_after_arabic.search(text)]
    assert not found, "Use ، ؛ ؟ in Arabic:\n" + "\n".join(found)


# Words that are the same in Swedish and English.
SAME_IN_SWEDISH = {"status", "region", "version", "text", "id", "eduPersonPrincipalName", "Studieväg"}


def _admin_names():
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        yield f"{meta.label} (model)", meta.verbose_name
        yield f"{meta.label} (models)", meta.verbose_name_plural
        yield f"{meta.app_label} (app)", apps.get_app_config(meta.app_label).verbose_name
        for field in meta.get_fields():
            through = getattr(getattr(field, "remote_field", None), "through", None)
            if through is not None and not through._meta.auto_created:
                continue  # a many-to-many through a model of its own is never a field on the admin's form
            if not field.auto_created and hasattr(field, "verbose_name"):
                yield f"{meta.label}.{field.name}", field.verbose_name
        for name in [*model_admin.list_display, *(model_admin.actions or [])]:
            function = name if callable(name) else getattr(model_admin, name, None)
            description = getattr(function, "short_description", None)
            if description:
                yield f"{meta.label} list/action {name}", description
        for title, _options in model_admin.fieldsets or []:
            if title:
                yield f"{meta.label} fieldset", title


def test_every_name_the_admin_shows_has_a_swedish_translation():
    untranslated = []
    for where, name in _admin_names():
        with translation.override("en"):
            english = str(name)
        with translation.override("sv"):
            swedish = str(name)
        if swedish == english and english not in SAME_IN_SWEDISH:
            untranslated.append(f"{where}: {english!r}")
    assert not untranslated, "\n".join(sorted(set(untranslated)))


@pytest.mark.django_db
def test_the_admin_in_swedish_shows_its_index_and_lists_in_swedish(cast, client):
    client.force_login(cast.admin)
    client.cookies["django_language"] = "sv"
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert "Webbplatsadministration" in html or "Administration" in html
    for english in ("Log-in attempts", "Background job queue", "Tasks Database Backend", "Axes", "access attempts"):
        assert english not in html
    for model in admin.site._registry:
        meta = model._meta
        page = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if page.status_code == 403:
            continue  # not the administrator's to see (a superuser's)
        assert page.status_code == 200, meta.label
        with translation.override("sv"):
            assert str(meta.verbose_name_plural).capitalize() in page.content.decode(), meta.label
