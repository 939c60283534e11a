"""The journey: the sending school writes and sends a handover; the counsellor at the
receiving school receives it, books and records the meeting and registers the student,
with the mapping and the draft plan pre-filled; the sending school sees the receipt.

Selectors use names and URLs rather than words, so the test holds in every language.
"""

import datetime

import pytest

from studievag.handover.models import Handover, Status
from studievag.intake.models import IntakeMapping
from studievag.organisations.models import Programme
from studievag.plans.models import Plan


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_a_handover_from_the_sending_school_to_a_draft_plan(transactional_db, live_server, page, cast):
    start = datetime.date.today() + datetime.timedelta(days=120)

    # The sending school writes the handover.
    _log_in(page, live_server, "sending")
    page.goto(f"{live_server.url}/handovers/")
    page.click("a[href='/handovers/new/']")
    page.fill("input[name=identity_number]", "")
    page.fill("input[name=date_of_birth]", "2011-04-02")
    page.fill("input[name=first_name]", "Nour")
    page.fill("input[name=last_name]", "Haddad")
    page.fill("input[name=address]", "Storgatan 1, Skövde")
    page.fill("input[name=starts_on]", start.isoformat())
    page.fill("textarea[name=grades]", "Ma E, En C, SvA E")
    page.fill("input[name=merit_value]", "145")
    page.fill("textarea[name=support_measures]", "Extra anpassningar i matematik")
    page.fill("textarea[name=student_voice]", "Jag vill bli elektriker.")
    page.click("form.handover-form button[type=submit]")
    handover = Handover.objects.get(last_name="Haddad")
    page.wait_for_url(f"**/handovers/{handover.pk}/")
    assert handover.status == Status.DRAFT

    # …and sends it to school A.
    page.click(f"a[href='/handovers/{handover.pk}/send/']")
    page.check("input[name=destination][value=unit]")
    page.select_option("select[name=receiving_unit]", str(cast.unit_a.pk))
    page.click("form.handover-form button[type=submit]")
    page.wait_for_url(f"**/handovers/{handover.pk}/")
    handover.refresh_from_db()
    assert handover.status == Status.SENT

    # The counsellor at school A finds it among the incoming handovers and receives it.
    _log_in(page, live_server, "counsellor_a")
    page.goto(f"{live_server.url}/handovers/incoming/")
    page.click(f"a[href='/handovers/{handover.pk}/']")
    page.select_option("select[name=contact_person]", str(cast.counsellor_a.pk))
    page.fill("input[name=contact_phone]", "0500-12 34 56")
    page.click(f"form[action='/handovers/{handover.pk}/receive/'] button[type=submit]")
    page.wait_for_url(f"**/handovers/{handover.pk}/")
    handover.refresh_from_db()
    assert handover.status == Status.RECEIVED

    # Books the meeting, then records it.
    meeting = datetime.date.today()
    page.fill("input[name=meeting_on]", meeting.isoformat())
    page.click(f"form[action='/handovers/{handover.pk}/book/'] button[type=submit]")
    page.wait_for_url(f"**/handovers/{handover.pk}/")
    page.fill("input[name=held_on]", meeting.isoformat())
    page.fill("input[name=participants]", "Eleven, vårdnadshavare, SYV")
    page.fill("textarea[name=student_voice]", "Vill börja med svenska och praktik.")
    page.click(f"form[action='/handovers/{handover.pk}/meeting/'] button[type=submit]")
    page.wait_for_url(f"**/handovers/{handover.pk}/")
    handover.refresh_from_db()
    assert handover.status == Status.MEETING_HELD
    assert handover.meeting_on == meeting

    # Registers the student: the mapping and the first draft of the plan are pre-filled.
    page.select_option("select[name=programme]", str(Programme.objects.get(code="IMY").pk))
    page.fill("input[name=start_date]", start.isoformat())
    page.click(f"form[action='/handovers/{handover.pk}/start/'] button[type=submit]")
    handover.refresh_from_db()
    student = handover.student
    page.wait_for_url(f"**/students/{student.pk}/plan/")
    assert student.identity_kind == "reserve"
    assert IntakeMapping.objects.get(student=student).compulsory_grades == "Ma E, En C, SvA E"
    plan = Plan.objects.get(student=student)
    assert plan.planned_start == start
    assert "Vill börja med svenska och praktik." in page.content()

    # The sending school sees the receipt and the contact person.
    _log_in(page, live_server, "sending")
    page.goto(f"{live_server.url}/handovers/")
    html = page.content()
    assert f"{datetime.date.today():%Y-%m-%d}" in html
    assert "0500-12 34 56" in html
    assert "Storgatan" not in html
