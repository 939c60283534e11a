"""WCAG 2.1 AA over every kind of page: axe-core in the browser, zero violations.

One small demo data set (the same builder as `make demo`, 40 students), then
every page in ``PAGES`` is opened as the demo user who would open it and
audited with axe (``axe.py``). Every violation on every page is collected and
the test fails with the whole list, so one run shows everything to fix.

To audit a new page, add a row to ``PAGES``: the demo username, the path
(with ``{placeholders}`` from ``demo_ids``, add one there if needed) and the
interface language. A row whose page does not answer 200 fails too, so the
list cannot silently audit an error page instead. ``AXE_ONLY=/handovers/,/my/``
audits only the rows whose path contains one of those texts (the demo is still built);
``AXE_SCREENSHOTS=var/shots`` also saves each audited page at 1280 and 375 px.
"""

import os
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from studievag.demo.services import demo_seed

from .axe import axe_script, axe_violations, describe

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Page:
    """A page to audit: who opens it (None: not logged in), where, in which language, what it answers,
    and what to do on it before the audit (a name in ``ACTIONS``)."""

    user: str | None
    path: str
    lang: str = "sv"
    status: int = 200
    action: str = ""


PAGES: list[Page] = [
    # Log-in and error pages
    Page(None, "/login/"),
    Page(None, "/login/", lang="en"),
    Page("mentor", "/no-such-page/", status=404),
    Page("mentor", "/students/{missing_student}/", status=404),
    Page("mentor", "/admin/", status=403),
    Page("counsellor", "/students/{student}/identity/", status=403),
    # Every role's start page
    Page("mentor", "/"),
    Page("mentor", "/", lang="en"),
    Page("teacher", "/"),
    Page("counsellor", "/"),
    Page("student_health", "/"),
    Page("principal", "/"),
    Page("mentor", "/?status={worklist_signals}&sort=name"),
    Page("principal", "/?sort=talk"),
    Page("mentor", "/", lang="en", action="phone-width"),
    Page("organiser_analyst", "/"),
    Page("regional_coordinator", "/"),
    Page("sending_school", "/"),
    Page("admin", "/"),
    Page("kaa_contact", "/"),
    # The student list and record
    Page("mentor", "/students/"),
    Page("mentor", "/students/?q=a"),
    Page("mentor", "/students/{student}/"),
    Page("counsellor", "/students/{student}/"),
    Page("counsellor", "/students/new/"),
    Page("counsellor", "/students/new/", action="send-the-form-empty"),
    Page("counsellor", "/students/{student}/edit/"),
    Page("counsellor", "/students/{interim_student}/identity/"),
    Page("counsellor", "/students/{student}/legal-representative/"),
    Page("student_health", "/students/{student}/support-needs/"),
    Page("counsellor", "/students/{student}/intake/"),
    # The plan: read, edit, versions, compare, talks, guidance, approval
    Page("mentor", "/plans/"),
    Page("mentor", "/students/{student}/plan/"),
    Page("mentor", "/students/{student}/plan/edit/"),
    Page("mentor", "/students/{student}/plan/edit/", action="phone-width"),
    Page("mentor", "/students/{student}/plan/edit/", action="search-the-catalogue"),
    Page("mentor", "/students/{student}/plan/history/"),
    Page("mentor", "/students/{student}/plan/compare/"),
    Page("mentor", "/students/{student}/plan/talks/new/"),
    Page("counsellor", "/students/{student}/plan/guidance/new/"),
    Page("principal", "/students/{student}/plan/"),
    Page("mentor", "/students/{student}/plan/import/"),
    Page("student_health", "/students/{student}/plan/support-needs/"),
    Page("principal", "/plans/education/"),
    Page("principal", "/plans/education/new/"),
    Page("principal", "/plans/education/{education_plan}/"),
    Page("principal", "/plans/local-courses/"),
    # Progression, grades, attendance, the team overview
    Page("teacher", "/progress/groups/"),
    Page("teacher", "/progress/groups/{course_group}/"),
    Page("teacher", "/progress/groups/{course_group}/", action="choose-the-starting-step"),
    Page("teacher", "/progress/groups/{course_group}/attendance/"),
    Page("mentor", "/progress/teams/"),
    Page("mentor", "/progress/teams/group/{mentor_group}/"),
    Page("principal", "/progress/teams/unit/{unit}/"),
    Page("mentor", "/students/{student}/progress/"),
    Page("principal", "/progress/settings/"),
    Page("principal", "/progress/settings/scales/new/"),
    Page("mentor", "/progress/help/"),
    # Family pages, in Swedish and Arabic (right to left)
    Page("student", "/my/"),
    Page("student", "/my/", lang="ar"),
    Page("student", "/my/", lang="en"),
    Page("student", "/my/students/{student}/", lang="ar"),
    Page("student", "/my/students/{student}/plan/"),
    Page("student", "/my/students/{student}/plan/", lang="ar"),
    Page("student", "/my/students/{student}/progress/"),
    Page("student", "/my/students/{student}/progress/", lang="ar"),
    Page("student", "/my/reads/"),
    Page("student", "/my/reads/", lang="ar"),
    Page("student", "/my/surveys/", lang="ar"),
    Page("student", "/my/surveys/{open_wave}/"),
    Page("student", "/my/surveys/{open_wave}/", lang="ar"),
    Page("student", "/handovers/my/", lang="ar"),
    Page("guardian", "/my/", lang="ar"),
    Page("guardian", "/my/"),
    Page("guardian", "/my/students/{student}/plan/", lang="ar"),
    Page("guardian", "/my/students/{student}/progress/", lang="ar"),
    # Reports, the organisation overview, indicators, reflections
    Page("organiser_analyst", "/quality/"),
    Page("organiser_analyst", "/quality/?breakdown=gender"),
    Page("organiser_analyst", "/quality/overview/"),
    Page("organiser_analyst", "/quality/indicators/"),
    Page("organiser_analyst", "/quality/indicators/{indicator}/"),
    Page("organiser_analyst", "/quality/outcomes/"),
    Page("regional_coordinator", "/quality/"),
    Page("regional_coordinator", "/quality/handovers/"),
    Page("principal", "/quality/reflections/"),
    # The effect chain
    Page("organiser_analyst", "/effect-chain/"),
    Page("organiser_analyst", "/effect-chain/{chain}/"),
    Page("organiser_analyst", "/effect-chain/{chain}/edit/"),
    Page("organiser_analyst", "/effect-chain/{chain}/nodes/new/"),
    Page("organiser_analyst", "/effect-chain/{chain}/notes/new/"),
    Page("organiser_analyst", "/effect-chain/notes/"),
    Page("organiser_analyst", "/effect-chain/nodes/{chain_node}/edit/"),
    Page("organiser_analyst", "/effect-chain/nodes/{chain_node}/indicators/new/"),
    Page("organiser_analyst", "/effect-chain/indicators/{indicator_link}/targets/"),
    Page("principal", "/effect-chain/staff-development/"),
    # The student survey: staff pages
    Page("organiser_analyst", "/surveys/"),
    Page("organiser_analyst", "/surveys/new/"),
    Page("organiser_analyst", "/surveys/{wave}/results/"),
    Page("organiser_analyst", "/surveys/{wave}/edit/"),
    Page("principal", "/surveys/{wave}/free-text/{unit}/"),
    # Handovers
    Page("sending_school", "/handovers/"),
    Page("sending_school", "/handovers/new/"),
    Page("sending_school", "/handovers/{draft_handover}/edit/"),
    Page("sending_school", "/handovers/{draft_handover}/send/"),
    Page("sending_school", "/handovers/{outgoing_handover}/"),
    Page("counsellor", "/handovers/incoming/"),
    Page("counsellor", "/handovers/{incoming_handover}/"),
    Page("regional_coordinator", "/handovers/queue/"),
    Page("principal", "/handovers/settings/"),
    # Outcomes after the programme
    Page("counsellor", "/students/{student}/outcomes/"),
    Page("counsellor", "/students/{student}/exit/"),
    Page("counsellor", "/outcomes/follow-ups/"),
    Page("counsellor", "/outcomes/follow-ups/{follow_up}/"),
    Page("kaa_contact", "/outcomes/activity-responsibility/"),
    # The student register (SS 12000)
    Page("admin", "/interop/"),
    Page("admin", "/interop/organisers/{organiser}/"),
    Page("admin", "/interop/runs/{sync_run}/"),
    Page("principal", "/interop/conflicts/"),
    # Integrations (the REST API's tokens) and the API's documentation (public)
    Page("admin", "/integrations/"),
    Page("admin", "/integrations/{integration}/token/"),
    Page(None, "/api/v1/docs/"),
    Page(None, "/api/v1/redoc/"),
    # Access: staff roles, groups, changes, the read log
    Page("principal", "/access/staff/"),
    Page("principal", "/access/groups/"),
    Page("principal", "/access/changes/"),
    Page("principal", "/audit/"),
    # The admin site, in Swedish
    Page("admin", "/admin/"),
    Page("admin", "/admin/auth/user/"),
    Page("admin", "/admin/auth/user/{admin_user}/change/"),
    Page("admin", "/admin/organisations/organiser/"),
    Page("admin", "/admin/organisations/schoolunit/add/"),
    Page("admin", "/admin/access/roleassignment/"),
    Page("admin", "/admin/jobs/jobrun/"),
    Page("admin", "/admin/people/accesschange/"),
    Page("admin", "/admin/organisations/schoolunit/"),
]


