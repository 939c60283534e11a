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


@pytest.mark.browser
def test_teacher_imports_what_swedish_excel_saves_as_csv(transactional_db, live_server, page, cast, tmp_path):
    """Excel's "CSV (semikolonavgränsad)" on a Swedish Windows: Windows-1252, semicolons, a decimal comma."""
    from studievag.progress.models import AttendanceWeek

    group = ensure_course(cast).course_group_a
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    export = tmp_path / "närvaro.csv"
    export.write_bytes(
        (
            "Klass;Elev;Personnummer;Veckans måndag;Schemalagd tid (tim);"
            "Giltig frånvaro (min);Ogiltig frånvaro (min)\r\n"
            f"IMSPR1;Andersson, Alice;{cast.alice.formatted_identity_number};{monday};4,5;30;0\r\n"
            f"IMSPR1;Abdi, Adam;{cast.adam.formatted_identity_number};{monday};4,5;0;15\r\n"
        ).encode("cp1252")
    )
    _log_in(page, live_server, "teacher_a")
    page.goto(f"{live_server.url}/progress/groups/{group.pk}/attendance/?week={monday}")
    page.set_input_files("input[type=file][name=file]", str(export))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path="var/screenshot-attendance-import.png", full_page=True)
    assert sorted(
        AttendanceWeek.objects.values_list(
            "student_id", "scheduled_minutes", "valid_absence_minutes", "invalid_absence_minutes"
        )
    ) == sorted([(cast.alice.pk, 270, 30, 0), (cast.adam.pk, 270, 0, 15)])
    # Back on the week's page, the grid shows the imported minutes.
    assert page.locator(f"input[name='scheduled-{cast.alice.pk}']").input_value() == "270"
    assert page.locator(f"input[name='invalid-{cast.adam.pk}']").input_value() == "15"
    assert page.locator(".messages .message.success").is_visible()


@pytest.mark.browser
def test_a_bad_row_in_a_swedish_file_is_named_in_swedish_and_nothing_is_saved(
    transactional_db, live_server, page, cast, tmp_path
):
    from studievag.progress.models import AttendanceWeek

    group = ensure_course(cast).course_group_a
    export = tmp_path / "närvaro.csv"
    export.write_bytes(
        (
            "Personnummer;Vecka;Schemalagd tid (minuter);Giltig frånvaro (minuter);Ogiltig frånvaro (minuter)\r\n"
            f"{cast.alice.formatted_identity_number};v. 37 2026;240;0;0\r\n"
            f"{cast.adam.formatted_identity_number};v. 37 2026;två timmar;0;0\r\n"
        ).encode("cp1252")
    )
    _log_in(page, live_server, "teacher_a")
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    page.goto(f"{live_server.url}/progress/groups/{group.pk}/attendance/")
    page.set_input_files("input[type=file][name=file]", str(export))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path="var/screenshot-attendance-import-error.png", full_page=True)
    assert page.locator(".import-errors li").all_inner_texts() == [
        "Rad 3, kolumn C ”Schemalagd tid (minuter)”: ”två timmar” är inte en siffra"
    ]
    assert not AttendanceWeek.objects.exists()
