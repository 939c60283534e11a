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
    # No empty rows until asked for: add a goal and a course (the form comes back, nothing saved).
    page.click("button[name=add_row][value=goals]")
    page.wait_for_selector("select[name=goals-0-term]")
    page.click("button[name=add_row][value=courses]")
    page.wait_for_selector("input[name=courses-0-course]")
    page.select_option("select[name=goals-0-term]", "long")
    page.select_option("select[name=goals-0-kind]", "national_programme")
    page.fill("input[name=goals-0-title]", "Behörighet till Vård- och omsorgsprogrammet")
    page.fill("input[name=goals-0-target_date]", "2028-06-15")
    # Alice started after 1 July 2025: she reads subjects at levels. Choose one by typing its name.
    field = page.locator("input[name=courses-0-course]")
    field.click()
    field.press_sequentially("svenska som andra", delay=30)
    page.locator("[role=listbox] [role=option]").first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    options = page.locator("[role=listbox] [role=option]")
    texts = options.all_inner_texts()
    assert any("Svenska som andraspråk nivå 1" in t for t in texts)
    assert not any(":" in t.split("·")[0] for t in texts)  # names, never keys like GR:GRGRSVA01_7-9
    index = next(i for i, t in enumerate(texts) if "Svenska som andraspråk nivå 1" in t)
    for _ in range(index + 1):
        field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value().startswith("Svenska som andraspråk nivå 1 (SVASVA01")
    page.select_option("select[name=courses-0-status]", "ongoing")
    page.fill("input[name=courses-0-weekly_hours]", "12")
    assert "12" in page.inner_text("[data-hours-sum]")
    page.fill("textarea[name=reason]", "Första plansamtalet")
    page.wait_for_load_state("networkidle")
    page.click("#save-bar button[type=submit]")
    page.wait_for_url(f"**/students/{alice.pk}/plan/")
    plan = Plan.objects.get(student=alice)
    assert plan.version == 1

    # Second save: the goal is under way and a course is added.
    page.click(f"a[href='/students/{alice.pk}/plan/edit/']")
    page.select_option("select[name=goals-0-status]", "in_progress")
    page.click("button[name=add_row][value=courses]")
    page.wait_for_selector("input[name=courses-1-course]")
    page.fill("input[name=courses-1-course]", "MATMAT01a")  # a code typed without the list also works
    page.fill("textarea[name=reason]", "Plansamtal: matematik tillagd")
    # The course list fetched while typing must be answered first: on SQLite the live
    # server's threads share the test's one in-memory connection, and a form sent during
    # that fetch would open its transaction inside the fetch's.
    page.wait_for_load_state("networkidle")
    page.click("#save-bar button[type=submit]")
    page.wait_for_url(f"**/students/{alice.pk}/plan/")
    plan.refresh_from_db()
    assert plan.version == 2

    # Compare the two versions: the added course and the changed goal are marked.
    page.click(f"a[href='/students/{alice.pk}/plan/history/']")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/plan/compare/?a=1&b=2")
    added = page.locator("tr.diff-added")
    assert added.count() == 1
    assert "Matematik nivå 1a" in added.inner_text()
    changed = page.locator("tr.diff-changed td.cell-changed")
    assert changed.count() == 1
    assert changed.locator("del").count() == 1 and changed.locator("ins").count() == 1

    # The student reads the plan on the family pages and downloads the PDF.
    _log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/my/")
    page.click(f"a[href='/my/students/{alice.pk}/plan/']")
    assert "Behörighet till Vård- och omsorgsprogrammet" in page.inner_text("main")
    assert "Matematik nivå 1a" in page.inner_text("main")
    with page.expect_download() as download_info:
        page.click(f"a[href='/my/students/{alice.pk}/plan.pdf']")
    path = tmp_path / "plan.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
