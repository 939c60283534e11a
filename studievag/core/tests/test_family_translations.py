"""Every string on the student's and guardian's pages is translated into Swedish and Arabic.

English is the source language (the msgids), so it is complete by construction.
The templates of the family pages (and what they include) are read with Django's
own ``templatize`` and the gettext calls taken out with ``ast``, every branch
included (the student's and the guardian's texts both); the choices and form
labels those pages show come from the Python classes listed below. Each msgid
must be in the compiled Swedish and Arabic catalogues that Django loads (a
missing one would fall back to Swedish on an Arabic page), and no catalogue
entry for them may be fuzzy (a fuzzy entry is left out when compiling).
"""

import ast
import pathlib
import re

import polib
import pytest
from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

from studievag.plans import forms as plan_forms
from studievag.plans.models import CourseStatus, GoalStatus, GoalTerm, ProposalStatus
from studievag.plans.templatetags.plans_extras import CHANGE_LABELS, COLUMN_LABELS

FAMILY_TEMPLATES = [
    "family_base.html",
    "includes/language_select.html",
    "people/family_home.html",
    "people/family_student.html",
    "people/family_reads.html",
    "plans/family_plan.html",
    "plans/plan_pdf.html",
    "plans/includes/diff.html",
    "progress/family_progress.html",
    "progress/_progression.html",
    "handover/family.html",
    "surveys/my_surveys.html",
]
FAMILY_CHOICES = [GoalStatus, GoalTerm, CourseStatus, ProposalStatus]
ROOT = pathlib.Path(__file__).resolve().parents[2]

_CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext|_)\(")
_LITERAL = re.compile(r"""\s*u?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*,?""")
_ARGS = {"gettext": 1, "_": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}


def _template_calls(name: str) -> list[tuple[str, list[str]]]:
    """The gettext calls Django's ``templatize`` makes of a template (what makemessages reads)."""
    source = pathlib.Path(get_template(name).origin.name).read_text(encoding="utf-8")
    text = templatize(source)
    calls = []
    for match in _CALL.finditer(text):
        args, at = [], match.end()
        for _i in range(_ARGS[match.group(1)]):
            literal = _LITERAL.match(text, at)
            if literal is None:
                break
            args.append(ast.literal_eval(literal.group(1)))
            at = literal.end()
        if args:
            calls.append((match.group(1), args))
    return calls


def _template_msgids(name: str) -> set[tuple[str | None, str]]:
    """(context, msgid) of every translatable string in a template; plurals by both forms."""
    found: set[tuple[str | None, str]] = set()
    for function, args in _template_calls(name):
        if function in ("pgettext", "npgettext"):
            found.add((args[0], args[1]))
        elif function == "ngettext":
            found.update((None, a) for a in args[:2])
        else:
            found.add((None, args[0]))
    return found


def _class_msgids(module, class_name: str) -> set[str]:
    """The ``_("…")`` strings written in one class of a module (labels formatted at run time too)."""
    tree = ast.parse(pathlib.Path(module.__file__).read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    return {
        n.args[0].value
        for n in ast.walk(cls)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id == "_"
        and n.args
        and isinstance(n.args[0], ast.Constant)
    }


def _python_msgids() -> set[tuple[str | None, str]]:
    with translation.override("en"):
        texts = [str(label) for choices in FAMILY_CHOICES for label in choices.labels]
        texts += [str(v) for v in (*CHANGE_LABELS.values(), *COLUMN_LABELS.values())]
    texts += _class_msgids(plan_forms, "ProposalForm")
    return {(None, t) for t in texts if t}


def _family_msgids() -> set[tuple[str | None, str]]:
    found = _python_msgids()
    for name in FAMILY_TEMPLATES:
        found |= _template_msgids(name)
    return found


def _has(catalog, context: str | None, msgid: str, plural: bool) -> bool:
    key = f"{context}\x04{msgid}" if context else msgid
    if plural:
        return (key, 0) in catalog
    return key in catalog or (key, 0) in catalog


def _plural_msgids(names) -> set[str]:
    return {args[0] for name in names for function, args in _template_calls(name) if function == "ngettext"}


def test_the_family_pages_have_strings_to_check():
    msgids = _family_msgids()
    # The guardian's and the student's versions of the same sentence are both there.
    assert (None, "In your own words") in msgids
    assert (None, "In %(name)s's own words") in msgids
    assert len(msgids) > 150


@pytest.mark.parametrize("language", [code for code in settings.FAMILY_LANGUAGES if code != "en"])
def test_every_string_on_student_and_guardian_pages_is_translated(language):
    catalog = trans_real.DjangoTranslation(language, domain="django")._catalog
    own = {k if isinstance(k, str) else k[0] for k in catalog.keys()}
    # Django's fallback catalogue would answer for a missing Arabic string in Swedish:
    # look only at the keys this language's catalogues hold.
    own_only = set()
    for path in sorted(
        [
            *ROOT.glob(f"locale/{language}/LC_MESSAGES/django.po"),
            *ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"),
        ]
    ):
        for entry in polib.pofile(str(path)):
            if entry.translated() and not entry.obsolete:
                own_only.add(f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid)
    plurals = _plural_msgids(FAMILY_TEMPLATES)
    missing = sorted(
        msgid
        for context, msgid in _family_msgids()
        if (f"{context}\x04{msgid}" if context else msgid) not in own_only
        and not (msgid not in plurals and _django_own(language, context, msgid))
    )
    assert not missing, f"{len(missing)} strings on family pages lack a {language} translation: {missing}"
    assert own  # the compiled catalogue is loaded


def _django_own(language: str, context: str | None, msgid: str) -> bool:
    """Strings Django itself translates (month names and the like come from its own catalogues)."""
    django_po = (
        pathlib.Path(trans_real.__file__).parents[2] / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    )
    if not django_po.exists():
        return False
    key = f"{context}\x04{msgid}" if context else msgid
    return key in _django_keys(str(django_po))


_KEYS: dict[str, set[str]] = {}


def _django_keys(path: str) -> set[str]:
    if path not in _KEYS:
        _KEYS[path] = {
            f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid for e in polib.pofile(path) if e.translated()
        }
    return _KEYS[path]


@pytest.mark.parametrize("language", [code for code in settings.FAMILY_LANGUAGES if code != "en"])
def test_no_family_string_is_fuzzy(language):
    msgids = {msgid for _context, msgid in _family_msgids()}
    fuzzy = []
    for path in sorted(
        [
            *ROOT.glob(f"locale/{language}/LC_MESSAGES/django.po"),
            *ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"),
        ]
    ):
        fuzzy += [e.msgid for e in polib.pofile(str(path)).fuzzy_entries() if e.msgid in msgids]
    assert not fuzzy, f"fuzzy {language} entries on family pages: {fuzzy}"
