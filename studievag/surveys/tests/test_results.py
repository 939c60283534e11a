"""Figures only above the minimum, protected like every group figure; free text only to the unit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from studievag.disclosure import NOTHING, SUPPRESSED
from studievag.surveys import rules
from studievag.surveys.selectors import wave_results
from studievag.surveys.services import wave_release, wave_update
from studievag.surveys.tests.helpers import SCALE_REFS, answer, make_wave
from studievag.testing import make_student, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    pass


def _closed(wave):
    wave_release(wave=wave, today=wave.closes_on + datetime.timedelta(days=1))


def _students(unit, n, **kw):
    return [make_student(unit, **kw) for _i in range(n)]


def test_a_unit_under_the_minimum_shows_dots_and_so_does_the_unit_that_would_give_it_away(cast):
    small = make_unit(cast.organiser_a, "Skola A2 IM")
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for s in _students(cast.unit_a, 12):
        answer(wave, s, 4)
    for s in _students(small, 3):
        answer(wave, s, 1)
    _closed(wave)
    units = wave_results(wave, unit_id=None)
    assert units.respondents[-1].text == "15"
    # The organiser's figure is shown: 12 of 15 favourable on every item.
    assert units.themes[0].figures[-1].text == "80"
    # The small unit is hidden, and so is unit A: organiser minus A would give it away.
    for unit in (small, cast.unit_a):
        result = wave_results(wave, unit_id=unit.pk)
        assert [f.text for f in result.respondents] == [SUPPRESSED]
        assert all(row.figures[-1].text == SUPPRESSED for theme in result.themes for row in theme.items)


def test_a_breakdown_never_shows_a_group_under_the_minimum_nor_one_that_gives_it_away(cast):
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for s in _students(cast.unit_a, 9, female=True):
        answer(wave, s, 4)
    for s in _students(cast.unit_a, 2, female=False):
        answer(wave, s, 1)
    _closed(wave)
    result = wave_results(wave, unit_id=None, breakdown="gender")
    cols = [label for _k, label in result.cols]
    assert cols == ["Female", "Male", "Other", "Not known", "Total"]
    item = result.themes[0].items[0].figures
    texts = dict(zip(cols, [f.text for f in item], strict=True))
    # Two men: too few to keep their gender on the stored answers at all (it was blanked
    # when the answers were released), so they are in "Not known" – hidden – and the
    # women are hidden with them, as total minus women would give the two away.
    assert texts == {"Female": SUPPRESSED, "Male": NOTHING, "Other": NOTHING, "Not known": SUPPRESSED, "Total": "82"}
    shown = [f for f in item if not f.hidden and f.base]
    assert all(f.base >= wave.min_respondents for f in shown)


def test_an_organiser_may_raise_the_minimum_but_never_lower_it(cast):
    wave = make_wave(cast.organiser_a, cast.analyst, min_respondents=8, min_free_text=10)
    with pytest.raises(ValidationError):
        make_wave(cast.organiser_b, cast.analyst, min_respondents=3)
    common = dict(
        acting_user=cast.analyst,
        wave=wave,
        title=wave.title,
        opens_on=wave.opens_on,
        closes_on=wave.closes_on,
        refs=wave.refs(),
    )
    with pytest.raises(ValidationError):
        wave_update(**common, min_respondents=6, min_free_text=10)
    wave_update(**common, min_respondents=9, min_free_text=12)
    wave.refresh_from_db()
    assert (wave.min_respondents, wave.min_free_text) == (9, 12)
    assert wave.history.count() == 2


def test_a_raised_minimum_hides_what_the_default_would_show(cast):
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1), min_respondents=8, min_free_text=10)
    for s in _students(cast.unit_a, 7):
        answer(wave, s, 4)
    _closed(wave)
    assert wave_results(wave, unit_id=None).respondents[-1].text == SUPPRESSED


def test_a_small_unit_gets_results_pooled_over_waves_marked_as_such(cast):
    today = timezone.localdate()
    this_term = rules.term_of(today)
    last_term = rules.terms_around(today, before=1, after=0)[0]
    earlier = make_wave(
        cast.organiser_a,
        cast.analyst,
        term=last_term,
        opens_on=rules.term_start(this_term) - datetime.timedelta(days=60),
        closes_on=rules.term_start(this_term) - datetime.timedelta(days=40),
    )
    now = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    first = _students(cast.unit_a, 3)
    for s in first:
        s.enrolments.update(start_date=earlier.opens_on - datetime.timedelta(days=30))
        answer(earlier, s, 4, today=earlier.closes_on)
    for s in _students(cast.unit_a, 3):
        answer(now, s, 1)
    _closed(earlier)
    _closed(now)
    result = wave_results(now, unit_id=cast.unit_a.pk)
    assert result.pooled and [w.pk for w in result.pooled_waves] == [earlier.pk, now.pk]
    assert result.respondents[-1].text == "6"
    assert result.themes[0].items[0].figures[-1].text == "50"
    # Pooled figures are not broken down.
    assert wave_results(now, unit_id=cast.unit_a.pk, breakdown="gender").breakdown == ""


def test_results_compare_a_question_with_the_previous_wave_only_if_asked_the_same_way(cast):
    today = timezone.localdate()
    this_term = rules.term_of(today)
    before = [r if r != "support_help_v2" else "support_help_v1" for r in SCALE_REFS]
    earlier = make_wave(
        cast.organiser_a,
        cast.analyst,
        refs=before,
        term=rules.terms_around(today, 1, 0)[0],
        opens_on=rules.term_start(this_term) - datetime.timedelta(days=60),
        closes_on=rules.term_start(this_term) - datetime.timedelta(days=40),
    )
    now = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for s in _students(cast.unit_a, 6):
        s.enrolments.update(start_date=earlier.opens_on - datetime.timedelta(days=30))
        answer(earlier, s, 2, today=earlier.closes_on)
        answer(now, s, 4)
    _closed(earlier)
    _closed(now)
    result = wave_results(now, unit_id=None)
    rows = {row.item.ref: row for theme in result.themes for row in theme.items}
    assert rows["safety_safe_v1"].previous.text == "0" and rows["safety_safe_v1"].figures[-1].text == "100"
    assert rows["support_help_v2"].previous is None
    assert [i.ref for i in result.changed_items] == ["support_help_v2"]


def test_free_text_only_above_its_higher_limit_and_only_to_staff_of_the_unit(cast, client):
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    students = _students(cast.unit_a, 9)
    for n, s in enumerate(students):
        answer(wave, s, 3, text=f"Svar nummer {n}")
    _closed(wave)
    url = reverse("surveys:free_text", args=[wave.pk, cast.unit_a.pk])
    client.force_login(cast.principal_a)
    page = client.get(url)
    assert page.status_code == 200 and b"Svar nummer" not in page.content  # 9 < 10
    wave.min_free_text = 10
    extra = make_student(cast.unit_a)
    wave.closes_on = timezone.localdate()
    wave.save()
    answer(wave, extra, 3, text="Svar nummer 9")
    _closed_wave = wave
    _closed_wave.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    _closed_wave.save()
    wave_release(wave=wave)
    page = client.get(url)
    assert page.content.count(b"Svar nummer") == 10
    # Staff of the unit read it; the analyst and the region never do, nor staff elsewhere.
    client.force_login(cast.mentor_a)
    assert client.get(url).status_code == 200
    for outsider in (cast.analyst, cast.coordinator, cast.mentor_b):
        client.force_login(outsider)
        assert client.get(url).status_code in (403, 404)
        assert b"Svar nummer" not in client.get(reverse("surveys:results", args=[wave.pk])).content


def test_results_page_shows_dots_for_a_small_group(cast, client):
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for s in _students(cast.unit_a, 6, female=True):
        answer(wave, s, 4)
    for s in _students(cast.unit_a, 2, female=False):
        answer(wave, s, 2)
    _closed(wave)
    client.force_login(cast.analyst)
    page = client.get(reverse("surveys:results", args=[wave.pk]), {"breakdown": "gender"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f">{SUPPRESSED}<" in html and ">8<" in html


def test_the_response_rate_of_a_small_unit_and_of_the_unit_that_would_give_it_away_are_hidden(cast):
    """The response rate goes through the disclosure area with the organiser's units: a unit
    with fewer eligible students than the wave's minimum is hidden, and so is the unit whose rate
    with the organiser's would give it away; the organiser's page and each unit's page agree."""
    small = make_unit(cast.organiser_a, "Skola A2 IM")
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for s in _students(cast.unit_a, 12):
        answer(wave, s, 4)
    for s in _students(small, 3)[:2]:
        answer(wave, s, 1)
    _closed(wave)
    organiser = wave_results(wave, unit_id=None).response_rate
    assert not organiser.hidden and organiser.value is not None
    for unit in (small, cast.unit_a):
        assert wave_results(wave, unit_id=unit.pk).response_rate.text == SUPPRESSED
