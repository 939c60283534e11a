"""The main journey: a teacher records steps for a group with the keyboard; the team
overview then shows the new colours.

Selectors use names, data attributes and classes rather than words, so the test
holds in every interface language.
"""

import datetime

import pytest
from django.utils import timezone

from studievag.enrolments.models import GroupMembership
from studievag.intake.models import IntakeMapping, StartingLevel

from .helpers import ensure_course, maths_step


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "secret-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_teacher_records_steps_with_the_keyboard_and_the_team_sees_the_colours(
    transactional_db, live_server, page, cast
):
    group = ensure_course(cast).course_group_a
    alice, adam = cast.alice, cast.adam
    # The course started 100 days ago: a student still on step 1 is far behind the line.
    GroupMembership.objects.filter(group=group).update(start_date=timezone.localdate() - datetime.timedelta(days=100))
    for student in (alice, adam):  # both mapped at step 1 when the course started
        mapping = IntakeMapping.objects.create(
            student=student,
            mapped_on=timezone.localdate() - datetime.timedelta(days=100),
            recorded_by=cast.counsellor_a,
        )
        StartingLevel.objects.create(mapping=mapping, subject=group.course.subject, step=maths_step(1))
    rows = {s.pk: f"tr[data-student='{s.pk}']" for s in (alice, adam)}

    _log_in(page, live_server, "teacher_a")
    page.goto(f"{live_server.url}/progress/groups/{group.pk}/")
    first = page.locator("tbody tr[data-student]").first
    first.locator("input[type=radio]").first.focus()
    first_id = int(first.get_attribute("data-student"))
    second_id = adam.pk if first_id == alice.pk else alice.pk
    # Number key 4 for the first student, arrow down, number key 1 for the second.
    # Before: both on their starting level, far behind the line.
    assert page.locator(f"{rows[first_id]} .status-cell .status-far_behind").count() == 1
    page.keyboard.press("4")
    page.locator(f"{rows[first_id]} .save-state", has_text="✓").wait_for()
    assert page.locator(f"{rows[first_id]} .status-cell .status-in_line").count() == 1
    page.keyboard.press("ArrowDown")
    page.keyboard.press("1")
    page.locator(f"{rows[second_id]} .save-state", has_text="✓").wait_for()
    assert page.locator(f"{rows[second_id]} .status-cell .status-far_behind").count() == 1
    assert page.locator(f"{rows[second_id]} input[data-position='1']").is_checked()
    # Saved without reloading: a fresh load of the grid shows both steps as recorded today.
    page.reload()
    assert page.locator(f"{rows[first_id]} input[data-position='4']").is_checked()
    assert page.locator(f"{rows[second_id]} input[data-position='1']").is_checked()

    _log_in(page, live_server, "mentor_a")
    page.goto(f"{live_server.url}/progress/teams/group/{cast.mentor_group_a.pk}/")
    assert page.locator(f"{rows[first_id]} .course-chip.status-in_line").count() == 1
    assert page.locator(f"{rows[second_id]} .course-chip.status-far_behind").count() == 1


@pytest.mark.browser
def test_moving_with_the_keyboard_never_saves(transactional_db, live_server, page, cast):
    from studievag.progress.models import GradeRecord, ProgressRecord

    group = ensure_course(cast).course_group_a
    _log_in(page, live_server, "teacher_a")
    page.goto(f"{live_server.url}/progress/groups/{group.pk}/")
    first = page.locator("tbody tr[data-student]").first
    first.locator("input[type=radio]").first.focus()
    # Along the steps, down the rows, Tab to the grade list and through its values.
    for key in ("ArrowRight", "ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp", "Tab"):
        page.keyboard.press(key)
    for key in ("ArrowDown", "ArrowDown", "ArrowUp", "ArrowDown"):
        page.keyboard.press(key)
    page.wait_for_timeout(500)
    assert ProgressRecord.objects.count() == 0
    assert GradeRecord.objects.count() == 0
    # A grade is set with its button.
    page.locator("tbody tr[data-student]").first.locator(".grade-save").click()
    page.wait_for_load_state()
    page.wait_for_timeout(500)
    assert GradeRecord.objects.count() == 1
