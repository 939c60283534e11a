"""Swedish personal identity numbers (personnummer and samordningsnummer).

Validation (check digit, a real date, coordination day + 60) is the
`personnummer` library's; this module only normalises to the 12-digit form
SS 12000 uses (``civicNo.value``: YYYYMMDDNNNC, no separator) and reads out
the date of birth.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from personnummer import personnummer


@dataclass(frozen=True)
class IdentityNumber:
    value: str  # 12 digits, no separator
    date_of_birth: datetime.date
    is_coordination_number: bool
    legal_sex: str  # "female" or "male", as encoded in the birth number

    @property
    def formatted(self) -> str:
        return f"{self.value[:8]}-{self.value[8:]}"


def parse_identity_number(raw: str) -> IdentityNumber:
    """Parse and validate; raise ``ValidationError`` with a clear message."""
    text = (raw or "").strip().replace(" ", "")
    if not text:
        raise ValidationError(_("Enter a personal identity number."), code="required")
    if not (
        text.replace("-", "").replace("+", "").isdigit() and len(text.replace("-", "").replace("+", "")) in (10, 12)
    ):
        raise ValidationError(
            _("Write the number as YYYYMMDD-NNNN (12 digits), e.g. 20080101-9803."),
            code="format",
        )
    try:
        number = personnummer.Personnummer(text)
    except personnummer.PersonnummerException:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid personal identity number or coordination "
                "number: check the date and the last digit."
            ),
            params={"value": raw.strip()},
            code="invalid",
        ) from None
    value = number.format(long_format=True)
    return IdentityNumber(
        value=value,
        date_of_birth=number.get_date(),
        is_coordination_number=number.is_coordination_number(),
        legal_sex="female" if number.is_female() else "male",
    )


def validate_identity_number(raw: str) -> None:
    """Field validator form of :func:`parse_identity_number`."""
    parse_identity_number(raw)
