"""The attendance file reader: encodings, separators, headers and cells, over many inputs (hypothesis)."""

import codecs
import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studievag.progress import attendance_file as af

ON = datetime.date(2026, 11, 25)

# Cells as people type them: Swedish letters, spaces, quotes, separators inside.
CELL = st.text(
    alphabet=st.sampled_from("abcåäöÅÄÖéü 0123456789-;,\t\"'%:"),
    max_size=12,
).map(str.strip)
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]
DELIMITERS = [";", ",", "\t"]
HEADER = ["Personnummer", "Namn", "Vecka", "Schemalagd tid (minuter)", "Giltig frånvaro", "Ogiltig frånvaro"]


def _write(rows, delimiter, encoding) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.lists(st.lists(CELL, min_size=6, max_size=6), min_size=1, max_size=8),
    delimiter=st.sampled_from(DELIMITERS),
    encoding=st.sampled_from(ENCODINGS),
)
def test_any_table_comes_back_cell_for_cell_in_every_encoding_and_separator(body, delimiter, encoding):
    data = _write([HEADER, *body], delimiter, encoding)
    sheet = af.read_sheet(data)
    assert {c.field for c in sheet.columns.values()} == {
        af.Field.IDENTITY,
        af.Field.NAME,
        af.Field.WEEK,
        af.Field.SCHEDULED,
        af.Field.VALID,
        af.Field.INVALID,
    }
    expected = [(n, row) for n, row in enumerate(body, start=2) if any(row)]
    assert [(n, [str(c) for c in cells]) for n, cells in sheet.rows] == expected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_rows_or_a_message_never_a_crash(data):
    try:
        af.read_sheet(data)
    except ValidationError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)


@given(st.integers(min_value=0, max_value=10_080))
def test_minutes_written_as_people_write_them(n):
    column = af.Column(af.Field.SCHEDULED, af.Unit.MINUTES, 3, "Schemalagd tid")
    hours = af.Column(af.Field.SCHEDULED, af.Unit.HOURS, 3, "Schemalagd tid (timmar)")
    forms = [str(n), f"{n},0", f"{n}.0", f"{n // 60}:{n % 60:02d}", f"{n:,}".replace(",", " "), float(n), n]
    assert {af.minutes(f, column, None) for f in forms} == {n}
    assert af.minutes(f"{n / 60:.6f}".replace(".", ","), hours, None) == n


@given(st.integers(min_value=0, max_value=3000), st.integers(min_value=0, max_value=1000))
def test_a_percentage_is_of_the_scheduled_time_and_never_more(scheduled, permille):
    column = af.Column(af.Field.VALID, af.Unit.PERCENT, 4, "Giltig frånvaro (%)")
    value = f"{permille / 10:.1f}".replace(".", ",")
    result = af.minutes(value, column, scheduled)
    assert 0 <= result <= scheduled
    assert result == round(scheduled * permille / 1000)
    # The value's own percent sign counts even in a column of minutes.
    plain = af.Column(af.Field.VALID, af.Unit.MINUTES, 4, "Giltig frånvaro")
    assert af.minutes(value + " %", plain, scheduled) == result


@pytest.mark.parametrize("value", ["-5", "abc", "1,5", "12 34", "1e3", "10:75"])
def test_what_is_not_whole_minutes_is_refused_with_the_value(value):
    column = af.Column(af.Field.SCHEDULED, af.Unit.MINUTES, 3, "Schemalagd tid")
    with pytest.raises(ValueError, match=r"”|“"):
        af.minutes(value, column, None)


@given(st.dates(min_value=datetime.date(2000, 1, 3), max_value=datetime.date(2099, 12, 28)))
def test_every_way_of_writing_a_week_gives_its_monday(day):
    monday = day - datetime.timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    written = [
        monday,
        datetime.datetime.combine(monday, datetime.time()),
        monday.isoformat(),
        f"{monday.isoformat()} 00:00:00",
        f"{monday.isoformat()} – {(monday + datetime.timedelta(days=6)).isoformat()}",
        f"{year}-W{week:02d}",
        f"v. {week} {year}",
        f"vecka {week}, {year}",
    ]
    assert {af.week_monday(w, on=ON) for w in written} == {monday}


def test_a_week_number_alone_is_the_latest_such_week_begun():
    assert af.week_monday("v. 37", on=ON) == datetime.date(2026, 9, 7)
    assert af.week_monday(48, on=ON) == datetime.date(2026, 11, 23)
    assert af.week_monday("49", on=ON) == datetime.date(2025, 12, 1)  # week 49 of 2026 has not begun


def test_a_day_that_is_not_a_monday_is_named():
    with pytest.raises(ValueError, match="2026-09-09 is a Wednesday, not a Monday"):
        af.week_monday("2026-09-09", on=ON)


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Personnummer", (af.Field.IDENTITY, af.Unit.MINUTES)),
        ("personal_identity_number", (af.Field.IDENTITY, af.Unit.MINUTES)),
        ("Elev", (af.Field.NAME, af.Unit.MINUTES)),
        ("Elevens namn", (af.Field.NAME, af.Unit.MINUTES)),
        ("Efternamn", (af.Field.LAST_NAME, af.Unit.MINUTES)),
        ("Veckans måndag", (af.Field.WEEK, af.Unit.MINUTES)),
        ("Schemalagd tid (h)", (af.Field.SCHEDULED, af.Unit.HOURS)),
        ("Schemalagda minuter", (af.Field.SCHEDULED, af.Unit.MINUTES)),
        ("Närvaro %", (af.Field.PRESENT, af.Unit.PERCENT)),
        ("Närvaro (procent)", (af.Field.PRESENT, af.Unit.PERCENT)),
        ("Giltig frånvaro (tim)", (af.Field.VALID, af.Unit.HOURS)),
        ("Ogiltig frånvaro", (af.Field.INVALID, af.Unit.MINUTES)),
        ("Oanmäld frånvaro", (af.Field.INVALID, af.Unit.MINUTES)),
        ("Frånvaro totalt (min)", (af.Field.ABSENT, af.Unit.MINUTES)),
        ("invalid_absence_minutes", (af.Field.INVALID, af.Unit.MINUTES)),
        ("Klass", None),
        ("Kurs", None),
    ],
)
def test_headers_swedish_schools_use(header, expected):
    assert af.classify(header) == expected


def test_the_delimiter_is_the_one_that_splits_the_header_most_even_with_commas_in_quotes():
    assert af.sniff_delimiter('"Efternamn, förnamn";Personnummer;Vecka\n') == ";"
    assert af.sniff_delimiter("a,b,c\n") == ","
    assert af.sniff_delimiter("a\tb\tc;d\n") == "\t"


def test_encodings_are_told_apart():
    text = "Frånvaro;Närvaro\n"
    assert af.decode(text.encode("cp1252")) == text
    assert af.decode(codecs.BOM_UTF8 + text.encode()) == text
    assert af.decode(text.encode("utf-16")) == text
    with pytest.raises(ValidationError):
        af.decode(b"\x81\x8d\x8f\x90\x9d" + b"\xff" * 3)


def test_two_columns_saying_the_same_thing_are_named():
    data = "Personnummer;Schemalagd tid;Närvaro (%);Närvaro (minuter)\n1;2;3;4\n".encode()
    with pytest.raises(ValidationError) as raised:
        af.read_sheet(data)
    assert raised.value.messages == [
        "Columns C “Närvaro (%)” and D “Närvaro (minuter)” say the same thing: keep one of them."
    ]
