"""The trend over earlier terms, the board PDF's tables, and the indicator definitions and
reflection tags as analysts read them."""

import datetime
import shutil
import subprocess
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.progress.models import AttendanceWeek
from studievag.quality.exports import pdf_bytes
from studievag.quality.facts import offered_periods, refresh_offered_periods
from studievag.quality.forms import ReportForm
from studievag.quality.models import Reflection, ReflectionTag
from studievag.quality.periods import Period, term_of, trend_of
from studievag.quality.reports import build
from studievag.testing import make_student, make_user

pytestmark = pytest.mark.django_db


def _report_url(**params) -> str:
    return reverse("quality:report") + "?" + urlencode(params)


@pytest.fixture
def earlier_students(cast):
    """Twenty students at school A since more than a year, with attendance recorded in the
    previous term (so the earlier term has both students and a figure)."""
    catalogue_ensure_core()
    course = Course.objects.get(code="GRGRMAT01_7-9", school_type="GR")
    recorder = make_user("recorder")
    today = timezone.localdate()
    previous = term_of(today).previous_term()
    monday = previous.start + datetime.timedelta(days=(7 - previous.start.weekday()) % 7 + 14)
    students = [
        make_student(cast.unit_a, female=i % 2 == 0, start=today - datetime.timedelta(days=500)) for i in range(20)
    ]
    for s in students:
        AttendanceWeek.objects.create(
            student=s,
            course=course,
            week_start=monday,
            scheduled_minutes=100,
            invalid_absence_minutes=20,
            recorded_by=recorder,
        )
    refresh_offered_periods(today=today)
    return students


def test_the_facts_job_covers_every_period_a_trend_reaches_back_to():
    day = datetime.date(2026, 1, 15)
    periods = offered_periods(day)
    # The form's ten terms and five school years come first, as before.
    assert [p.code for p in periods[:3]] == ["vt2026", "ht2025", "vt2025"]
    oldest_term = Period("ht", 2021)
    oldest_year = Period("sy", 2021)
    for point in [*trend_of(oldest_term), *trend_of(oldest_year)]:
        assert point in periods
    assert len(periods) == len(set(periods)) == 25


def test_the_trend_shows_earlier_terms_that_had_students(cast, earlier_students, login):
    response = login(cast.analyst).get(_report_url(indicator="attendance"))
    report = response.context["report"]
    previous = term_of(timezone.localdate()).previous_term()
    point = next(p for p in report.trend if p.period == previous)
    assert point.figures[-1].text == "80"  # 80 of 100 minutes present, over 20 students
    assert point.figures[-1].base == 20
    assert point.students.text == "21"  # and Adam, at the school since 400 days
    text = response.content.decode()
    assert "Students in the group" in text
    # A term long before anyone started: nothing, and the legend says what "–" means.
    oldest = report.trend[0]
    assert oldest.figures[-1].text == "–"
    assert "or none with a record for this figure" in text


def _board_pdf(cast, query: str) -> str:
    form = ReportForm(dict(p.split("=") for p in query.split("&")), user=cast.analyst)
    assert form.is_valid(), form.errors
    content, _name = pdf_bytes(build(cast.analyst, form.cleaned_data))
    return content


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_board_pdf_has_the_two_way_table_and_the_base_numbers(cast, earlier_students, tmp_path):
    path = tmp_path / "board.pdf"
    path.write_bytes(_board_pdf(cast, "indicator=attendance&dim1=gender&dim2=background"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Attendance (%): Gender × Background" in text
    assert "Gender \\ Background" in text
    # Base numbers in brackets beside the shares, in the main table and the trend.
    assert "(20)" in text
    assert "Students in the group" in text


def test_the_definition_is_in_plain_language_never_sql(cast, login):
    text = login(cast.analyst).get(reverse("quality:indicator_detail", args=["attendance"])).content.decode()
    assert "Every student enrolled in an introduction programme at some time during the period" in text
    assert "divided by the students it is out of" in text
    for word in ("SELECT", "FROM ", "WHERE", "quality_studentperiodfacts", "att_present"):
        assert word not in text


def test_cohort_indicators_say_which_students(cast, login):
    text = login(cast.analyst).get(reverse("quality:indicator_detail", args=["transfer_2y"])).content.decode()
    assert "first started an introduction programme 2 years before the period" in text


def test_reflection_tags_show_indicator_names_not_ids(cast, login):
    reflection = Reflection.objects.create(
        text="Fler nyanlända behöver studiehandledning.",
        written_on=timezone.localdate(),
        source=Reflection.Source.TEAM_MEETING,
        author=cast.principal_a,
        school_unit=cast.unit_a,
    )
    for tag in ("indicator:newly_arrived", "theme:studiehandledning"):
        ReflectionTag.objects.create(reflection=reflection, tag=tag)
    client = login(cast.analyst)
    for url in (_report_url(indicator="newly_arrived"), reverse("quality:reflections")):
        text = client.get(url).content.decode()
        assert '<span class="badge">Newly arrived</span>' in text
        assert '<span class="badge">studiehandledning</span>' in text
        assert ">newly_arrived<" not in text
