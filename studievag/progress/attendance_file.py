"""Reading the attendance files Swedish schools have: Excel's CSV and .xlsx.

What a school exports from its attendance system, or saves from Excel, is
read as it is:

* **CSV** in UTF-8 (with or without the byte-order mark Excel writes), in
  Windows-1252 (what Swedish Excel's "CSV (semikolonavgränsad)" gives), or in
  UTF-16 ("Unicode-text"); separated by semicolons, commas or tabs, whichever
  splits the header line into the most columns.
* **Excel workbooks (.xlsx)**: the first sheet; dates, times of day
  (``4:30``) and percentage cells as Excel stores them.
* **Headers in Swedish or English**, in any order, with other columns
  (class, course, …) ignored. A title row or two above the header is
  skipped. The columns are found by what their header says, see
  :data:`HEADER_WORDS`; the unit by the header's "(minuter)", "(timmar)" or
  "(%)" or by the value itself (``3:45``, ``12,5 %``).

This module only reads: it turns bytes into :class:`Sheet` (the header
columns found, and every row's cells by field). Which student a row is and
whether the figures add up is for ``services.attendance_import``. Errors are
``ValidationError`` with messages for the person who chose the file.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from studievag.cells import safe_row

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 100  # columns read of a workbook's sheet (exports have a dozen)
HEADER_SEARCH_ROWS = 10  # the header may sit below a title row or two


class Field(StrEnum):
    IDENTITY = "identity"
    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    WEEK = "week"
    SCHEDULED = "scheduled"
    PRESENT = "present"
    ABSENT = "absent"  # all absence, valid and invalid together
    VALID = "valid"
    INVALID = "invalid"


class Unit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    PERCENT = "percent"  # of the scheduled time


# The columns of the downloadable template, in its order; their headers are
# translated, and a header in any interface language is read back.
TEMPLATE_HEADERS = [
    (Field.IDENTITY, gettext_lazy("Personal identity number")),
    (Field.NAME, gettext_lazy("Name")),
    (Field.WEEK, gettext_lazy("Week (Monday)")),
    (Field.SCHEDULED, gettext_lazy("Scheduled time (minutes)")),
    (Field.VALID, gettext_lazy("Valid absence (minutes)")),
    (Field.INVALID, gettext_lazy("Invalid absence (minutes)")),
]

# What a header says, after lower-casing and with the unit in brackets taken
# off. The first list whose word (or phrase) the header contains wins, so the
# more specific come first ("ogiltig frånvaro" before "frånvaro").
HEADER_WORDS: list[tuple[Field, tuple[str, ...]]] = [
    (Field.INVALID, ("ogiltig", "oanmäld", "invalid absence", "unexcused", "unauthorised")),
    (Field.VALID, ("giltig", "anmäld", "valid absence", "excused", "authorised")),
    (Field.SCHEDULED, ("schemalagd", "schemalagda", "schematid", "lektionstid", "planerad tid", "scheduled")),
    (Field.ABSENT, ("frånvaro", "absence", "absent")),
    (Field.PRESENT, ("närvaro", "närvarande", "närvarotid", "attendance", "present")),
    (
        Field.IDENTITY,
        (
            "personnummer",
            "personnr",
            "pnr",
            "samordningsnummer",
            "identity number",
            "civic",
        ),
    ),
    (Field.FIRST_NAME, ("förnamn", "first name", "given name")),
    (Field.LAST_NAME, ("efternamn", "last name", "surname", "family name")),
    (Field.NAME, ("namn", "elev", "name", "student")),
    (Field.WEEK, ("veckans måndag", "vecka", "veckostart", "week", "datum", "date", "måndag", "monday")),
]

UNIT_WORDS: list[tuple[Unit, tuple[str, ...]]] = [
    (Unit.PERCENT, ("%", "procent", "percent", "andel", "share")),
    (Unit.HOURS, ("timmar", "tim", "hours", "h", "tid i timmar")),
    (Unit.MINUTES, ("minuter", "min", "minutes", "mins")),
]

NUMBER_FIELDS = (Field.SCHEDULED, Field.PRESENT, Field.ABSENT, Field.VALID, Field.INVALID)


@dataclass(frozen=True)
class Column:
    field: Field
    unit: Unit
    index: int
    header: str

    @property
    def letter(self) -> str:
        """The spreadsheet's name for the column: A, B, …, Z, AA …"""
        n, letters = self.index + 1, ""
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        return letters

    def where(self, row: int) -> str:
        return _("Row %(row)s, column %(letter)s “%(header)s”") % {
            "row": row,
            "letter": self.letter,
            "header": self.header,
        }


