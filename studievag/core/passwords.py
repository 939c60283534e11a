"""A password rule for a school: no school word or place name with digits added.

Django's own validators refuse the 20,000 commonest passwords, but those are
English; the first guesses against a Swedish school are ``skolan2024``,
``Rektor123!``, ``Skovde2025`` or the system's own name. This validator takes
the letters of the password (digits, punctuation and the case dropped, å/ä/ö
read as a/a/o) and refuses it if what is left is one of those words, or too
short a word to matter once the digits are gone.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words a guesser tries first at a Swedish upper-secondary school, lower case,
# without diacritics. Municipalities of the region are in as well: the name of
# the town is the commonest password base after the season and the school.
SCHOOL_WORDS = frozenset(
    """
    skola skolan skolor skolorna gymnasiet gymnasium gymnasie gymnasieskola elev eleven elever eleverna
    larare lararen larare lararna rektor rektorn mentor mentorn syv kurator skolskoterska elevhalsa
    klass klassen klassrum lektion schema betyg prov laxa rast matsal studie studier studievag
    introduktion introduktionsprogram program programmet sprakintro kommun kommunen region regionen
    password passord losenord losen hemlig hemligt valkommen hej hejhej admin administrator demo test
    sommar vinter var host hosten varen hostterminen varterminen termin terminen lasar lasaret
    skovde skaraborg falkoping lidkoping mariestad skara tidaholm hjo tibro karlsborg gullspang toreboda
    grastorp essunga vara gotene gotheborg goteborg stockholm malmo uppsala sverige svenska
    school student teacher principal welcome summer winter spring autumn
    """.split()
)
MIN_LETTERS = 6


def _letters(password: str) -> str:
    folded = unicodedata.normalize("NFKD", password.casefold())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", ascii_only)


class GuessablePasswordValidator:
    """Refuse a school word or a place name with digits or signs around it."""

    def validate(self, password: str, user=None) -> None:
        letters = _letters(password)
        if len(letters) < MIN_LETTERS:
            raise ValidationError(
                _("The password needs at least %(count)d letters besides digits and signs.") % {"count": MIN_LETTERS},
                code="password_too_few_letters",
            )
        if letters in SCHOOL_WORDS or any(letters == w * 2 or letters == w + "s" for w in SCHOOL_WORDS):
            raise ValidationError(
                _(
                    "The password is a word connected with school or a place with digits added; "
                    "it is among the first ones guessed."
                ),
                code="password_school_word",
            )

    def get_help_text(self) -> str:
        return _("Not a word connected with school, a season or a place with digits added (such as “Skolan2024”).")
