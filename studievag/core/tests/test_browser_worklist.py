"""Browser journeys: the mentor's worklist, the error summary and the plan form's save bar.

Screenshots at 1280 and 375 px go to ``var/screens/`` (not kept in git) for looking at.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from studievag.plans.models import Plan, PlanReview
from studievag.testing import build_cast, make_student

pytestmark = pytest.mark.browser
SCREENS = Path(settings.BASE_DIR) / "var" / "screens"
PASSWORD = "a-long-test-password"


def _plan(student, *, days_ago, version=1, approved=None, talk_days_ago=None, by=None):
    today = timezone.localdate()
    created = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(9))
    )
    plan = Plan.objects.create(
        student=student, created_at=created, updated_at=created, version=version, approved_version=approved
    )
    if talk_days_ago is not None:
        PlanReview.objects.create(
            plan=plan,
            held_on=today - datetime.timedelta(days=talk_days_ago),
            participants="Mentor, elev",
            notes="Samtal",
            plan_version=version,
            recorded_by=by,
        )
    return plan


@pytest.fixture
def live_cast(transactional_db):
    cast = build_cast()
    for user in (cast.mentor_a, cast.principal_a):
        user.set_password(PASSWORD)
        user.save()
    today = timezone.localdate()
    _plan(cast.alice, days_ago=40)  # plan talk due
    _plan(cast.adam, days_ago=90, version=2, approved=2, talk_days_ago=5, by=cast.mentor_a)  # approved
    for first, last, start in (("Cecilia", "Ceder", 60), ("Alice", "Andersson", 10)):
        student = make_student(cast.unit_a, first_name=first, last_name=last, start=today - datetime.timedelta(start))
        cast.mentor_group_a.memberships.create(student=student, start_date=student.enrolments.get().start_date)
        if first == "Cecilia":
            _plan(student, days_ago=50, version=3, approved=2, talk_days_ago=10, by=cast.mentor_a)  # changed
    return cast


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()


def _shoot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / name), full_page=True)


def test_the_mentor_works_down_the_list_and_records_a_plan_talk(live_cast, live_server, page):
    cast = live_cast
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, "mentor_a")

    rows = page.locator("#worklist tbody tr")
    expect(rows).to_have_count(5)
    # Most urgent first: the late plan, the talk that is due, the changed plan, the new
    # student without a plan yet, the approved plan last.
    expect(rows.nth(0)).to_contain_text("Petra Skyddad")
    expect(rows.nth(0)).to_contain_text("Planen är försenad")
    expect(rows.nth(1)).to_contain_text("Dags för plansamtal")
    expect(rows.nth(2)).to_contain_text("Ändrad sedan godkännandet")
    expect(rows.nth(3)).to_contain_text("Ingen plan än")
    expect(rows.nth(4)).to_contain_text("Godkänd")
    # Two mentees called Alice Andersson: their dates of birth tell them apart.
    expect(page.locator("#worklist .wl-tell-apart")).to_have_count(2)
    _shoot(page, "worklist-mentor-1280.png")

    # The filter works with the button (no script needed).
    page.select_option("#wl-status-worklist", "review_due")
    page.get_by_role("button", name="Visa listan").click()
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"status=review_due"))

    rows.first.get_by_role("link", name=re.compile("Dokumentera plansamtalet")).click()
    expect(page).to_have_url(re.compile(rf"/students/{cast.alice.pk}/plan/talks/new/$"))

    # Sent without who took part and what was said: the summary at the top says so, has
    # the focus, and its links lead to the fields.
    page.fill("#id_participants", "")
    page.get_by_role("button", name=re.compile("Spara")).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("h2")).to_have_text("Det finns 2 fel")
    expect(summary).to_be_focused()
    _shoot(page, "error-summary-1280.png")
    summary.locator("a[href='#id_notes']").click()
    expect(page.locator("#id_notes")).to_be_focused()
    expect(page.locator("#id_notes")).to_have_attribute("aria-describedby", "id_notes_error")

    # Filled in, it saves, and the talk leaves the list of talks due.
    page.fill("#id_participants", "Mentor, elev")
    page.fill("#id_notes", "Vi gick igenom målen.")
    page.get_by_role("button", name=re.compile("Spara")).click()
    page.goto(f"{live_server.url}/?status=review_due")
    expect(page.locator("#worklist")).to_contain_text("Ingen mentorselev stämmer")


def test_the_worklist_is_a_list_of_cards_on_a_phone(live_cast, live_server, page):
    page.set_viewport_size({"width": 375, "height": 800})
    _log_in(page, live_server, "mentor_a")

    first = page.locator("#worklist tbody tr").first
    expect(first).to_be_visible()
    # Nothing is cut off: the card is as wide as the screen allows, no wider.
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(first.get_by_role("link", name=re.compile("Upprätta planen"))).to_be_visible()
    _shoot(page, "worklist-mentor-375.png")


def test_the_principal_sees_counts_per_status_and_follows_one(live_cast, live_server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, "principal_a")

    card = page.locator("#unit-worklist .card").first
    expect(card).to_contain_text("Skola A IM")
    _shoot(page, "worklist-principal-1280.png")
    card.get_by_role("link", name=re.compile("Ändrad sedan godkännandet")).click()
    rows = page.locator("#unit-worklist tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name=re.compile("Godkänn planen")).click()
    expect(page.locator("#approval")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/")
    _shoot(page, "worklist-principal-375.png")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_plan_forms_save_button_stays_in_reach(live_cast, live_server, page, width):
    cast = live_cast
    page.set_viewport_size({"width": width, "height": 800})
    _log_in(page, live_server, "mentor_a")
    page.goto(f"{live_server.url}/students/{cast.alice.pk}/plan/edit/")

    # No empty rows until asked for; the button adds one (the page comes back with the
    # cursor in it).
    expect(page.locator("fieldset.row-form")).to_have_count(0)
    page.get_by_role("button", name="Lägg till ett mål").click()
    expect(page.locator("fieldset.row-form")).to_have_count(1)
    expect(page.locator("#id_goals-0-term")).to_be_focused()

    save = page.locator("#save-bar button[type=submit]")
    for section in ("#f-goals", "#f-more", "#f-why"):
        page.locator(section).scroll_into_view_if_needed()
        box = save.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 800, section
    _shoot(page, f"plan-form-{width}.png")
    # From the top of the page the save button is a few Tab presses away.
    page.goto(f"{live_server.url}/students/{cast.alice.pk}/plan/edit/")
    presses = 0
    on_save = "document.activeElement.closest('#save-bar') !== null && document.activeElement.type === 'submit'"
    while presses < 40 and not page.evaluate(on_save):
        page.keyboard.press("Tab")
        presses += 1
    # Skip link, the menu, the language, log out, then the sections' links: well under 40.
    assert page.evaluate(on_save)
    assert presses <= 25, presses