@dataclass
class Sheet:
    columns: dict[Field, Column]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (row number in the file, cells)

    def cell(self, cells: list[object], name: Field) -> object:
        column = self.columns.get(name)
        if column is None or column.index >= len(cells):
            return None
        return cells[column.index]


# --- From bytes to rows of cells ----------------------------------------------------------


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8) and _utf8(data[len(codecs.BOM_UTF8) :]):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError([_("The file could not be read as text.")]) from None
    if _utf8(data):
        return data.decode("utf-8")
    return _cp1252(data)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _cp1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            [_("The file is neither UTF-8 nor Windows-1252 text: save it from Excel as CSV or as .xlsx.")]
        ) from None


def sniff_delimiter(text: str) -> str:
    """Semicolon, comma or tab: the one under which the first rows hold a header with the most
    recognised columns; failing that, the one that splits them into the most columns."""
    template = template_headers()
    best, score = ";", (-1, -1)
    for delimiter in (";", "\t", ","):
        rows = []
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                rows.append(row)
                if len(rows) >= HEADER_SEARCH_ROWS:
                    break
        except csv.Error:
            continue
        recognised = max((sum(classify(c, template) is not None for c in row) for row in rows), default=0)
        widest = max((len(row) for row in rows), default=0)
        if (recognised, widest) > score:
            best, score = delimiter, (recognised, widest)
    return best


def csv_rows(data: bytes) -> list[list[object]]:
    text = decode(data)
    if "\x00" in text:
        raise ValidationError([_("The file is not a CSV file or an Excel workbook (.xlsx).")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[list[object]] = []
    try:
        for row in reader:
            rows.append(list(row))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                break
    except csv.Error as error:
        raise ValidationError(
            [_("Row %(row)s could not be read: %(error)s") % {"row": reader.line_num, "error": error}]
        ) from None
    return rows


def xlsx_rows(data: bytes) -> list[list[object]]:
    # openpyxl is heavy; loaded only when a workbook is imported.
    from openpyxl import load_workbook  # noqa: PLC0415

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ValidationError([_("The file could not be read as an Excel workbook (.xlsx).")]) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[object]] = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):  # a sheet can claim 16,384 columns
            rows.append([_xlsx_value(c) for c in row])
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                break
    finally:
        book.close()
    return rows


def _xlsx_value(cell) -> object:
    value = getattr(cell, "value", None)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)) and "%" in (getattr(cell, "number_format", "") or ""):
        return f"{value * 100:.6g} %"
    return value


def read_rows(data: bytes) -> list[list[object]]:
    """Every row of the file as cells: text, numbers, dates or times (from .xlsx)."""
    if not data.strip():
        raise ValidationError([_("The file is empty.")])
    if len(data) > MAX_BYTES:
        raise ValidationError([_("The file is larger than 2 MB.")])
    if data.startswith(b"PK\x03\x04"):
        return xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError([_("Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV.")])
    return csv_rows(data)


# --- Headers ------------------------------------------------------------------------------


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("\ufeff", "").replace("\xa0", " ").replace("_", " ")
    return " ".join(text.lower().split()).strip(" :")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[%\w]+", text))


def classify(header: str, template: dict[str, tuple[Field, Unit]] | None = None) -> tuple[Field, Unit] | None:
    """The field and unit a header names, or None for a column to ignore."""
    plain = _plain(header)
    if not plain:
        return None
    if template and plain in template:
        return template[plain]
    unit_text = " ".join(re.findall(r"\(([^)]*)\)", plain)) or plain
    bare = re.sub(r"\([^)]*\)", " ", plain)
    if "%" in plain:
        unit = Unit.PERCENT
    else:
        unit = next((u for u, words in UNIT_WORDS if _words(unit_text) & set(words)), Unit.MINUTES)
    for name, words in HEADER_WORDS:
        if any(_contains(bare, w) for w in words):
            return name, unit
    return None


