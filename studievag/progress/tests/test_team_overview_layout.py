"""The team overview on paper and on a phone: at least six students to an A4 page, and on a
375 px screen the table scrolls sideways with the student's name kept in view."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from studievag.enrolments.models import GroupMembership
from studievag.testing import make_student


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def _fill_the_group(cast, n=15):
    names = []
    for i in range(n):
        s = make_student(cast.unit_a, first_name=f"Elev{i:02d}", last_name="Gruppsson")
        GroupMembership.objects.create(
            group=cast.mentor_group_a, student=s, start_date=timezone.localdate() - datetime.timedelta(days=30)
        )
        names.append(f"Elev{i:02d}")
    return names


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_team_overview_prints_at_least_six_students_to_an_a4_page(
    transactional_db, live_server, page, cast, tmp_path
):
    names = _fill_the_group(cast)
    _log_in(page, live_server, "mentor_a")
    page.goto(f"{live_server.url}/progress/teams/group/{cast.mentor_group_a.pk}/")
    path = tmp_path / "team.pdf"
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    on_first = [n for n in names if n in first_page]
    assert len(on_first) >= 6, f"only {len(on_first)} students on the first page"
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in pages or "Pages:           1" in pages  # 18 students


@pytest.mark.browser
def test_on_a_phone_the_team_table_scrolls_with_the_names_in_view(transactional_db, live_server, page, cast):
    _fill_the_group(cast, n=3)
    _log_in(page, live_server, "mentor_a")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/progress/teams/group/{cast.mentor_group_a.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    name = page.locator(".team-table tbody th[scope=row]").first
    before = name.bounding_box()
    page.evaluate("document.querySelector('.team-table').closest('.table-wrap').scrollLeft = 400")
    after = name.bounding_box()
    assert page.evaluate("document.querySelector('.team-table').closest('.table-wrap').scrollLeft") > 0
    assert abs(after["x"] - before["x"]) < 1  # the name stays where it was
