"""Identity numbers a student can be registered with.

Every student must be registrable, also the many on språkintroduktion who
have no Swedish personnummer yet. Four kinds are accepted:

* **personnummer** (Skatteverket): ``YYYYMMDD-NNNC``; the check digit ``C``
  is Luhn over the ten digits from the year's last two.
* **samordningsnummer** (Skatteverket, for people not registered in Sweden):
  the same, with 60 added to the day.
* **interim number** (the T-number form used in schools and health care until
  a number comes from Skatteverket): ``YYYYMMDD-TNNC``, the first of the four
  last characters a letter from T, R, S, U, W, X, J, K, L, M, N; the check
  digit is Luhn with the letter counted as 1.
* **reserve number**, assigned by the organiser in Studieväg when the student
  has none of the above: ``YYYYMMDD-ZNNN``, no check digit (it is never
  typed from elsewhere, only assigned, see :func:`next_reserve_number`).

Stored as 12 characters without separator (SS 12000 ``civicNo.value`` for the
first two). The check digit, the date and the coordination day of the first
two are the ``personnummer`` library's; the shape — where a separator may be
and what it may be — is checked here first, so that numbers that look right
but are written wrongly (a space for the separator, a ``+`` in the 12-digit
form, which the library would silently ignore) are refused with a message
that says what is wrong.
"""

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from personnummer import personnummer

INTERIM_LETTERS = "TRSUWXJKLMN"
RESERVE_LETTER = "Z"


class IdentityKind(StrEnum):
    PERSONNUMMER = "personnummer"
    COORDINATION = "samordningsnummer"
    INTERIM = "interim"
    RESERVE = "reserve"


IDENTITY_KIND_LABELS = {
    IdentityKind.PERSONNUMMER: gettext_lazy("Personal identity number"),
    IdentityKind.COORDINATION: gettext_lazy("Coordination number"),
    IdentityKind.INTERIM: gettext_lazy("Interim number"),
    IdentityKind.RESERVE: gettext_lazy("Reserve number"),
}

# The whole accepted grammar. Nothing else is allowed between the parts.
_DIGITS_12 = re.compile(r"^(?P<date>\d{8})(?P<sep>-?)(?P<rest>\d{4})$")
_DIGITS_10 = re.compile(r"^(?P<date>\d{6})(?P<sep>[-+]?)(?P<rest>\d{4})$")
_INTERIM = re.compile(rf"^(?P<date>\d{{8}}|\d{{6}})(?P<sep>-?)(?P<rest>[{INTERIM_LETTERS}]\d{{3}})$")
_RESERVE = re.compile(rf"^(?P<date>\d{{8}})(?P<sep>-?)(?P<rest>{RESERVE_LETTER}\d{{3}})$")


@dataclass(frozen=True)
class IdentityNumber:
    value: str  # 12 characters, no separator
    date_of_birth: datetime.date
    kind: IdentityKind
    legal_sex: str  # "female", "male" or "" when the number does not say

    @property
    def is_coordination_number(self) -> bool:
        return self.kind == IdentityKind.COORDINATION

    @property
    def is_final(self) -> bool:
        """A number from Skatteverket (personnummer or samordningsnummer)."""
        return self.kind in (IdentityKind.PERSONNUMMER, IdentityKind.COORDINATION)

    @property
    def formatted(self) -> str:
        return f"{self.value[:8]}-{self.value[8:]}"

    @property
    def kind_label(self) -> str:
        return str(IDENTITY_KIND_LABELS[self.kind])


def _format_error() -> ValidationError:
    return ValidationError(
        _(
            "Write the number as YYYYMMDD-NNNN (12 digits), e.g. 20080101-9803; an interim number as "
            "YYYYMMDD-TNNN and a reserve number as YYYYMMDD-ZNNN."
        ),
        code="format",
    )


def _invalid(raw: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(value)s” is not a valid personal identity number or coordination "
            "number: check the date and the last digit."
        ),
        params={"value": raw.strip()},
        code="invalid",
    )


