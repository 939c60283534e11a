"""Part 3 of the quality reports: the student survey's themes and response rate."""

import datetime

import pytest

from studievag.disclosure import NOTHING, SUPPRESSED
from studievag.quality import reports
from studievag.quality.forms import ReportForm
from studievag.surveys.models import Response
from studievag.surveys.services import wave_release
from studievag.surveys.tests.helpers import answer, make_wave
from studievag.testing import make_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    pass


def _closed(wave):
    wave_release(wave=wave, today=wave.closes_on + datetime.timedelta(days=1))


def _students(unit, n, **kw):
    return [make_student(unit, **kw) for _i in range(n)]


def test_part_three_of_the_quality_report_counts_the_survey_and_hides_small_groups(cast):
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    women = _students(cast.unit_a, 8, female=True)
    men = _students(cast.unit_a, 3, female=False)
    for s in women:
        answer(wave, s, 4)
    for s in men:
        answer(wave, s, 1)
    _closed(wave)
    form = ReportForm({"level": f"organiser:{cast.organiser_a.pk}", "dim1": "gender"}, user=cast.analyst)
    assert form.is_valid(), form.errors
    built = reports.build(cast.analyst, form.cleaned_data)
    experience = next(c for c in built.categories if c["id"] == "experience")
    ids = [t.indicator.id for t in experience["tables"]]
    assert "survey_engagement" in ids and "survey_response_rate" in ids
    engagement = built.tables["survey_engagement"]
    by_group = {label: engagement.cells[i][-1].text for i, (_k, label) in enumerate(engagement.rows)}
    # The three men's gender was blanked when their answers were stored; the group they
    # fall in is hidden, and so are the women, who would give it away.
    assert (by_group["Male"], by_group["Not known"], by_group["Female"]) == (NOTHING, SUPPRESSED, SUPPRESSED)
    assert by_group["Total"] == "73"  # 8 of 11 students, every answer favourable or not
    rate = built.tables["survey_response_rate"]
    # 11 of the 14 students at A (the cast's three and these eleven) answered.
    assert rate.cells[-1][-1].text == "79"


def test_part_three_is_missing_for_a_breakdown_the_answers_do_not_carry(cast):
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for s in _students(cast.unit_a, 6):
        answer(wave, s, 4)
    _closed(wave)
    form = ReportForm({"level": f"organiser:{cast.organiser_a.pk}", "dim1": "merit_value"}, user=cast.analyst)
    assert form.is_valid(), form.errors
    built = reports.build(cast.analyst, form.cleaned_data)
    assert {c.text for row in built.tables["survey_safety"].cells for c in row} == {"."}
    assert Response.objects.count() == 6


def test_part_three_is_in_the_exports_with_the_same_hiding(cast, client):
    from django.urls import reverse

    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for s in _students(cast.unit_a, 8, female=True):
        answer(wave, s, 4)
    for s in _students(cast.unit_a, 3, female=False):
        answer(wave, s, 1)
    _closed(wave)
    client.force_login(cast.analyst)
    csv = client.get(
        reverse("quality:export", kwargs={"fmt": "csv"}),
        {"level": f"organiser:{cast.organiser_a.pk}", "dim1": "gender"},
    ).content.decode("utf-8-sig")
    rows = [line.split(";") for line in csv.splitlines() if line.count(";") >= 5]
    engagement = {r[3]: r[5] for r in rows if r[1] == "survey_engagement"}
    assert engagement == {
        "Female": SUPPRESSED,
        "Male": NOTHING,
        "Other": NOTHING,
        "Not known": SUPPRESSED,
        "Total": "73",
    }
    assert [r[5] for r in rows if r[1] == "survey_response_rate" and r[3] == "Total"] == ["79"]
    assert all(r[0].startswith("3.") for r in rows if r[1].startswith("survey_"))


def test_the_trend_of_a_theme_counts_only_questions_asked_the_same_way(cast):
    from django.utils import timezone

    from studievag.surveys import rules
    from studievag.surveys.tests.helpers import SCALE_REFS

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
        # Last term the old help question got "Not true at all", everything else "Completely true".
        answer(earlier, s, 4, today=earlier.closes_on, support_help_v1=1)
        answer(now, s, 4)
    _closed(earlier)
    _closed(now)
    form = ReportForm({"level": f"organiser:{cast.organiser_a.pk}", "indicator": "survey_support"}, user=cast.analyst)
    assert form.is_valid(), form.errors
    built = reports.build(cast.analyst, form.cleaned_data)
    points = {p.period.code: p.figures[-1].text for p in built.trend}
    assert points[this_term] == "100"
    # The old wording is left out of last term's point: 100, not 80.
    assert points[rules.terms_around(today, 1, 0)[0]] == "100"
    # Asked on its own (not as a trend point), last term counts every question it asked.
    form = ReportForm(
        {"level": f"organiser:{cast.organiser_a.pk}", "period": earlier.term, "indicator": "survey_support"},
        user=cast.analyst,
    )
    assert form.is_valid(), form.errors
    assert reports.build(cast.analyst, form.cleaned_data).tables["survey_support"].total.text == "80"
