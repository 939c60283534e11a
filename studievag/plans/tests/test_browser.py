"""The main journey: a mentor writes a plan, saves twice, compares; the student reads it.

Selectors use names, URLs and classes rather than words, so the test holds in
every interface language.
"""

import pytest

from studievag.catalogue.services import catalogue_ensure_core
from studievag.plans.models import Plan


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_mentor_writes_and_compares_a_plan_and_the_student_reads_it(
    transactional_db, live_server, page, cast, tmp_path
):
    catalogue_ensure_core()
    alice = cast.alice
    _log_in(page, live_server, "mentor_a")

    # From the student page to the plan, and set it up.
    page.goto(f"{live_server.url}/students/{alice.pk}/")
    page.click(f"a[href='/students/{alice.pk}/plan/']")
    page.click(f"a[href='/students/{alice.pk}/plan/edit/']")
    page.fill("textarea[name=study_path]", "Språkintroduktion, sedan Vård- och omsorgsprogrammet")
    page.select_option("select[name=goals-0-term]", "long")
    page.select_option("select[name=goals-0-kind]", "national_programme")
    page.fill("input[name=goals-0-title]", "Behörighet till Vård- och omsorgsprogrammet")
    page.fill("input[name=goals-0-target_date]", "2028-06-15")
    page.fill("input[name=courses-0-course]", "GY:SVASVA01")
    page.select_option("select[name=courses-0-status]", "ongoing")
    page.fill("textarea[name=reason]", "Första plansamtalet")
    page.click("form.form-wide button[type=submit]")
    page.wait_for_url(f"**/students/{alice.pk}/plan/")
    plan = Plan.objects.get(student=alice)
    assert plan.version == 1

    # Second save: the goal is under way and a course is added.
    page.click(f"a[href='/students/{alice.pk}/plan/edit/']")
    page.select_option("select[name=goals-0-status]", "in_progress")
    page.fill("input[name=courses-1-course]", "GY:MATMAT01a")
    page.fill("textarea[name=reason]", "Plansamtal: matematik tillagd")
    page.click("form.form-wide button[type=submit]")
    page.wait_for_url(f"**/students/{alice.pk}/plan/")
    plan.refresh_from_db()
    assert plan.version == 2

    # Compare the two versions: the added course and the changed goal are marked.
    page.click(f"a[href='/students/{alice.pk}/plan/history/']")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/plan/compare/?a=1&b=2")
    added = page.locator("tr.diff-added")
    assert added.count() == 1
    assert "MATMAT01a" in added.inner_text()
    changed = page.locator("tr.diff-changed td.cell-changed")
    assert changed.count() == 1
    assert changed.locator("del").count() == 1 and changed.locator("ins").count() == 1

    # The student reads the plan on the family pages and downloads the PDF.
    _log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/my/")
    page.click(f"a[href='/my/students/{alice.pk}/plan/']")
    assert "Behörighet till Vård- och omsorgsprogrammet" in page.inner_text("main")
    assert "Matematik 1a" in page.inner_text("main")
    with page.expect_download() as download_info:
        page.click(f"a[href='/my/students/{alice.pk}/plan.pdf']")
    path = tmp_path / "plan.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
