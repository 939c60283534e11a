"""Bounds on what a person can send: search words, text length, file size, nesting.

Every search box and import goes through these, so no request can keep a
worker busy for long or exhaust memory: a search of 15 short words used to
join the same table 15 times; a JSON file nested 100,000 levels deep broke
the parser. Infrastructure only: no area is imported here.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SEARCH_MAX_CHARS = 100
SEARCH_MAX_WORDS = 5
SEARCH_MIN_WORD = 1

# Free text in a plan (the study path, the student's own words …): a long
# page, not a book. A portable plan file is a few kilobytes in practice.
TEXT_MAX_CHARS = 10_000
IMPORT_MAX_BYTES = 512 * 1024
IMPORT_MAX_DEPTH = 8
IMPORT_MAX_ROWS = 10_000


def search_words(text: str, *, max_words: int = SEARCH_MAX_WORDS, max_chars: int = SEARCH_MAX_CHARS) -> list[str]:
    """The words of a search, or a ValidationError that says what to shorten."""
    text = " ".join((text or "").split())
    if len(text) > max_chars:
        raise ValidationError(
            ngettext(
                "Search with at most %(n)d character.",
                "Search with at most %(n)d characters.",
                max_chars,
            )
            % {"n": max_chars},
            code="search_too_long",
        )
    words = list(dict.fromkeys(text.split()))
    if len(words) > max_words:
        raise ValidationError(
            ngettext("Search with at most %(n)d word.", "Search with at most %(n)d words.", max_words)
            % {"n": max_words},
            code="search_too_many_words",
        )
    return words


def json_depth_within(raw: bytes | str, max_depth: int = IMPORT_MAX_DEPTH) -> bool:
    """Whether no array or object in this JSON text is nested deeper than ``max_depth``.

    Checked on the text before parsing, in one pass without recursion, so a
    hostile file is refused before the parser sees it.
    """
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif char in "]}":
            depth -= 1
    return True


def file_too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(size)s kB; no import is that large.") % {"size": max_bytes // 1024}
