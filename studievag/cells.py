"""Cells for CSV and Excel files that a spreadsheet shows as text, never runs.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) as a formula; a name or a note typed into
Studieväg could then run as one on the computer that opens the export
("CSV injection"). Such text gets a leading apostrophe, which spreadsheets
show as plain text. Numbers, and text that is just a number ("-3", "+4,5 %"),
are left alone. Infrastructure only: no area is imported here.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[-+]?\d[\d\s]*([.,]\d+)?\s?%?$")


def safe_cell(value):
    """``value`` as it may go into a CSV or Excel cell."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
