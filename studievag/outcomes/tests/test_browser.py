"""The journey: a counsellor records an exit, the 6-month interview comes due, its outcome is
recorded, and the analyst sees it counted in the outcome report."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from studievag.outcomes.rules import add_months
from studievag.outcomes.services import exit_record, follow_up_outcome
from studievag.quality.periods import term_of
from studievag.testing import make_student


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_counsellor_records_an_exit_and_the_follow_up_is_counted(
    transactional_db, django_db_serialized_rollback, live_server, page, cast
):
    today = timezone.localdate()
    last_day = add_months(today, -6) - datetime.timedelta(days=1)  # recorded late: the interview is due now
    started = today - datetime.timedelta(days=400)
    # Nine earlier leavers of the same term, followed up: studying.
    for i in range(9):
        s = make_student(cast.unit_a, start=started, first_name=f"Tidigare{i}")
        exit = exit_record(
            acting_user=cast.counsellor_a,
            enrolment=s.enrolments.get(),
            exit_date=last_day,
            reason="adult_education",
            destination="Komvux Skövde",
            home_municipality=cast.organiser_a,
            consent_to_contact=True,
        )
        follow_up_outcome(
            acting_user=cast.counsellor_a,
            follow_up=exit.follow_ups.get(months=6),
            outcome="studying",
            outcome_on=today,
            channel="phone",
            study_what="Svenska",
            study_where="Komvux Skövde",
        )
    vera = make_student(cast.unit_a, start=started, first_name="Vera", last_name="Vidare")

    # The counsellor records Vera's exit from her record.
    _log_in(page, live_server, "counsellor_a")
    page.goto(f"{live_server.url}/students/{vera.pk}/")
    page.get_by_role("link", name="Registrera avgång").click()
    page.fill("input[name=exit_date]", last_day.isoformat())
    page.select_option("select[name=reason]", "work")
    page.fill("input[name=destination]", "ICA Kvantum Skövde")
    page.check("input[name=consent_to_contact]")
    page.fill("input[name=contact_phone]", "070-123 45 67")
    page.get_by_role("button", name="Registrera avgången").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Avgången är registrerad")
    expect(page.locator("table")).to_contain_text("Att göra")

    # The 6-month interview is on the list of things to do now.
    page.goto(f"{live_server.url}/outcomes/follow-ups/")
    due_now = page.locator("section", has=page.locator("#due-h"))
    expect(due_now.get_by_role("link", name="Vera Vidare")).to_be_visible()
    due_now.get_by_role("link", name="Vera Vidare").click()
    page.select_option("select[name=o-outcome]", "working")
    page.select_option("select[name=o-channel]", "phone")
    page.fill("input[name=o-work_what]", "Butiksbiträde, ICA Kvantum")
    page.get_by_role("button", name="Registrera utfallet").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Utfallet är registrerat")
    expect(page.locator("main")).to_contain_text("Butiksbiträde, ICA Kvantum")

    # The analyst's outcome report for the term of exit counts her: 1 of 10 working.
    page.context.clear_cookies()
    _log_in(page, live_server, "analyst")
    page.goto(f"{live_server.url}/quality/outcomes/?period={term_of(last_day).code}")
    row = page.locator("tr", has=page.get_by_role("link", name=re.compile("^Arbetar 6 månader")))
    expect(row.locator("td.num").last).to_have_text("10 (10)")
    studying = page.locator("tr", has=page.get_by_role("link", name=re.compile("^Studerar 6 månader")))
    expect(studying.locator("td.num").last).to_have_text("90 (10)")