def demo_ids() -> dict[str, object]:
    """The objects the paths name, from the demo data set, each one its user may open."""
    from studievag.access.policy import organiser_ids_for_action
    from studievag.api.models import Integration
    from studievag.effect_chain.models import ChainNode, EffectChain, IndicatorLink
    from studievag.handover.selectors import incoming, outgoing
    from studievag.interop.models import SyncRun
    from studievag.outcomes.models import FollowUp
    from studievag.people.models import Student
    from studievag.plans.models import EducationPlan
    from studievag.progress.scope import course_groups_for, teams_for
    from studievag.quality.indicators import INDICATORS
    from studievag.surveys.scope import managed_waves
    from studievag.surveys.selectors import open_waves_for_student

    users = {u.username: u for u in get_user_model().objects.filter(username__in=_usernames())}
    student = Student.objects.get(user__username="student")
    groups, _units = teams_for(users["mentor"])
    enrolment = student.enrolments.order_by("-start_date").first()
    unit = enrolment.school_unit
    at_unit = Student.objects.filter(enrolments__school_unit=unit).distinct()
    return {
        "student": student.pk,
        "missing_student": Student.objects.order_by("-pk").first().pk + 1000,
        "interim_student": _student_without_personnummer(at_unit.exclude(pk=student.pk)),
        "course_group": course_groups_for(users["teacher"]).first().pk,
        "mentor_group": groups[0].pk,
        "unit": unit.pk,
        "organiser": unit.organiser_id,
        "education_plan": EducationPlan.objects.filter(
            organiser__in=organiser_ids_for_action(users["principal"], "plan.education_plan.view")
        )
        .order_by("pk")
        .first()
        .pk,
        "indicator": next(iter(INDICATORS)),
        "chain": EffectChain.objects.filter(organiser=unit.organiser_id).order_by("pk").first().pk,
        "wave": managed_waves(users["organiser_analyst"]).order_by("-closes_on").first().pk,
        "open_wave": next(w.pk for w, answered in open_waves_for_student(student) if not answered),
        "incoming_handover": incoming(users["counsellor"]).order_by("pk").first().pk,
        "outgoing_handover": outgoing(users["sending_school"]).order_by("pk").first().pk,
        "follow_up": FollowUp.objects.order_by("pk").first().pk,
        "draft_handover": outgoing(users["sending_school"]).filter(status="draft").order_by("pk").first().pk,
        "chain_node": ChainNode.objects.filter(chain__organiser=unit.organiser_id).order_by("pk").first().pk,
        "indicator_link": IndicatorLink.objects.filter(node__chain__organiser=unit.organiser_id)
        .order_by("pk")
        .first()
        .pk,
        "sync_run": SyncRun.objects.order_by("pk").first().pk,
        "admin_user": users["admin"].pk,
        "worklist_signals": "signals",
        "integration": Integration.objects.order_by("pk").first().pk,
    }


