"""Languages and countries that students in introduction programmes commonly have.

Codes are ISO 639 (two letters where one exists, else three) and ISO 3166-1
alpha-2. The lists are choices for forms, not a claim of completeness: add a
line to extend them.
"""

from django.utils.translation import gettext_lazy as _

LANGUAGES = [
    ("sv", _("Swedish")),
    ("ar", _("Arabic")),
    ("prs", _("Dari")),
    ("fa", _("Persian")),
    ("ps", _("Pashto")),
    ("ti", _("Tigrinya")),
    ("so", _("Somali")),
    ("am", _("Amharic")),
    ("om", _("Oromo")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("ckb", _("Kurdish (Sorani)")),
    ("kmr", _("Kurdish (Kurmanji)")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("sq", _("Albanian")),
    ("bs", _("Bosnian")),
    ("th", _("Thai")),
    ("vi", _("Vietnamese")),
    ("my", _("Burmese")),
    ("ur", _("Urdu")),
    ("bn", _("Bengali")),
    ("zh", _("Chinese")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("en", _("English")),
    ("fi", _("Finnish")),
]
LANGUAGE_CODES = {code for code, _label in LANGUAGES}

COUNTRIES = [
    ("SE", _("Sweden")),
    ("SY", _("Syria")),
    ("AF", _("Afghanistan")),
    ("ER", _("Eritrea")),
    ("SO", _("Somalia")),
    ("ET", _("Ethiopia")),
    ("IQ", _("Iraq")),
    ("IR", _("Iran")),
    ("UA", _("Ukraine")),
    ("TR", _("Turkey")),
    ("PL", _("Poland")),
    ("RO", _("Romania")),
    ("TH", _("Thailand")),
    ("MM", _("Myanmar")),
    ("PK", _("Pakistan")),
    ("XX", _("Other country")),
]


def language_name(code: str) -> str:
    return str(dict(LANGUAGES).get(code, code))
