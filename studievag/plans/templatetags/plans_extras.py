import datetime
import unicodedata

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

CHANGE_LABELS = {
    "added": _("Added"),
    "removed": _("Removed"),
    "changed": _("Changed"),
    "same": _("Unchanged"),
}
COLUMN_LABELS = {
    "term": _("Term / when"),
    "kind": _("Kind"),
    "title": _("Goal"),
    "target_date": _("Target date"),
    "status": _("Status"),
    "school_type": _("Level"),
    "code": _("Code"),
    "name": _("Name"),
    "workplace": _("Workplace"),
    "start_date": _("From"),
    "end_date": _("Until"),
    "supervisor": _("Supervisor"),
    "tasks": _("Tasks"),
    "weekly_hours": _("Hours a week"),
}


@register.filter
def change_label(kind: str) -> str:
    return CHANGE_LABELS.get(kind, kind)


@register.filter
def column_label(name: str) -> str:
    return COLUMN_LABELS.get(name, name)


@register.filter
def shown_value(value):
    """A value from a plan snapshot for a reader: ISO dates in the reader's language
    ("29 november 2026", "29 نوفمبر، 2026"), nothing as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and len(value) == 10:
        try:
            return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            pass
    return value


FSI, PDI = "\u2068", "\u2069"


@register.filter
def isolated(value) -> str:
    """Text wrapped in Unicode first-strong isolates, for the PDF: a Swedish course name in
    an Arabic sentence (or the other way round) keeps its own direction and leaves the
    sentence's punctuation where it belongs. (WeasyPrint lays out the characters; the
    isolates work where CSS ``unicode-bidi: isolate`` is not applied.)"""
    if value is None or value == "":
        return ""
    return f"{FSI}{value}{PDI}"


@register.filter
def text_dir(value) -> str:
    """``ltr`` or ``rtl`` from the first letter with a direction, as ``dir="auto"`` does in a
    browser; for the PDF, where WeasyPrint does not apply ``unicode-bidi: plaintext``, so a
    Swedish paragraph in an Arabic plan keeps its full stop at its end. ``auto`` if none."""
    for char in str(value or ""):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"
