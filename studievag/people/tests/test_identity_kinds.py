"""Every student can be registered: interim and reserve numbers, and the malformed
numbers that used to slip through (a space for the separator, a “+” in the 12-digit form)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from studievag.demo.services import make_identity_number
from studievag.people.identity import (
    INTERIM_LETTERS,
    IdentityKind,
    identity_kind,
    luhn_digit,
    next_reserve_number,
    parse_identity_number,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


TODAY = datetime.date(2026, 11, 29)


def interim(born: datetime.date, letter: str = "T", serial: int = 98) -> str:
    check = luhn_digit(f"{born:%y%m%d}1{serial:02d}")
    return f"{born:%Y%m%d}-{letter}{serial:02d}{check}"


@pytest.mark.parametrize("typed", ["19090527 1474", "090527 1474", "20080101 9803", "2008 0101-9803"])
def test_a_space_instead_of_the_separator_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        parse_identity_number(typed)

    assert error.value.code == "spaces"
    assert "without spaces" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["19090527+1474", "20080101+9803"])
def test_a_plus_in_the_12_digit_form_is_refused_not_ignored(typed):
    with pytest.raises(ValidationError) as error:
        parse_identity_number(typed)

    assert error.value.code == "format"


def test_the_plus_in_the_10_digit_form_still_means_a_hundred_or_older():
    assert parse_identity_number("080101+9803").date_of_birth == datetime.date(1908, 1, 1)


def test_a_personnummer_and_a_samordningsnummer_say_their_kind():
    born = datetime.date(2009, 5, 27)
    assert parse_identity_number(make_identity_number(born, 982)).kind == IdentityKind.PERSONNUMMER
    coordination = parse_identity_number(make_identity_number(born, 982, coordination=True))
    assert coordination.kind == IdentityKind.COORDINATION
    assert coordination.is_final is True


def test_an_interim_number_is_accepted_with_its_letter_and_check_digit():
    typed = interim(datetime.date(2009, 5, 27), "T", 98)

    number = parse_identity_number(typed)

    assert number.kind == IdentityKind.INTERIM
    assert number.value == typed.replace("-", "")
    assert number.formatted == typed
    assert number.date_of_birth == datetime.date(2009, 5, 27)
    assert number.is_final is False
    assert identity_kind(number.value) == IdentityKind.INTERIM


def test_an_interim_number_in_lower_case_and_10_characters_gives_the_same_value():
    typed = interim(datetime.date(2009, 5, 27), "R", 12)
    short = typed[2:].replace("-", "").lower()

    assert parse_identity_number(short, today=TODAY).value == typed.replace("-", "")


def test_an_interim_number_with_a_wrong_check_digit_is_refused():
    typed = interim(datetime.date(2009, 5, 27))
    wrong = typed[:-1] + str((int(typed[-1]) + 1) % 10)

    with pytest.raises(ValidationError) as error:
        parse_identity_number(wrong)

    assert error.value.code == "invalid"


def test_a_letter_outside_the_interim_series_is_refused():
    with pytest.raises(ValidationError) as error:
        parse_identity_number("20090527-A981")
    assert error.value.code == "format"


def test_a_reserve_number_is_accepted_and_the_next_free_one_is_assigned():
    born = datetime.date(2009, 5, 27)
    assert next_reserve_number(born, set()) == "20090527Z001"
    assert next_reserve_number(born, {"20090527Z001", "20090527Z002"}) == "20090527Z003"

    number = parse_identity_number("20090527-Z003")

    assert number.kind == IdentityKind.RESERVE
    assert number.date_of_birth == born
    assert number.value == "20090527Z003"


def test_a_reserve_number_on_an_impossible_date_is_refused():
    with pytest.raises(ValidationError) as error:
        parse_identity_number("20090230-Z001")
    assert error.value.code == "invalid"


# --- Property-based: the parser over the whole input space ----------------------

dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2020, 12, 31))
birth_numbers = st.integers(min_value=980, max_value=999)


@settings(max_examples=300, deadline=None)
@given(born=dates, n=birth_numbers, coordination=st.booleans(), dash=st.booleans(), short=st.booleans())
def test_every_valid_skatteverket_number_parses_to_one_value_in_every_written_form(born, n, coordination, dash, short):
    value = make_identity_number(born, n, coordination=coordination)
    typed = value[2:] if short else value
    if dash:
        typed = f"{typed[:-4]}-{typed[-4:]}"

    number = parse_identity_number(typed, today=TODAY)

    assert number.value == value
    assert number.date_of_birth == born
    assert number.kind == (IdentityKind.COORDINATION if coordination else IdentityKind.PERSONNUMMER)


@settings(max_examples=300, deadline=None)
@given(born=dates, letter=st.sampled_from(INTERIM_LETTERS), serial=st.integers(0, 99))
def test_every_valid_interim_number_parses(born, letter, serial):
    typed = interim(born, letter, serial)
    assert parse_identity_number(typed, today=TODAY).value == typed.replace("-", "")


@settings(max_examples=300, deadline=None)
@given(born=dates, n=birth_numbers, position=st.integers(1, 11), junk=st.sampled_from([" ", "\t", "+", "--", "/", "."]))
def test_a_separator_in_the_wrong_place_or_of_the_wrong_kind_is_always_refused(born, n, position, junk):
    value = make_identity_number(born, n)
    typed = f"{value[:8]}-{value[8:]}"
    # Put junk somewhere inside the number: never accepted, whatever it is.
    broken = typed[:position] + junk + typed[position:]
    if broken.replace("--", "-") == typed and junk == "--":
        broken = typed[:position] + "---" + typed[position:]
    with pytest.raises(ValidationError):
        parse_identity_number(broken, today=TODAY)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=20))
def test_any_text_is_either_refused_with_a_known_code_or_gives_a_12_character_value(text):
    try:
        number = parse_identity_number(text, today=TODAY)
    except ValidationError as error:
        assert error.code in {"required", "spaces", "format", "invalid"}
    else:
        assert len(number.value) == 12
        assert parse_identity_number(number.formatted, today=TODAY) == number


@settings(max_examples=300, deadline=None)
@given(born=dates, n=birth_numbers, digit=st.integers(0, 9))
def test_a_changed_check_digit_is_always_refused(born, n, digit):
    value = make_identity_number(born, n)
    if int(value[-1]) == digit:
        return
    with pytest.raises(ValidationError) as error:
        parse_identity_number(value[:-1] + str(digit), today=TODAY)
    assert error.value.code == "invalid"
