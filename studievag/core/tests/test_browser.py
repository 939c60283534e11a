"""Journeys in a real browser (system Chromium through Playwright)."""

import re

import pytest
from playwright.sync_api import expect

from studievag.audit.models import RecordRead
from studievag.testing import build_cast

pytestmark = pytest.mark.browser


@pytest.fixture
def live_cast(transactional_db):
    # The live server needs committed data; build_cast puts back the reference
    # data that an earlier transactional test emptied.
    cast = build_cast()
    cast.mentor_a.set_password("a-long-test-password")
    cast.mentor_a.save()
    return cast


def test_a_mentor_logs_in_and_opens_a_mentees_record(live_cast, live_server, page):
    cast = live_cast
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "mentor_a")
    page.fill("#id_password", "a-long-test-password")
    page.locator("main button[type=submit]").click()

    # The start page lists the mentees, the protected one under her name (own school).
    mentees = page.locator("section[aria-labelledby=mentees-h] tbody tr")
    expect(mentees).to_have_count(3)
    expect(mentees.first).to_contain_text("Adam Abdi")
    expect(page.locator("body")).not_to_contain_text("Bertil")

    page.get_by_role("link", name="Alice Andersson", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/students/{cast.alice.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Alice Andersson")
    expect(page.locator("main")).to_contain_text(cast.alice.formatted_identity_number)
    background = page.locator("section[aria-labelledby=bg-h]")
    expect(background).to_be_visible()
    expect(background.locator("dd").nth(1)).to_have_text("Arabiska")  # mother tongue, in Swedish
    enrolments = page.locator("section[aria-labelledby=enr-h] tbody tr")
    expect(enrolments).to_have_count(1)
    expect(enrolments.first).to_contain_text("Skola A IM")
    expect(page.locator("section[aria-labelledby=enr-h]")).to_contain_text("Mentorsgrupp A")
    # The visit is in the read log.
    assert set(RecordRead.objects.filter(student=cast.alice).values_list("username", flat=True)) == {"mentor_a"}


def test_a_counsellor_records_an_adult_students_consent_for_a_guardian(live_cast, live_server, page):
    from studievag.people.models import GuardianConsent

    cast = live_cast
    cast.counsellor_a.set_password("a-long-test-password")
    cast.counsellor_a.save()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "counsellor_a")
    page.fill("#id_password", "a-long-test-password")
    page.locator("main button[type=submit]").click()

    page.goto(f"{live_server.url}/students/{cast.adam.pk}/")
    guardians = page.locator("#guardians")
    expect(guardians).to_contain_text("Samira Andersson")
    guardians.locator("button[type=submit]").click()

    expect(page.locator("#guardians input[name=action]")).to_have_value("withdraw")
    expect(page.locator("#guardians .consent-history")).to_contain_text("Sara Syv")
    consent = GuardianConsent.objects.get()
    assert consent.link.student == cast.adam and consent.withdrawn_on is None

    # The button now withdraws the consent.
    page.locator("#guardians button[type=submit]").click()
    # Once saved, the form offers to record a new consent again.
    expect(page.locator("#guardians input[name=action]")).to_have_value("give")
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
    assert consent.withdrawal_recorded_by == cast.counsellor_a


def test_on_a_phone_the_menu_folds_behind_a_button_and_opens(live_cast, live_server, page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "mentor_a")
    page.fill("#id_password", "a-long-test-password")
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()

    menu = page.get_by_role("button", name="Meny")
    students = page.locator("#main-nav").get_by_role("link", name="Elever", exact=True)
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(students).to_be_hidden()
    # The page starts with its own content, not a screenful of links.
    assert page.locator("h1").bounding_box()["y"] < 250

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(students).to_be_visible()
    page.keyboard.press("Escape")
    expect(students).to_be_hidden()
    expect(menu).to_be_focused()

    menu.click()
    students.click()
    expect(page).to_have_url(f"{live_server.url}/students/")

    # On a wide screen every link is in sight and there is no button.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    expect(page.locator("#main-nav").get_by_role("link", name="Elever", exact=True)).to_be_visible()