def _contains(text: str, word: str) -> bool:
    # Whole words only ("elev" in "elevens namn" but "giltig" not in "ogiltig").
    return re.search(rf"(?<![\w]){re.escape(word)}", text) is not None


def template_headers() -> dict[str, tuple[Field, Unit]]:
    """The template's headers in every interface language, to be read back exactly."""
    headers: dict[str, tuple[Field, Unit]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name, header in TEMPLATE_HEADERS:
                headers[_plain(str(header))] = (name, Unit.MINUTES)
    return headers


def find_columns(row: list[object], template: dict[str, tuple[Field, Unit]]) -> dict[Field, Column]:
    columns: dict[Field, Column] = {}
    for index, raw in enumerate(row):
        if raw is None or not str(raw).strip():
            continue
        found = classify(str(raw), template)
        if found is None:
            continue
        name, unit = found
        column = Column(name, unit, index, " ".join(str(raw).split()).replace("\ufeff", ""))
        if name in columns:
            first = columns[name]
            raise ValidationError(
                [
                    _("Columns %(first)s “%(a)s” and %(second)s “%(b)s” say the same thing: keep one of them.")
                    % {"first": first.letter, "a": first.header, "second": column.letter, "b": column.header}
                ]
            )
        columns[name] = column
    return columns


def _is_header(columns: dict[Field, Column]) -> bool:
    who = {Field.IDENTITY, Field.NAME, Field.LAST_NAME} & columns.keys()
    return bool(who) and any(f in columns for f in NUMBER_FIELDS)


def read_sheet(data: bytes) -> Sheet:
    """The file's header columns and its rows below the header (blank rows left out)."""
    rows = read_rows(data)
    template = template_headers()
    header = next(
        (
            (n, columns)
            for n, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1)
            if _is_header(columns := find_columns(row, template))
        ),
        None,
    )
    if header is None:
        raise ValidationError([_missing_header_message()])
    number, columns = header
    body = [(n, cells) for n, cells in enumerate(rows[number:], start=number + 1) if any(_filled(c) for c in cells)]
    if len(body) > MAX_ROWS:
        raise ValidationError(
            [
                ngettext(
                    "The file has more than %(n)d row: split it.",
                    "The file has more than %(n)d rows: split it.",
                    MAX_ROWS,
                )
                % {"n": MAX_ROWS}
            ]
        )
    return Sheet(columns=columns, rows=body)


def _missing_header_message() -> str:
    return _(
        "No header row was found in the first %(n)d rows. The file needs a column with the "
        "student's personal identity number (or name), and columns with the scheduled time and the "
        "absence, e.g. “Personnummer”, “Schemalagd tid (minuter)”, “Giltig frånvaro (minuter)”, "
        "“Ogiltig frånvaro (minuter)”."
    ) % {"n": HEADER_SEARCH_ROWS}


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


# --- Cells --------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?$")
_CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_DATE_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:[-–—]|till|to)\s*(\d{4}-\d{2}-\d{2})$")
_ISO_WEEK = re.compile(r"^(\d{4})\s*-?\s*(?:w|v\.?|vecka)\s*(\d{1,2})$")
_WEEK_YEAR = re.compile(r"^(?:v\.?|vecka|week|w)?\s*(\d{1,2})(?:\s*[,/ ]\s*(\d{4}))?$")


def is_blank(value: object) -> bool:
    return not _filled(value)


