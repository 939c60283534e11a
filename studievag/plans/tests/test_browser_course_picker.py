"""Choosing a subject level by typing its name: with the combobox, and without JavaScript.

Set STUDIEVAG_SCREENSHOTS=<dir> to keep the screenshots (desktop 1280 and phone 375 px).
"""

import os
from pathlib import Path

import pytest

from studievag.plans.models import Plan


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def _shots(tmp_path) -> Path:
    folder = Path(os.environ.get("STUDIEVAG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.browser
def test_a_mentor_chooses_a_subject_level_by_typing_its_name(transactional_db, live_server, page, cast, tmp_path):
    shots = _shots(tmp_path)
    alice = cast.alice  # started 60 days ago, after gy25: subjects at levels
    _log_in(page, live_server, "mentor_a")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/students/{alice.pk}/plan/edit/")
    page.click("button[name=add_row][value=courses]")  # the new row's course field gets the focus
    field = page.locator("input[name=courses-0-course]")
    field.wait_for()
    field.click()
    assert field.get_attribute("role") == "combobox"
    field.press_sequentially("matematik niv", delay=30)
    options = page.locator(f"#{field.get_attribute('aria-controls')} [role=option]")
    options.first.wait_for()
    texts = options.all_inner_texts()
    assert texts[0].startswith("Matematik nivå 1a")
    assert all("Matematik 1a" not in t for t in texts)  # no courses from before gy25 for her
    assert page.locator("[role=status]").first.inner_text() != ""
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    page.locator("#f-courses").scroll_into_view_if_needed()
    page.screenshot(path=shots / "plan-course-picker-1280.png", full_page=False)
    options.nth(1).click()  # with the mouse: the second one, nivå 1b
    assert field.input_value().startswith("Matematik nivå 1b (MATMAT01b")
    assert field.get_attribute("aria-expanded") == "false"
    page.select_option("select[name=courses-0-status]", "ongoing")
    page.fill("input[name=courses-0-weekly_hours]", "23.5")  # the tests' pages are in English
    hours = page.locator("[data-hours-sum]")
    text = hours.inner_text()  # in the page's language: 23.5 in English, 23,5 in Swedish
    assert ("23.5" in text or "23,5" in text) and "full_time" in (hours.get_attribute("class") or "")
    page.select_option("select[name=courses-0-status]", "planned")
    assert "part_time" not in (hours.get_attribute("class") or "") and "full_time" not in (
        hours.get_attribute("class") or ""
    )
    page.select_option("select[name=courses-0-status]", "ongoing")

    page.set_viewport_size({"width": 375, "height": 800})
    field.fill("")
    field.press_sequentially("svenska som andraspråk", delay=30)
    options.first.wait_for()
    assert options.first.inner_text().startswith("Svenska som andraspråk, årskurs 7–9")
    page.locator(f"#{field.get_attribute('aria-controls')}").scroll_into_view_if_needed()
    page.screenshot(path=shots / "plan-course-picker-375.png", full_page=False)
    field.press("Escape")
    field.fill("")
    field.press_sequentially("MATMAT01b", delay=30)
    options.first.wait_for()
    field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value().startswith("Matematik nivå 1b (MATMAT01b")
    page.fill("textarea[name=reason]", "Matematik nivå 1b")
    page.wait_for_load_state("networkidle")  # no course list still being fetched (see test_browser.py)
    page.click("#save-bar button[type=submit]")
    page.wait_for_url(f"**/students/{alice.pk}/plan/")
    row = Plan.objects.get(student=alice).courses.select_related("course").get()
    assert (row.course.kind, row.course.code, str(row.weekly_hours)) == ("level", "MATMAT01b", "23.5")
    page.screenshot(path=shots / "plan-detail-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=shots / "plan-detail-1280.png", full_page=True)
    assert "Matematik nivå 1b" in page.inner_text("main")


@pytest.mark.browser
def test_without_javascript_the_field_takes_the_typed_name(transactional_db, live_server, browser, cast):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    _log_in(page, live_server, "mentor_a")
    page.goto(f"{live_server.url}/students/{cast.alice.pk}/plan/edit/")
    page.click("button[name=add_row][value=courses]")
    field = page.locator("input[name=courses-0-course]")
    assert field.get_attribute("list") == "course-options"  # the browser's own suggestions
    field.fill("Svenska som andraspråk nivå 1")
    page.fill("textarea[name=reason]", "Första planen")
    page.click("#save-bar button[type=submit]")
    page.wait_for_url(f"**/students/{cast.alice.pk}/plan/")
    assert Plan.objects.get(student=cast.alice).courses.get().course.code == "SVASVA01"
    context.close()
