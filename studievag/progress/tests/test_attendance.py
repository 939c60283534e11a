"""Attendance: the weekly grid and the file import, all or nothing with errors per row and column."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from studievag.enrolments.models import GroupMembership
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
    assert "Attendance saved for 1 student." in response.content.decode()
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
    assert (
        "Alice Andersson: the absence, 90 minutes valid and invalid together, "
        "is more than the scheduled time, 60 minutes"
    ) in html
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
    assert "2 rows imported." in response.content.decode()
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
        f"Row 3, column A “personal_identity_number”: no student in the course group has the number "
        f"{cast.bertil.personal_identity_number}",
        "Row 4, column B “week_start”: 2026-09-08 is a Tuesday, not a Monday",
        "Row 5, column C “scheduled_minutes”: “abc” is not a figure",
        "Row 6, column A “personal_identity_number”: “12345” is not a personal identity number",
        "Row 7: the absence, 120 minutes valid and invalid together, is more than the scheduled time, 100 minutes",
    ]
    assert "nothing was saved" in response.content.decode()
    assert not AttendanceWeek.objects.exists()


def test_csv_import_without_the_columns_says_what_is_missing(cast, maths, login):
    upload = SimpleUploadedFile("a.csv", b"personnummer;klass\n1;2\n", "text/csv")
    response = login(cast.teacher_a).post(reverse("progress:attendance_import", args=[maths.pk]), {"file": upload})
    assert response.status_code == 400
    assert response.context["errors"] == [
        "No header row was found in the first 10 rows. The file needs a column with the student's personal "
        "identity number (or name), and columns with the scheduled time and the absence, e.g. “Personnummer”, "
        "“Schemalagd tid (minuter)”, “Giltig frånvaro (minuter)”, “Ogiltig frånvaro (minuter)”."
    ]
    upload = SimpleUploadedFile("a.csv", b"personnummer;schemalagd tid;giltig\n1;2;3\n", "text/csv")
    response = login(cast.teacher_a).post(reverse("progress:attendance_import", args=[maths.pk]), {"file": upload})
    assert response.context["errors"] == [
        "The file lacks the week (“Vecka (måndag)”).",
        "The file lacks how much absence was valid and how much invalid: two of the columns “Giltig frånvaro”, "
        "“Ogiltig frånvaro”, “Frånvaro” (all absence) and “Närvaro”.",
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


def test_the_csv_template_lists_the_group_fills_in_the_week_and_never_a_protected_student(cast, maths, login):
    GroupMembership.objects.create(group=maths, student=cast.protected, start_date=MONDAY - datetime.timedelta(days=30))
    AttendanceWeek.objects.create(
        student=cast.alice,
        course=maths.course,
        week_start=MONDAY,
        scheduled_minutes=240,
        valid_absence_minutes=30,
        invalid_absence_minutes=0,
        recorded_by=cast.teacher_a,
    )
    response = login(cast.teacher_a).get(reverse("progress:attendance_template", args=[maths.pk]) + f"?week={MONDAY}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    assert response["Content-Disposition"] == 'attachment; filename="attendance-matematik-a-2026-09-07.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Personal identity number;Name;Week (Monday);Scheduled time (minutes);Valid absence (minutes);"
        "Invalid absence (minutes)"
    )
    assert lines[1:] == [
        f"{cast.adam.formatted_identity_number};Adam Abdi;{MONDAY};;;",
        f"{cast.alice.formatted_identity_number};Alice Andersson;{MONDAY};240;30;0",
    ]
    assert cast.protected.personal_identity_number[:8] not in response.content.decode("utf-8-sig")


def test_the_template_in_swedish_has_swedish_headers(cast, maths, client):
    client.force_login(cast.teacher_a)
    client.cookies["django_language"] = "sv"
    with translation.override("sv"):
        response = client.get(reverse("progress:attendance_template", args=[maths.pk]) + f"?week={MONDAY}")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == (
        "Personnummer;Namn;Vecka (måndag);Schemalagd tid (minuter);Giltig frånvaro (minuter);Ogiltig frånvaro (minuter)"
    )
    assert "narvaro-matematik-a-2026-09-07.csv" in response["Content-Disposition"]


def test_the_xlsx_template_filled_in_and_imported_saves_the_week(cast, maths, login):
    client = login(cast.teacher_a)
    response = client.get(reverse("progress:attendance_template_xlsx", args=[maths.pk]) + f"?week={MONDAY}")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Personal identity number", "Name", "Week (Monday)")
    assert [r[:2] for r in rows[1:]] == [
        (cast.adam.formatted_identity_number, "Adam Abdi"),
        (cast.alice.formatted_identity_number, "Alice Andersson"),
    ]
    assert rows[1][2].date() == MONDAY
    sheet["D2"], sheet["E2"], sheet["F2"] = 300, 0, 45  # Adam; Alice's row left empty
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("närvaro.xlsx", out.getvalue())
    response = client.post(reverse("progress:attendance_import", args=[maths.pk]), {"file": upload}, follow=True)
    assert "1 row imported. 1 row without figures was passed over." in response.content.decode()
    row = AttendanceWeek.objects.get()
    assert (row.student, row.week_start, row.scheduled_minutes, row.invalid_absence_minutes) == (
        cast.adam,
        MONDAY,
        300,
        45,
    )


def test_a_swedish_excel_csv_in_windows_1252_with_percentages_and_week_numbers(cast, maths, login):
    """As Swedish Excel saves "CSV (semikolonavgränsad)": cp1252, semicolons, decimal commas, a title row."""
    text = (
        "Närvarorapport Matematik A;;;;\r\n"
        "Elev;Personnummer;Vecka;Schemalagd tid (timmar);Närvaro (%);Ogiltig frånvaro (%)\r\n"
        f"Andersson, Alice;{cast.alice.formatted_identity_number};v. 37;4,5;87,5;2,5\r\n"
        f"Abdi, Adam;;v. 37;4;100;0\r\n"
    )
    response = login(cast.teacher_a).post(
        reverse("progress:attendance_import", args=[maths.pk]),
        {"file": SimpleUploadedFile("närvaro.csv", text.encode("cp1252"), "text/csv"), "week": "2026-11-23"},
        follow=True,
    )
    assert "2 rows imported." in response.content.decode(), response.context.get("errors")
    saved = {
        a.student: (
            a.week_start.isocalendar().week,
            a.scheduled_minutes,
            a.valid_absence_minutes,
            a.invalid_absence_minutes,
        )
        for a in AttendanceWeek.objects.all()
    }
    # 4.5 h = 270 minutes; 87.5 % present, 2.5 % invalid: 236 present, 7 invalid, 27 valid.
    assert saved == {cast.alice: (37, 270, 27, 7), cast.adam: (37, 240, 0, 0)}


def test_a_file_without_a_week_column_is_the_week_the_page_shows(cast, maths, login):
    text = (
        "Personnummer\tSchemalagd tid\tGiltig frånvaro\tOgiltig frånvaro\n"
        f"{cast.alice.personal_identity_number}\t200\t0\t20\n"
    )
    login(cast.teacher_a).post(
        reverse("progress:attendance_import", args=[maths.pk]),
        {"file": SimpleUploadedFile("a.txt", text.encode("utf-16"), "text/plain"), "week": MONDAY.isoformat()},
    )
    assert AttendanceWeek.objects.get().week_start == MONDAY


def test_a_student_found_by_name_and_the_names_that_are_not(cast, maths, login):
    text = (
        "Namn;Vecka (måndag);Schemalagd tid (minuter);Giltig frånvaro (minuter);Ogiltig frånvaro (minuter)\n"
        f"alice andersson;{MONDAY};100;0;0\n"
        f"Bertil Bengtsson;{MONDAY};100;0;0\n"
    )
    response = login(cast.teacher_a).post(
        reverse("progress:attendance_import", args=[maths.pk]),
        {"file": SimpleUploadedFile("a.csv", text.encode(), "text/csv")},
    )
    assert response.context["errors"] == [
        f"Row 3, column A “Namn”: no student in the course group is called “{cast.bertil.full_name}”"
    ]
    assert not AttendanceWeek.objects.exists()


def test_an_old_excel_file_and_a_file_that_is_not_text_say_what_to_do(cast, maths, login):
    client = login(cast.teacher_a)
    url = reverse("progress:attendance_import", args=[maths.pk])
    old = client.post(url, {"file": SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100)})
    assert old.context["errors"] == ["Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV."]
    broken = client.post(url, {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken")})
    assert broken.context["errors"] == ["The file could not be read as an Excel workbook (.xlsx)."]
    assert not AttendanceWeek.objects.exists()