def amount(value: object) -> tuple[float, Unit | None]:
    """A cell's number, and the unit the value itself gives (``3:45`` hours, ``12 %``), or ValueError."""
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 60, Unit.MINUTES
    if isinstance(value, datetime.time):
        return value.hour * 60 + value.minute + value.second / 60, Unit.MINUTES
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), None
    text = str(value).strip().replace("\xa0", " ")
    unit: Unit | None = None
    if text.endswith("%"):
        text, unit = text[:-1].strip(), Unit.PERCENT
    elif clock := _CLOCK.match(text):
        hours, minutes, seconds = clock.groups()
        return int(hours) * 60 + int(minutes) + int(seconds or 0) / 60, Unit.MINUTES
    if not _NUMBER.match(text):
        raise ValueError(text)
    return float(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")), unit


def minutes(value: object, column: Column, scheduled: int | None) -> int:
    """A cell in whole minutes, by its column's unit; percentages are of ``scheduled``.

    ValueError with a message for the person when the cell is not such a figure.
    """
    try:
        number, own_unit = amount(value)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a figure") % {"value": value}) from None
    if number < 0:
        raise ValueError(_("“%(value)s” is negative") % {"value": value})
    unit = own_unit or column.unit
    if unit == Unit.PERCENT:
        if scheduled is None:
            raise ValueError(_("a percentage needs the scheduled time in minutes"))
        if number > 100:
            raise ValueError(_("“%(value)s” is more than 100 %%") % {"value": value})
        return round(scheduled * number / 100)
    if unit == Unit.HOURS:
        return round(number * 60)
    if abs(number - round(number)) > 1e-9:
        raise ValueError(_("“%(value)s” is not a whole number of minutes") % {"value": value})
    return round(number)


def week_monday(value: object, *, on: datetime.date) -> datetime.date:
    """The Monday a week cell names: a Monday's date, a week's dates, or a week number (v. 37, 2026-W37).

    A week number without a year is the latest such week that has begun on ``on``.
    ValueError with a message for the person otherwise.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return _monday(value, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    text = " ".join(str(value).lower().split())
    if match := _ISO_DATE.match(text):
        return _monday(_date(text, *match.groups()), value)
    if match := _DATE_RANGE.match(text):
        start, end = (_date(d, *d.split("-")) for d in match.groups())
        if not 0 <= (end - start).days <= 6:
            raise ValueError(_("“%(value)s” is not one week") % {"value": value})
        return _monday(start, value)
    if match := _ISO_WEEK.match(text):
        return _week(int(match.group(1)), int(match.group(2)), value)
    if match := _WEEK_YEAR.match(text):
        number, year = int(match.group(1)), match.group(2)
        if year:
            return _week(int(year), number, value)
        for candidate in (on.isocalendar().year, on.isocalendar().year - 1):
            try:
                monday = datetime.date.fromisocalendar(candidate, number, 1)
            except ValueError:
                continue
            if monday <= on:
                return monday
    raise ValueError(
        _("“%(value)s” is not a week: write the Monday's date (2026-09-07) or the week (v. 37)") % {"value": value}
    )


def _date(text: str, year: str, month: str, day: str) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date") % {"value": text}) from None


def _monday(day: datetime.date, value: object) -> datetime.date:
    if day.weekday() != 0:
        raise ValueError(
            _("%(date)s is a %(weekday)s, not a Monday") % {"date": day.isoformat(), "weekday": _weekday_name(day)}
        )
    return day


def _weekday_name(day: datetime.date) -> str:
    return formats.date_format(day, "l")


def _week(year: int, number: int, value: object) -> datetime.date:
    try:
        return datetime.date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a week of the year") % {"value": value}) from None


def text(value: object) -> str:
    """A cell as text (an identity number Excel turned into a number is given back as digits)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# --- The template -------------------------------------------------------------------------


def template_header() -> list[str]:
    return [str(header) for _name, header in TEMPLATE_HEADERS]


def template_csv(rows: list[list]) -> bytes:
    """The template as Swedish Excel opens it with a double click: UTF-8 with BOM, semicolons."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(template_header())
    for row in rows:
        writer.writerow(safe_row([_csv_value(v) for v in row]))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else value


def template_xlsx(rows: list[list], *, title: str) -> bytes:
    """The template as an Excel workbook: a header row, dates as dates, whole minutes only."""
    # openpyxl is heavy; loaded only when a workbook is made.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(template_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    last = len(rows) + 1
    for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=1, max_col=1):
        cell.number_format = "@"  # an identity number is text, not a number to add up
    for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=3, max_col=3):
        cell.number_format = "yyyy-mm-dd"
    minutes = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(7 * 24 * 60),
        allow_blank=True,
        showErrorMessage=True,
        error=_("Whole minutes, 0 or more."),
    )
    sheet.add_data_validation(minutes)
    minutes.add(f"D2:F{max(last, 2)}")
    for letter, width in zip("ABCDEF", (18, 28, 16, 24, 24, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