def _student_without_personnummer(students) -> int:
    """A student registered with a number that is not a personnummer (a small demo may have none:
    then one gets a reserve number, as a student who arrived without one would)."""
    from studievag.people.identity import reserve_number
    from studievag.people.models import Student

    found = next((s for s in students if s.identity_kind != "personnummer"), None)
    if found is None:
        found = students.first()
        Student.objects.filter(pk=found.pk).update(personal_identity_number=reserve_number(found.date_of_birth, 981))
    return found.pk


def _started_high(course_group_pk: int) -> None:
    """One student of the course group was mapped at the course goal's step at intake, the
    darkest colour of the shipped scales: the start mark must stay readable on it."""
    from studievag.enrolments.models import StudentGroup
    from studievag.intake.models import StartingLevel
    from studievag.progress.services import scale_for_group

    group = StudentGroup.objects.get(pk=course_group_pk)
    level = StartingLevel.objects.filter(subject=group.course.subject, mapping__student__in=group.members.all()).first()
    goal = max(scale_for_group(group).steps.all(), key=lambda step: step.position)
    StartingLevel.objects.filter(pk=level.pk).update(step=goal)


def _choose_the_starting_step(page) -> None:
    """Choose, for the student who started highest, the step they started on: the start
    mark then sits on the chosen cell's colour."""
    cells = page.locator("td.step-cell:has(.start-mark)")
    positions = [int(c.locator("input[type=radio]").get_attribute("data-position")) for c in cells.all()]
    cell = cells.nth(positions.index(max(positions)))
    cell.locator("input[type=radio]").check()
    cell.locator("xpath=ancestor::tr").locator(".save-state").filter(has_text="✓").wait_for()


