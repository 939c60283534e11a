"""The organiser's set-up pages and the query budget of the results page."""

import datetime

import pytest
from django.urls import reverse

from studievag.surveys.models import Wave
from studievag.surveys.services import wave_release
from studievag.surveys.tests.helpers import SCALE_REFS, TEXT_REFS, answer, make_wave
from studievag.testing import make_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    pass


def _form(c, **changes):
    data = {
        "organiser": c.organiser_a.pk,
        "term": "ht2030",
        "title": "Höstens enkät",
        "opens_on": "2030-09-01",
        "closes_on": "2030-09-30",
        "min_respondents": 5,
        "min_free_text": 10,
        "items": SCALE_REFS[:6] + TEXT_REFS[:1],
    }
    data.update(changes)
    return data


def test_the_organiser_sets_up_a_wave_from_the_bank(cast, client, settings):
    client.force_login(cast.analyst)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("studievag.surveys.forms.rules.terms_around", lambda day: ["ht2030"])
        response = client.post(reverse("surveys:wave_new"), _form(cast))
    assert response.status_code == 302
    wave = Wave.objects.get()
    assert (wave.term, wave.organiser, wave.min_respondents) == ("ht2030", cast.organiser_a, 5)
    assert wave.refs() == SCALE_REFS[:6] + TEXT_REFS[:1]
    assert wave.history.get().history_user == cast.analyst


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_respondents": 3}, b"greater than or equal to 5"),
        ({"items": SCALE_REFS[:2] + TEXT_REFS + TEXT_REFS[:0] + ["open_best_v1", "open_change_v1"]}, b"each once"),
        ({"items": TEXT_REFS}, b"at least one rating-scale question"),
        # An older version is not offered to a new wave at all.
        ({"items": ["support_help_v1", "support_help_v2"]}, b"is not one of the available choices"),
        ({"closes_on": "2030-08-01"}, b"must close after it opens"),
    ],
)
def test_a_wave_that_breaks_a_rule_is_refused_and_nothing_is_saved(cast, client, changes, message):
    client.force_login(cast.analyst)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("studievag.surveys.forms.rules.terms_around", lambda day: ["ht2030"])
        response = client.post(reverse("surveys:wave_new"), _form(cast, **changes))
    assert response.status_code == 200
    assert message in response.content
    assert not Wave.objects.exists()


def test_a_wave_with_answers_keeps_its_questions(cast, client):
    wave = make_wave(cast.organiser_a, cast.analyst)
    answer(wave, make_student(cast.unit_a), 3)
    client.force_login(cast.analyst)
    before = wave.refs()
    response = client.post(
        reverse("surveys:wave_edit", args=[wave.pk]),
        {
            **_form(cast, title="Ny rubrik", items=SCALE_REFS[:2]),
            "opens_on": wave.opens_on,
            "closes_on": wave.closes_on,
        },
    )
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.title == "Ny rubrik" and wave.refs() == before


def test_another_organisers_analyst_cannot_open_or_change_the_wave(cast, client):
    wave = make_wave(cast.organiser_b, cast.analyst)
    client.force_login(cast.analyst)  # analyst of organiser A
    assert client.get(reverse("surveys:wave_edit", args=[wave.pk])).status_code == 404
    assert client.post(reverse("surveys:wave_edit", args=[wave.pk]), _form(cast)).status_code == 404
    assert client.get(reverse("surveys:results", args=[wave.pk])).status_code == 404
    wave.refresh_from_db()
    assert wave.title == "Elevenkät"


def test_the_results_page_reads_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    from django.utils import timezone

    from studievag.surveys import rules

    today = timezone.localdate()
    earlier = make_wave(
        cast.organiser_a,
        cast.analyst,
        term=rules.terms_around(today, 1, 0)[0],
        opens_on=rules.term_start(rules.term_of(today)) - datetime.timedelta(days=60),
        closes_on=rules.term_start(rules.term_of(today)) - datetime.timedelta(days=40),
    )
    for _i in range(6):
        student = make_student(cast.unit_a, start=earlier.opens_on - datetime.timedelta(days=30))
        answer(earlier, student, 3, today=earlier.closes_on)
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for i in range(12):
        answer(wave, make_student(cast.unit_a, female=i % 2 == 0), 1 + i % 4)
    wave_release(wave=wave, today=wave.closes_on + datetime.timedelta(days=1))
    client.force_login(cast.analyst)
    url = reverse("surveys:results", args=[wave.pk])
    client.get(url, {"breakdown": "gender"})
    # Session, user and grants (one query); the scope; the wave and its questions; closed pools; the
    # organiser's units; the previous wave, its questions and units; the answers grouped once
    # per wave (this and the previous); the response rate; the free-text units – never one
    # query per answer, question or unit.
    # The response rate goes through the disclosure area with the organiser's units (two reads of them).
    with django_assert_num_queries(22):
        response = client.get(url, {"breakdown": "gender"})
    assert response.status_code == 200
    for i in range(12):
        answer(wave, make_student(cast.unit_a, female=i % 2 == 1), 1 + i % 4, today=wave.closes_on)
    wave_release(wave=wave, today=wave.closes_on + datetime.timedelta(days=1))
    # The response rate goes through the disclosure area with the organiser's units (two reads of them).
    with django_assert_num_queries(22):
        response = client.get(url, {"breakdown": "gender"})
    assert b">24<" in response.content
