"""The analyst's journey: build a small chain, link an indicator, set a target, see the status."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from studievag.effect_chain.models import EffectChain, IndicatorLink
from studievag.testing import make_student


@pytest.mark.browser
def test_analyst_builds_a_chain_links_an_indicator_sets_a_target_and_sees_the_status(
    transactional_db, django_db_serialized_rollback, live_server, page, cast
):
    for _ in range(12):
        make_student(cast.unit_a)  # 15 students at Kommun A this term
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/effect-chain/")
    page.fill("input[name=title]", "Fler elever når sina mål")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    chain = EffectChain.objects.get()
    assert chain.organiser == cast.organiser_a
    expect(page.locator("h1")).to_have_text("Fler elever når sina mål")

    page.locator(f"a[href='/effect-chain/{chain.pk}/nodes/new/']").click()
    page.select_option("select[name=level]", "desired_state")
    page.fill("input[name=title]", "Alla elever har en plan")
    page.fill("input[name=owner]", "Skolchef")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("article.chain-node h3")).to_have_text("Alla elever har en plan")

    page.locator("article.chain-node a[href$='/indicators/new/']").click()
    page.select_option("select[name=indicator]", "students")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    link = IndicatorLink.objects.get()
    # The baseline is today's figure for the organiser: 15 students.
    assert (link.baseline_text, link.baseline_value, link.baseline_on) == ("15", 15.0, timezone.localdate())

    checkpoint = timezone.localdate() + datetime.timedelta(days=180)
    page.fill("input[name=checkpoint]", checkpoint.isoformat())
    page.fill("input[name=value]", "20")
    page.locator("main form.form-grid button[type=submit]").click()
    page.wait_for_load_state()
    assert list(link.targets.values_list("value", flat=True)) == [20]

    page.goto(f"{live_server.url}/effect-chain/{chain.pk}/")
    row = page.locator("table.chain-figures tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_contain_text("15")
    expect(row.locator("td").nth(3)).to_have_text("15")
    # On the baseline day the line is at the baseline: 15 is on track towards 20.
    expect(row.locator(".chain-status.on_track")).to_be_visible()
