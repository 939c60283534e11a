"""The journey: a student answers in Arabic on a phone, comes back to a draft, sends; the analyst
sees the results, with a small group shown as "..".
"""

import datetime

import pytest
from playwright.sync_api import expect

from studievag.disclosure import SUPPRESSED
from studievag.surveys.models import Participation, PendingResponse, Response, Wave
from studievag.surveys.tests.helpers import answer, make_wave
from studievag.testing import make_student


def _login(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_a_student_answers_in_arabic_on_a_phone_and_the_analyst_sees_the_results(
    transactional_db, django_db_serialized_rollback, live_server, browser, cast
):
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 3))
    for i in range(9):
        answer(wave, make_student(cast.unit_a, female=True), 4 if i % 3 else 2)
    for _i in range(2):
        answer(wave, make_student(cast.unit_a, female=False), 1)

    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="ar")
    page = phone.new_page()
    _login(page, live_server.url, "alice")
    # The language chosen on the page: Arabic, right to left.
    page.goto(f"{live_server.url}/my/surveys/")
    with page.expect_navigation():
        page.select_option("#language", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name="أجب على الاستبيان").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("استبيان الطلاب")

    first = page.get_by_role("group", name="العمل المدرسي يجعلني فضولياً ومهتماً.")
    expect(first).to_be_visible()
    # Keyboard only: focus the first step of the scale and move with the arrow keys.
    first.get_by_role("radio", name="صحيح تماماً", exact=True).focus()
    page.keyboard.press("ArrowDown")
    expect(first.get_by_role("radio", name="صحيح إلى حد كبير", exact=True)).to_be_checked()
    # Right to left: the radio button sits at the right of its text, and nothing is wider than the phone.
    option = first.locator("label.scale-option").first
    box, text = option.locator("input").bounding_box(), option.locator("span").bounding_box()
    assert box["x"] > text["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # On a wide screen the steps stand in a row that starts at the right: "Completely true" first.
    page.set_viewport_size({"width": 1280, "height": 800})
    steps = first.locator("label.scale-option")
    assert steps.nth(0).bounding_box()["x"] > steps.nth(1).bounding_box()["x"] > steps.nth(4).bounding_box()["x"]
    page.set_viewport_size({"width": 375, "height": 740})

    # Pause: the draft stays in this browser, and is there when the student comes back.
    page.get_by_role("button", name="أكمل لاحقاً").click()
    page.wait_for_load_state()
    assert PendingResponse.objects.count() + Response.objects.count() == 11
    assert not Participation.objects.filter(student=cast.alice).exists()
    page.goto(f"{live_server.url}/my/surveys/{wave.pk}/")
    expect(first.get_by_role("radio", name="صحيح إلى حد كبير", exact=True)).to_be_checked()

    page.get_by_role("group", name="أشعر بالأمان في المدرسة.").get_by_role(
        "radio", name="صحيح تماماً", exact=True
    ).check()
    page.get_by_role("button", name="أرسل إجاباتي").click()
    page.wait_for_load_state()
    expect(page.get_by_text("شكراً على إجاباتك!")).to_be_visible()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('studievag-survey-draft')).length") == 0
    assert Participation.objects.filter(wave=wave, student=cast.alice).exists()
    phone.close()

    # The wave closes; the analyst opens the results, broken down by gender.
    Wave.objects.filter(pk=wave.pk).update(closes_on=wave.opens_on + datetime.timedelta(days=9))
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = desk.new_page()
    _login(page, live_server.url, "analyst")
    page.goto(f"{live_server.url}/surveys/")
    page.get_by_role("link", name="Resultat").click()
    page.select_option("select[name=breakdown]", "gender")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state()
    assert Response.objects.filter(wave=wave).count() == 12
    respondents = page.locator("table.figures tbody tr").first
    expect(respondents.locator("td").last).to_have_text("12")
    # Two boys: too few – their group and the one that would give it away show "..".
    expect(respondents.locator("td", has_text=SUPPRESSED)).to_have_count(2)
    desk.close()
