"""The analyst's journey: a two-way breakdown on the page, then the same figures in Excel."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from studievag.testing import make_student


@pytest.mark.browser
def test_analyst_builds_a_two_way_breakdown_and_downloads_the_excel_file(
    transactional_db, django_db_serialized_rollback, live_server, page, cast
):
    for i in range(12):
        make_student(cast.unit_a, female=i >= 3, country_of_birth="SE" if i % 2 else "IQ")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/quality/")
    page.select_option("select[name=dim1]", "gender")
    page.select_option("select[name=dim2]", "background")
    page.select_option("select[name=indicator]", "students")
    page.locator("form.report-form button[type=submit]").click()
    page.wait_for_load_state()

    matrix = page.locator("table.twoway")
    expect(matrix).to_be_visible()
    # The grand total is shown; the small groups behind it are not.
    expect(matrix.locator("tbody tr").last.locator("td").last).to_have_text("15")
    expect(page.locator("#focus-chart")).to_be_visible()

    with page.expect_download() as download_info:
        page.locator("a[href*='export.xlsx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as f:
        workbook = load_workbook(BytesIO(f.read()))
    two_way = [[c for c in row] for row in workbook["Two-way"].iter_rows(values_only=True)]
    start = two_way.index(next(r for r in two_way if r[0] and str(r[0]).startswith("Students")))
    header, *rows = two_way[start + 1 : start + 7]
    assert header[-1] == "Total"
    assert rows[-1][0] == "Total" and rows[-1][-1] == 15
    # Women and men are split by background; every small cell is "..", never a 1–4.
    figures = [v for r in rows for v in r[1:]]
    assert not any(isinstance(v, int) and 0 < v < 5 for v in figures)
    assert ".." in figures
