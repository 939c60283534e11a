"""The report, definition, export and reflection pages as their users meet them."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from studievag.quality.models import Reflection, ReflectionTag, SuppressionRule
from studievag.testing import make_student


@pytest.fixture
def big_a(cast):
    """Twelve more students at school A, so a few figures rest on enough students."""
    return [make_student(cast.unit_a, female=i >= 3, country_of_birth="SE" if i % 2 else "IQ") for i in range(12)]


def report_url(**params):
    from urllib.parse import urlencode

    return reverse("quality:report") + ("?" + urlencode(params) if params else "")


def test_analyst_sees_own_organiser_figures_and_never_a_name(cast, big_a, login, django_assert_max_num_queries):
    client = login(cast.analyst)
    # Queries: session, user, grants (3), scope (3), levels (3), the scope tree and its
    # suppression rules (4), the school units of the level; the report's queries for the
    # term, the other term and the school year (the linked tables, ~5 each), the facts of
    # those three periods (first report of the day: ~5 each, else 1); six terms of trend
    # for one indicator with their other terms and school years (~9); reflections (2).
    with django_assert_max_num_queries(70):
        response = client.get(report_url(dim1="gender"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kommun A" in text
    assert "Kommun B" not in text
    # 15 students at A: 4 men (under 5: hidden), so the 11 women go too; the total stays.
    table = response.context["report"].tables["students"]
    assert [f.text for f in table.row_margin] == ["..", "..", "0", "0", "15"]
    for student in [cast.alice, cast.adam, cast.protected, *big_a]:
        assert student.last_name not in text or student.last_name == "Testsson"
        assert student.personal_identity_number not in text


def test_analyst_cannot_report_on_another_organiser(cast, big_a, login):
    response = login(cast.analyst).get(report_url(level=f"organiser:{cast.organiser_b.pk}"))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "level" in response.context["form"].errors
    assert "Kommun B" not in response.content.decode()


def test_regional_coordinator_reports_on_the_region_and_is_always_suppressed(cast, big_a, login):
    client = login(cast.coordinator)
    response = client.get(report_url(level=f"region:{cast.region.pk}", unsuppressed="on"))
    report = response.context["report"]
    assert report.suppressed is True
    assert "unsuppressed" not in response.context["form"].fields
    # 16 students in the region: Kommun B's single student is not shown by unit.
    assert report.tables["students"].total.text == "16"
    levels = [code for code, _label in response.context["form"].fields["level"].choices]
    assert f"unit:{cast.unit_a.pk}" not in levels


def test_principal_may_lift_suppression_for_own_unit(cast, big_a, login):
    client = login(cast.principal_a)
    response = client.get(report_url(level=f"unit:{cast.unit_a.pk}", dim1="gender", unsuppressed="on"))
    report = response.context["report"]
    assert report.suppressed is False
    assert [f.text for f in report.tables["students"].row_margin][:2] == ["11", "4"]
    assert "must not be passed on" in response.content.decode()


def test_an_organiser_may_raise_the_suppression_limits(cast, big_a, login):
    SuppressionRule.objects.create(organiser=cast.organiser_a, min_count=5, min_base=20)
    response = login(cast.analyst).get(report_url())
    report = response.context["report"]
    assert report.thresholds.min_base == 20
    assert report.tables["newly_arrived"].total.text == ".."  # 15 students < 20


def test_two_way_breakdown_shows_a_table_with_totals_for_the_chosen_indicator(cast, big_a, login):
    response = login(cast.analyst).get(report_url(dim1="gender", dim2="background", indicator="students"))
    focus = response.context["report"].focus
    assert [label for _k, label in focus.cols][-1] == "Total"
    assert focus.total.text == "15"
    assert "Gender \\ Background" in response.content.decode()


def test_every_figure_links_to_its_definition(cast, big_a, login):
    response = login(cast.analyst).get(report_url())
    assert reverse("quality:indicator_detail", args=["newly_arrived"]) in response.content.decode()
    detail = login(cast.analyst).get(reverse("quality:indicator_detail", args=["newly_arrived"]))
    text = detail.content.decode()
    # A plain-language definition for analysts, never the query.
    assert "Newly arrived" in text and "Every student enrolled in an introduction programme" in text
    assert "SELECT" not in text and "first_school_start_in_sweden" not in text
    assert "are hidden, and so is any figure that would let a hidden one be worked out" in text


def test_definition_of_an_unknown_indicator_is_404(cast, login):
    response = login(cast.analyst).get(reverse("quality:indicator_detail", args=["nope"]))
    assert response.status_code == 404


def test_csv_export_holds_the_suppressed_figures_and_the_legend(cast, big_a, login):
    response = login(cast.analyst).get(reverse("quality:export", args=["csv"]) + "?dim1=gender")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    students = [r for r in rows if len(r) > 1 and r[1] == "students"]
    assert [r[5] for r in students] == ["..", "..", "0", "0", "15"]
    assert any(r and r[0] == ".." for r in rows)


def test_excel_export_has_report_legend_and_definitions(cast, big_a, login):
    response = login(cast.analyst).get(reverse("quality:export", args=["xlsx"]) + "?dim1=gender&dim2=background")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Report", "Two-way", "Trend", "Legend", "Definitions"]
    report = workbook["Report"]
    assert report["A7"].font.bold
    values = [[c.value for c in row] for row in report.iter_rows()]
    students = next(r for r in values if r[0] == "Students")
    assert students[2:] == ["..", "..", 0, 0, 15]
    assert [r[0] for r in workbook["Legend"].iter_rows(values_only=True)][1:] == ["..", ".", "–"]
    ids = [r[0] for r in workbook["Definitions"].iter_rows(values_only=True)]
    assert "attendance" in ids and "transfer_3y" in ids


def test_pdf_export_is_produced_by_the_job_worker_for_its_asker_only(cast, big_a, login):
    from django_tasks_db.models import DBTaskResult

    from studievag.jobs.models import JobRun
    from studievag.quality import exports, reports
    from studievag.quality.forms import ReportForm
    from studievag.quality.models import ReportPdf
    from studievag.quality.tasks import report_pdf_task

    client = login(cast.analyst)
    asked = client.get(reverse("quality:export", args=["pdf"]) + "?dim1=gender")
    pdf = ReportPdf.objects.get()
    assert asked.status_code == 302 and asked["Location"] == reverse("quality:pdf", args=[pdf.pk])
    assert (pdf.requested_by, pdf.status, pdf.query, pdf.content) == (cast.analyst, "pending", "dim1=gender", None)
    assert DBTaskResult.objects.filter(task_path=report_pdf_task.module_path, args_kwargs__args=[str(pdf.pk)]).exists()
    waiting = client.get(asked["Location"])
    assert waiting.status_code == 200 and "being produced" in waiting.content.decode()

    assert report_pdf_task.call(str(pdf.pk)) == "ready"
    ready = client.get(asked["Location"])
    assert ready["Content-Type"] == "application/pdf" and ready.content.startswith(b"%PDF")
    assert "attachment" in ready["Content-Disposition"]
    assert JobRun.objects.get(name="quality.report_pdf").status == "succeeded"
    # Someone else never gets it, not even by its id.
    assert login(cast.principal_a).get(asked["Location"]).status_code == 404

    form = ReportForm({"dim1": "gender"}, user=cast.analyst)
    assert form.is_valid()
    svg = exports.bar_chart_svg(reports.build(cast.analyst, form.cleaned_data))
    assert svg.startswith("<svg") and "<rect" in svg and ".." in svg


def test_a_pdf_of_a_report_the_asker_may_no_longer_see_fails(cast, big_a, login):
    from studievag.quality.models import ReportPdf
    from studievag.quality.tasks import report_pdf_task

    client = login(cast.analyst)
    location = client.get(reverse("quality:export", args=["pdf"]))["Location"]
    cast.analyst.is_active = False
    cast.analyst.save()
    assert report_pdf_task.call(str(ReportPdf.objects.get().pk)) == "failed"
    assert ReportPdf.objects.get().content is None
    cast.analyst.is_active = True
    cast.analyst.save()
    page = client.get(location)
    assert page.status_code == 200 and "could not be produced" in page.content.decode()


def test_an_invalid_report_asks_for_no_pdf(cast, login):
    from studievag.quality.models import ReportPdf

    assert login(cast.analyst).get(reverse("quality:export", args=["pdf"]) + "?period=xx").status_code == 404
    assert not ReportPdf.objects.exists()


def test_unknown_export_format_is_404(cast, login):
    assert login(cast.analyst).get(reverse("quality:export", args=["doc"])).status_code == 404


# --- Reflections ------------------------------------------------------------------------


def test_mentor_writes_a_tagged_reflection(cast, login):
    client = login(cast.mentor_a)
    response = client.post(
        reverse("quality:reflections"),
        {
            "school_unit": cast.unit_a.pk,
            "written_on": "2025-10-01",
            "source": "team_meeting",
            "text": "Gruppen i IMS behöver mer studiehandledning i matematik.",
            "indicators": ["attendance", "moved_step"],
            "themes": "Studiehandledning, matematik",
        },
    )
    assert response.status_code == 302
    reflection = Reflection.objects.get()
    assert reflection.author == cast.mentor_a and reflection.school_unit == cast.unit_a
    assert sorted(ReflectionTag.objects.values_list("tag", flat=True)) == [
        "indicator:attendance",
        "indicator:moved_step",
        "theme:matematik",
        "theme:studiehandledning",
    ]


def test_a_reflection_naming_a_student_is_blocked_and_nothing_is_saved(cast, login):
    client = login(cast.mentor_a)
    response = client.post(
        reverse("quality:reflections"),
        {
            "school_unit": cast.unit_a.pk,
            "written_on": "2025-10-01",
            "source": "team_meeting",
            "text": "Alice behöver mer stöd.",
        },
    )
    assert response.status_code == 200
    assert "name of a student" in response.content.decode()
    assert not Reflection.objects.exists()


def test_mentor_cannot_write_for_another_school_unit(cast, login):
    response = login(cast.mentor_a).post(
        reverse("quality:reflections"),
        {
            "school_unit": cast.unit_b.pk,
            "written_on": "2025-10-01",
            "source": "other",
            "text": "Gruppen mår bra.",
        },
    )
    assert response.status_code == 200
    assert not Reflection.objects.exists()


def test_coordinator_reads_but_cannot_write_reflections(cast, login):
    client = login(cast.coordinator)
    response = client.post(
        reverse("quality:reflections"),
        {
            "school_unit": cast.unit_a.pk,
            "written_on": "2025-10-01",
            "source": "other",
            "text": "Text.",
        },
    )
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def _reflection(cast, text, tags, day="2025-10-01", unit=None):
    r = Reflection.objects.create(
        text=text, written_on=day, source="team_meeting", author=cast.mentor_a, school_unit=unit or cast.unit_a
    )
    for tag in tags:
        ReflectionTag.objects.create(reflection=r, tag=tag)
    return r


def test_search_finds_reflections_by_word_and_tag_within_scope(cast, login):
    _reflection(cast, "Närvaron sjunker efter lovet.", ["indicator:attendance"])
    _reflection(cast, "Fler elever når målen.", ["indicator:moved_step"])
    _reflection(cast, "Närvaron på skola B.", ["indicator:attendance"], unit=cast.unit_b)
    client = login(cast.analyst)
    found = client.get(reverse("quality:reflections"), {"q": "närvaron"}).context["results"]
    assert [r.text for r in found] == ["Närvaron sjunker efter lovet."]
    found = client.get(reverse("quality:reflections"), {"tag": "indicator:moved_step"}).context["results"]
    assert [r.text for r in found] == ["Fler elever når målen."]


def test_report_shows_reflections_next_to_the_figures_they_concern(cast, big_a, login, today):
    from studievag.quality.periods import term_of

    _reflection(cast, "Vi prövar morgonsamling.", ["indicator:students"], day=today)
    _reflection(cast, "Gammal reflektion.", ["indicator:students"], day="2019-01-01")
    response = login(cast.analyst).get(report_url(period=term_of(today).code))
    text = response.content.decode()
    assert "Vi prövar morgonsamling." in text
    assert "Gammal reflektion." not in text