def _send_the_form_empty(page) -> None:
    """Send the page's main form as it is: the page comes back with its error summary."""
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()


def _search_the_catalogue(page) -> None:
    """The plan form's course picker open on its results, one of them marked."""
    field = page.locator("input[data-course-picker]").first
    field.click()
    field.fill("matematik")
    page.locator(".combo-list:not([hidden]) [role=option]").first.wait_for()
    field.press("ArrowDown")


def _phone_width(page) -> None:
    """The page at a phone's width (375 px), where the layout changes."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()


# What to do on a page before it is audited, so that a state the page reaches only
# after a click (a chosen cell, an open panel) is audited too.
ACTIONS = {
    "choose-the-starting-step": _choose_the_starting_step,
    "send-the-form-empty": _send_the_form_empty,
    "phone-width": _phone_width,
    "search-the-catalogue": _search_the_catalogue,
}


def _usernames() -> set[str]:
    return {p.user for p in PAGES if p.user}


@pytest.fixture
def audited_context(browser, live_server):
    axe_script()
    context = browser.new_context(bypass_csp=True, locale="sv-SE", timezone_id="Europe/Stockholm")
    yield context
    context.close()


def _session_cookie(live_server, username: str) -> dict:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def _screenshots(page, directory: str, p: Page) -> None:
    name = re.sub(r"[^a-z0-9]+", "-", f"{p.user}-{p.path}-{p.lang}".lower()).strip("-")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{directory}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})


def test_every_kind_of_page_meets_wcag_21_aa(transactional_db, live_server, audited_context):
    demo_seed(students=40, today=timezone.localdate())
    ids = demo_ids()
    _started_high(ids["course_group"])
    cookies = {u: _session_cookie(live_server, u) for u in _usernames()}
    page = audited_context.new_page()
    failures, audited = [], 0
    only = os.environ.get("AXE_ONLY", "").split(",")  # AXE_ONLY=/handovers/,/my/ audits just those rows
    shots = os.environ.get("AXE_SCREENSHOTS", "")  # a directory: each audited page at 1280 and 375 px
    for p in [p for p in PAGES if any(o in p.path for o in only)]:
        where = f"{p.user} {p.path} ({p.lang})"
        audited_context.clear_cookies()
        audited_context.add_cookies(
            [{"name": "django_language", "value": p.lang, "url": live_server.url}]
            + ([cookies[p.user]] if p.user else [])
        )
        page.set_viewport_size({"width": 1280, "height": 720})
        response = page.goto(live_server.url + p.path.format(**ids))
        if response is None or response.status != p.status:
            failures.append(f"{where}: HTTP {response and response.status}, not {p.status}")
            continue
        if p.action:
            ACTIONS[p.action](page)
        violations = axe_violations(page)
        audited += 1
        if shots:
            _screenshots(page, shots, p)
        if violations:
            failures.append(f"{where}:\n{describe(violations)}")
    page.close()
    print(f"\nAccessibility audit: {audited} of {len(PAGES)} pages audited, {len(failures)} with problems")
    assert not failures, f"{len(failures)} of {len(PAGES)} pages fail:\n" + "\n".join(failures)
