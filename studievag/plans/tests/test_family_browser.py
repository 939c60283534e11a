"""Journeys on the family pages in a real browser: the guardian's plan page and PDF in
Arabic, and the student's proposal that the mentor takes into the plan.

Selectors use names, URLs and ids rather than words, so the tests hold in every
interface language.
"""

import re
import shutil
import subprocess

import pytest

from studievag.plans import services
from studievag.plans.models import Plan, PlanProposal


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def _language(page, live_server, code):
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])


@pytest.mark.browser
def test_the_guardian_reads_the_plan_and_its_pdf_in_arabic(
    transactional_db, live_server, page, cast, alice_plan, tmp_path
):
    alice = cast.alice
    url = f"{live_server.url}/my/students/{alice.pk}/plan/"
    _log_in(page, live_server, "guardian")
    _language(page, live_server, "ar")
    page.goto(url)  # the first look: version 1
    services.plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Plansamtal: praktik på förskola",
        fields={"other_measures": "Praktik på förskolan Solen."},
    )
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
        # What changed since the last look, with the reason, side by side.
        changes = page.locator("#changes")
        assert "Plansamtal: praktik på förskola" in changes.inner_text()
        assert "Praktik på förskolan Solen." in changes.locator("td.diff-added").first.inner_text()
        # Texts for the guardian, not the student's; the student's form is not there.
        assert page.locator("#proposal").count() == 0
        # Nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"guardian-plan-ar-{width}.png"), full_page=True)
    # The Swedish goal keeps its direction inside the Arabic sentence.
    assert page.locator("bdi", has_text="Behörighet till Vård- och omsorgsprogrammet").count() == 1
    # Dates in Arabic: a month name, never 29-11-2026 or 2026-11-29.
    main = page.inner_text("main")
    assert re.search(r"(يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر)", main)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{2}-\d{2}-\d{4}\b", main)

    with page.expect_download() as download_info:
        page.click(f"a[href='/my/students/{alice.pk}/plan.pdf']")
    path = tmp_path / "plan-ar.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        lines = [ln.strip() for ln in re.sub("[\u202a-\u202e]", "", text).splitlines() if ln.strip()]
        assert "Praktik på förskolan Solen." in lines  # the full stop at the end of the sentence
        assert not [ln for ln in lines if ln.startswith(".")]


@pytest.mark.browser
def test_the_student_proposes_a_goal_and_the_mentor_takes_it_into_the_plan(
    transactional_db, live_server, page, cast, alice_plan
):
    alice = cast.alice
    _log_in(page, live_server, "alice")
    _language(page, live_server, "ar")
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(f"{live_server.url}/my/students/{alice.pk}/plan/")
    page.fill("textarea[name=own_words]", "أريد أن أدرس Engelska 5 في الربيع.")
    page.fill("input[name=goal_1]", "Engelska 5")
    page.click("#proposal form button[type=submit]")
    page.wait_for_url(f"**/my/students/{alice.pk}/plan/")
    assert page.locator(".proposals li.proposal-new").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    proposal = PlanProposal.objects.get(plan=alice_plan)
    assert proposal.language == "ar"

    _log_in(page, live_server, "mentor_a")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/students/{alice.pk}/plan/")
    assert page.locator("#open-proposals").count() == 1
    page.click(f"a[href='/students/{alice.pk}/plan/talks/new/']")
    card = page.locator(f"#proposal-{proposal.pk}")
    assert "أريد أن أدرس Engelska 5 في الربيع." in card.inner_text()
    card.locator("textarea[name=answer]").fill("Vi lägger till Engelska 5 till våren.")
    card.locator("button[value=take]").click()
    page.wait_for_url(f"**/students/{alice.pk}/plan/talks/new/")
    plan = Plan.objects.get(pk=alice_plan.pk)
    assert plan.version == 2
    assert plan.goals.filter(title="Engelska 5").exists()
    # The reason, in the mentor's interface language.
    assert plan.revisions.get(version=2).reason in ("Elevens förslag", "The student's proposal")

    # The student reads the answer, and the change shows as new since the last look.
    _log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/my/students/{alice.pk}/plan/")
    assert page.locator(".proposals li.proposal-taken").count() == 1
    assert "Vi lägger till Engelska 5 till våren." in page.inner_text(".proposals")
    assert "Engelska 5" in page.locator("#changes").inner_text()
