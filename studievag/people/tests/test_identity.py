"""Identity numbers: personnummer and samordningsnummer, as staff type them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from studievag.demo.services import is_demo_identity_number, make_identity_number
from studievag.people.identity import parse_identity_number


@pytest.fixture(autouse=True)
def english():
    """Messages in the source language, whatever an earlier test left active."""
    with translation.override("en"):
        yield


# 2008-01-01, birth number 980: check digit 3 (Luhn over 080101980).
VALID = "200801019803"


@pytest.mark.parametrize(
    "typed",
    ["200801019803", "20080101-9803", "0801019803", "080101-9803", " 20080101-9803 "],
)
def test_the_usual_ways_of_writing_a_personnummer_give_the_12_digit_form(typed):
    number = parse_identity_number(typed)

    assert number.value == VALID
    assert number.date_of_birth == datetime.date(2008, 1, 1)
    assert number.is_coordination_number is False
    assert number.formatted == "20080101-9803"


def test_the_plus_sign_means_the_person_is_a_hundred_or_older():
    # Swedish practice: "+" in the 10-digit form replaces "-" from the year one turns 100.
    number = parse_identity_number("080101+9803")

    assert number.date_of_birth == datetime.date(1908, 1, 1)
    assert number.value == "190801019803"


def test_a_samordningsnummer_has_sixty_added_to_the_day():
    typed = make_identity_number(datetime.date(2008, 1, 1), 980, coordination=True)
    assert typed[6:8] == "61"

    number = parse_identity_number(typed)

    assert number.is_coordination_number is True
    assert number.date_of_birth == datetime.date(2008, 1, 1)
    assert number.value == typed


def test_the_birth_number_gives_the_legal_sex():
    assert parse_identity_number(make_identity_number(datetime.date(2008, 1, 1), 980)).legal_sex == "female"
    assert parse_identity_number(make_identity_number(datetime.date(2008, 1, 1), 981)).legal_sex == "male"


def test_a_wrong_check_digit_is_refused_with_the_number_in_the_message():
    with pytest.raises(ValidationError) as error:
        parse_identity_number("20080101-9804")

    assert error.value.code == "invalid"
    assert "20080101-9804" in error.value.messages[0]
    assert "last digit" in error.value.messages[0]


@pytest.mark.parametrize(
    "impossible",
    [
        # 30 February, month 13, day 32: each with a correct Luhn digit for its 10 digits.
        "2008023098" + "00",
        "2008130198" + "00",
        "2008013298" + "00",
    ],
)
def test_an_impossible_date_is_refused_even_with_a_correct_check_digit(impossible):
    from studievag.demo.services import luhn_check_digit

    digits = impossible[:11]
    typed = digits + str(luhn_check_digit(digits[2:]))

    with pytest.raises(ValidationError) as error:
        parse_identity_number(typed)

    assert error.value.code == "invalid"
    assert "check the date" in error.value.messages[0]


def test_a_coordination_day_beyond_91_is_refused():
    from studievag.demo.services import luhn_check_digit

    digits = "20080192980"  # day 92 = 32 + 60
    with pytest.raises(ValidationError):
        parse_identity_number(digits + str(luhn_check_digit(digits[2:])))


@pytest.mark.parametrize(
    "typed",
    ["12345", "2008-01-01", "abcdefghijkl", "20080101-98031", "20080101+9803", "2008-0101-9803", "20080101--9803"],
)
def test_a_number_of_the_wrong_shape_gets_the_format_message(typed):
    with pytest.raises(ValidationError) as error:
        parse_identity_number(typed)

    assert error.value.code == "format"
    assert "YYYYMMDD-NNNN" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_an_empty_number_is_required(typed):
    with pytest.raises(ValidationError) as error:
        parse_identity_number(typed)

    assert error.value.code == "required"


def test_demo_numbers_are_in_the_test_series_only():
    assert is_demo_identity_number(make_identity_number(datetime.date(2008, 5, 17), 980))
    assert is_demo_identity_number(make_identity_number(datetime.date(2008, 5, 17), 999))
    assert not is_demo_identity_number(make_identity_number(datetime.date(2008, 5, 17), 979))
    assert not is_demo_identity_number(make_identity_number(datetime.date(2008, 5, 17), 123))
