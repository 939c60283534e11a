"""The error summary at the top of every page whose form has errors."""

import re
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from studievag.form_errors import SummaryError, summary_errors
from studievag.plans.tests.conftest import alice_plan, courses  # noqa: F401 - fixtures

STUDIEVAG = Path(__file__).resolve().parents[2]


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    key = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


class _Row(forms.Form):
    title = forms.CharField(label="Goal")


_Rows = forms.formset_factory(_Row, extra=0, min_num=2)


def _rows(data: dict) -> forms.BaseFormSet:
    formset = _Rows(data, prefix="goals")
    formset.summary_name = "Goals"
    formset.is_valid()
    return formset


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_each_error_links_to_its_field_and_form_errors_are_text():
    form = _Form({})
    form.is_valid()

    assert summary_errors([form]) == [
        SummaryError("The whole form is wrong."),
        SummaryError("Name: This field is required.", "#id_name"),
        # A group of radio buttons: the link goes to the first.
        SummaryError("Kind: This field is required.", "#id_kind_0"),
        # A hidden field has nothing to go to.
        SummaryError("Key: This field is required."),
    ]


def test_a_row_of_a_formset_is_named_by_section_and_number():
    data = {
        "goals-TOTAL_FORMS": "2",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "2",
        "goals-0-title": "Behörighet",
        "goals-1-title": "",
    }
    formset = _rows(data)

    assert summary_errors([{"goals": formset}, formset, formset.forms[1]]) == [
        SummaryError("Goals, row 2 – Goal: This field is required.", "#id_goals-1-title")
    ]


def test_forms_never_validated_or_unbound_are_left_alone():
    unbound = _Form()
    bound_unchecked = _Form({})

    assert summary_errors([unbound, bound_unchecked, [unbound], "text", None, 3]) == []
    # Looking did not validate it.
    assert bound_unchecked._errors is None


def test_a_form_carried_by_a_row_in_a_list_is_found():
    class Row:
        def __init__(self, form):
            self.end_form = form

    form = _Form({"name": "x", "kind": "a", "key": "k"})
    form.is_valid()

    assert summary_errors([[Row(form)]]) == [SummaryError("The whole form is wrong.")]


# --- Pages --------------------------------------------------------------------------


pytestmark = pytest.mark.django_db


def test_an_invalid_plan_talk_lists_its_errors_at_the_top_with_links(cast, login, en, alice_plan):  # noqa: F811
    url = reverse("plans:review_create", args=[cast.alice.pk])
    response = login(cast.mentor_a).post(url, {"held_on": "", "participants": "", "notes": ""})

    html = response.content.decode()
    assert response.status_code == 200
    summary = html[html.index('class="error-summary"') : html.index("</main>")]
    assert summary.index("There are 3 errors") < summary.index("<h1")
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary[: summary.index("<h1")])
    assert [target for target, _text in links] == ["id_held_on", "id_participants", "id_notes"]
    assert "Held on: This field is required." in summary
    # The field says which error describes it, and that error is next to it.
    assert 'aria-describedby="id_participants_error"' in html
    assert 'id="id_participants_error"' in html
    assert 'aria-invalid="true"' in html


def test_one_error_is_counted_in_the_singular_in_swedish(cast, login, alice_plan):  # noqa: F811
    url = reverse("plans:review_create", args=[cast.alice.pk])
    client = login(cast.mentor_a)
    response = client.post(
        url,
        {"held_on": "2026-01-01", "participants": "Mentor", "notes": ""},
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    html = response.content.decode()
    assert "Det finns 1 fel" in html
    assert 'href="#id_notes"' in html


def test_a_failed_log_in_says_so_in_the_summary(cast, client, en):
    response = client.post(reverse("login"), {"username": "mentor_a", "password": "wrong-password-here"})

    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "There is 1 error" in html


def test_a_page_without_errors_has_no_summary(cast, login, en, alice_plan):  # noqa: F811
    html = login(cast.mentor_a).get(reverse("plans:review_create", args=[cast.alice.pk])).content.decode()

    assert "error-summary" not in html


def test_every_page_with_a_form_is_framed_by_the_page_that_holds_the_summary():
    """The summary lives in base.html; a page template with a form must extend it."""
    framed = re.compile(r'\{% extends "(base|family_base)\.html" %\}')
    missing = []
    for path in STUDIEVAG.glob("**/templates/**/*.html"):
        text = path.read_text()
        partial = "includes" in path.parts or path.name.startswith("_") or path.name in {"base.html", "field.html"}
        if "<form" in text and not partial and not framed.search(text):
            missing.append(str(path.relative_to(STUDIEVAG)))
    assert missing == []


def test_no_template_writes_field_errors_without_the_id_the_field_points_to():
    """Django points ``aria-describedby`` at "<id>_error"; a hand-written error list must carry it."""
    loop = re.compile(r"\{% for \w+ in (\w+(?:\.\w+)?)\.errors %\}")
    wrong = []
    for path in STUDIEVAG.glob("**/templates/**/*.html"):
        text = path.read_text()
        for match in loop.finditer(text):
            field = match.group(1)
            if field == "result":  # an import's messages about the file, not a field's
                continue
            before = text[max(0, match.start() - 120) : match.start()]
            if f'id="{{{{ {field}.auto_id }}}}_error"' not in before:
                wrong.append(f"{path.relative_to(STUDIEVAG)}: {field}")
    assert wrong == []