def luhn_digit(digits: str) -> int:
    """The Luhn check digit for ``digits`` (weights 2, 1, 2, … from the left)."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def _full_date(date: str, today: datetime.date) -> datetime.date | None:
    """An 8-digit date, or a 6-digit one in the latest century that puts it on or before ``today``."""
    try:
        if len(date) == 8:
            return datetime.date(int(date[:4]), int(date[4:6]), int(date[6:8]))
        for century in (today.year // 100 * 100, today.year // 100 * 100 - 100):
            day = datetime.date(century + int(date[:2]), int(date[2:4]), int(date[4:6]))
            if day <= today:
                return day
    except ValueError:
        return None
    return None


def parse_identity_number(raw: str | None, *, today: datetime.date | None = None) -> IdentityNumber:
    """Parse and validate; raise ``ValidationError`` with a clear message (codes
    ``required``, ``spaces``, ``format``, ``invalid``)."""
    text = (raw or "").strip().upper()
    if not text:
        raise ValidationError(_("Enter a personal identity number."), code="required")
    if any(ch.isspace() for ch in text):
        raise ValidationError(
            _("Write the number without spaces: YYYYMMDD-NNNN, with a hyphen between the date and the last four."),
            code="spaces",
        )
    today = today or timezone.localdate()
    if m := _DIGITS_12.match(text) or _DIGITS_10.match(text):
        return _parse_skatteverket(raw, m.group("date"), m.group("sep"), m.group("rest"))
    if m := _INTERIM.match(text):
        return _parse_interim(raw, m.group("date"), m.group("rest"), today)
    if m := _RESERVE.match(text):
        born = _full_date(m.group("date"), today)
        if born is None:
            raise _invalid(raw)
        return IdentityNumber(
            value=m.group("date") + m.group("rest"), date_of_birth=born, kind=IdentityKind.RESERVE, legal_sex=""
        )
    raise _format_error()


def _parse_skatteverket(raw: str, date: str, sep: str, rest: str) -> IdentityNumber:
    try:
        number = personnummer.Personnummer(f"{date}{sep}{rest}")
    except personnummer.PersonnummerException:
        raise _invalid(raw) from None
    value = number.format(long_format=True)
    return IdentityNumber(
        value=value,
        date_of_birth=number.get_date(),
        kind=IdentityKind.COORDINATION if number.is_coordination_number() else IdentityKind.PERSONNUMMER,
        legal_sex="female" if number.is_female() else "male",
    )


def _parse_interim(raw: str, date: str, rest: str, today: datetime.date) -> IdentityNumber:
    born = _full_date(date, today)
    if born is None:
        raise _invalid(raw)
    short = f"{born:%y%m%d}1{rest[1:3]}"
    if luhn_digit(short) != int(rest[3]):
        raise _invalid(raw)
    return IdentityNumber(value=f"{born:%Y%m%d}{rest}", date_of_birth=born, kind=IdentityKind.INTERIM, legal_sex="")


def validate_identity_number(raw: str) -> None:
    """Field validator form of :func:`parse_identity_number`."""
    parse_identity_number(raw)


def identity_kind(value: str) -> IdentityKind:
    """The kind of a stored (already valid) 12-character number."""
    letter = value[8:9]
    if letter == RESERVE_LETTER:
        return IdentityKind.RESERVE
    if letter and letter.isalpha():
        return IdentityKind.INTERIM
    return IdentityKind.COORDINATION if int(value[6:8]) > 60 else IdentityKind.PERSONNUMMER


def reserve_number(born: datetime.date, serial: int) -> str:
    if not 1 <= serial <= 999:
        raise ValueError(serial)
    return f"{born:%Y%m%d}{RESERVE_LETTER}{serial:03d}"


def next_reserve_number(born: datetime.date, taken: set[str]) -> str:
    """The first reserve number for ``born`` not in ``taken``."""
    for serial in range(1, 1000):
        value = reserve_number(born, serial)
        if value not in taken:
            return value
    raise ValidationError(_("No reserve number is left for that date of birth."))
