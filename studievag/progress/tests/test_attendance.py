"""Attendance: the weekly grid and the CSV import, all or nothing with errors per row."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from studievag.progress.models import AttendanceWeek

MONDAY = datetime.date(2026, 9, 7)


def csv_file(*lines):
    text = "personal_identity_number,week_start,scheduled_minutes,valid_absence_minutes,invalid_absence_minutes\n"
    return SimpleUploadedFile("a.csv", (text + "\n".join(lines) + "\n").encode(), "text/csv")


def test_the_grid_saves_a_week(cast, maths, login):
    client = login(cast.teacher_a)
    response = client.post(
        reverse("progress:attendance", args=[maths.pk]),
        {
            "week": MONDAY.isoformat(),
            f"scheduled-{cast.alice.pk}": "240",
            f"valid-{cast.alice.pk}": "30",
            f"invalid-{cast.alice.pk}": "10",
            f"scheduled-{cast.adam.pk}": "",  # left empty: not saved
        },
        follow=True,
    )
    assert "Attendance saved for 1 student(s)." in response.content.decode()
    row = AttendanceWeek.objects.get()
    assert (
        row.student,
        row.course,
        row.week_start,
        row.scheduled_minutes,
        row.valid_absence_minutes,
        row.invalid_absence_minutes,
    ) == (cast.alice, maths.course, MONDAY, 240, 30, 10)
    assert (
        'value="240"'
        in client.get(reverse("progress:attendance", args=[maths.pk]) + f"?week={MONDAY}").content.decode()
    )


def test_absence_beyond_the_schedule_saves_nothing_and_names_the_student(cast, maths, login):
    response = login(cast.teacher_a).post(
        reverse("progress:attendance", args=[maths.pk]),
        {
            "week": MONDAY.isoformat(),
            f"scheduled-{cast.adam.pk}": "100",
            f"scheduled-{cast.alice.pk}": "60",
            f"invalid-{cast.alice.pk}": "90",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert ("Row Alice Andersson: absence: valid and invalid absence together exceed the scheduled minutes") in html
    assert 'value="90"' in html  # what was typed stays, to be corrected
    assert not AttendanceWeek.objects.exists()


def test_csv_import_saves_every_row(cast, maths, login):
    client = login(cast.teacher_a)
    response = client.post(
        reverse("progress:attendance_import", args=[maths.pk]),
        {
            "file": csv_file(
                f"{cast.alice.personal_identity_number},{MONDAY},240,0,60",
                f"{cast.adam.formatted_identity_number},{MONDAY},240,20,0",
            ),
        },
        follow=True,
    )
    assert "2 row(s) imported." in response.content.decode()
    assert sorted(AttendanceWeek.objects.values_list("student__first_name", "invalid_absence_minutes")) == [
        ("Adam", 0),
        ("Alice", 60),
    ]


def test_csv_import_names_each_bad_row_and_field_and_saves_nothing(cast, maths, login):
    response = login(cast.teacher_a).post(
        reverse("progress:attendance_import", args=[maths.pk]),
        {
            "file": csv_file(
                f"{cast.alice.personal_identity_number},{MONDAY},240,0,60",  # fine
                f"{cast.bertil.personal_identity_number},{MONDAY},240,0,0",  # not in the group
                f"{cast.adam.personal_identity_number},2026-09-08,240,0,0",  # a Tuesday
                f"{cast.adam.personal_identity_number},{MONDAY},abc,0,0",
                "12345,2026-09-07,100,0,0",
                f"{cast.adam.personal_identity_number},{MONDAY},100,60,60",
            ),
        },
    )
    assert response.status_code == 400
    errors = response.context["errors"]
    assert errors == [
        "Row 3: personal_identity_number: no student with this number in the course group",
        "Row 4: week_start: 2026-09-08 is not a Monday",
        "Row 5: scheduled_minutes: “abc” is not a whole number of minutes",
        "Row 6: personal_identity_number: “12345” is not a valid identity number",
        "Row 7: absence: valid and invalid absence together exceed the scheduled minutes",
    ]
    assert "nothing was saved" in response.content.decode()
    assert not AttendanceWeek.objects.exists()


def test_csv_import_without_the_columns_says_which_are_missing(cast, maths, login):
    upload = SimpleUploadedFile("a.csv", b"pnr;week\n1;2\n", "text/csv")
    response = login(cast.teacher_a).post(reverse("progress:attendance_import", args=[maths.pk]), {"file": upload})
    assert response.status_code == 400
    assert response.context["errors"] == [
        (
            "The file lacks the columns: personal_identity_number, week_start, scheduled_minutes, "
            "valid_absence_minutes, invalid_absence_minutes"
        )
    ]


def test_csv_import_reads_semicolons_too(cast, maths, login):
    text = (
        "personal_identity_number;week_start;scheduled_minutes;valid_absence_minutes;"
        f"invalid_absence_minutes\n{cast.alice.personal_identity_number};{MONDAY};120;0;0\n"
    )
    login(cast.teacher_a).post(
        reverse("progress:attendance_import", args=[maths.pk]),
        {"file": SimpleUploadedFile("a.csv", text.encode(), "text/csv")},
    )
    assert AttendanceWeek.objects.get().scheduled_minutes == 120


def test_the_template_lists_the_group_but_never_a_protected_student(cast, maths, login):
    from studievag.enrolments.models import GroupMembership

    GroupMembership.objects.create(group=maths, student=cast.protected, start_date=MONDAY - datetime.timedelta(days=30))
    response = login(cast.teacher_a).get(reverse("progress:attendance_template", args=[maths.pk]) + f"?week={MONDAY}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "personal_identity_number,week_start,scheduled_minutes,valid_absence_minutes,invalid_absence_minutes"
    )
    assert sorted(lines[1:]) == sorted(
        [f"{cast.alice.personal_identity_number},{MONDAY},,0,0", f"{cast.adam.personal_identity_number},{MONDAY},,0,0"]
    )
    assert cast.protected.personal_identity_number not in response.content.decode()
