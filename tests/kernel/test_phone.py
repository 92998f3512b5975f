"""E.164 normalisation: every dialable spelling of a number is the same subscriber."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.kernel.phone import InvalidPhoneNumber, national_format, to_e164, try_e164


@pytest.mark.parametrize("spelling", ["(512) 555-0100", "512-555-0100", "5125550100", "15125550100",
                                      "+1 512 555 0100", "+1.512.555.0100"])
def test_every_north_american_spelling_normalises_to_the_same_e164(spelling: str) -> None:
    assert to_e164(spelling) == "+15125550100"


def test_international_numbers_keep_their_country_code() -> None:
    assert to_e164("+44 20 7946 0958") == "+442079460958"
    assert to_e164("442079460958") == "+442079460958"


def test_text_that_is_not_a_number_is_rejected_without_echoing_it() -> None:
    with pytest.raises(InvalidPhoneNumber) as error:
        to_e164("call me maybe")
    assert "call me" not in str(error.value)


def test_extensions_and_switch_placeholders_are_not_numbers() -> None:
    assert try_e164("101") is None
    assert try_e164("s") is None
    assert try_e164("") is None


_digit = st.sampled_from("0123456789")


@given(st.text(_digit, min_size=10, max_size=10), st.sampled_from(["", "1", "+1", "+1 "]))
def test_the_north_american_fast_path_agrees_with_libphonenumber(national: str, prefix: str) -> None:
    text = prefix + national
    try:
        expected = phonenumbers.format_number(phonenumbers.parse(text, "US"), phonenumbers.PhoneNumberFormat.E164)
        possible = phonenumbers.is_possible_number(phonenumbers.parse(text, "US"))
    except phonenumbers.NumberParseException:
        expected, possible = None, False
    try:
        ours: str | None = to_e164(text)
    except InvalidPhoneNumber:
        ours = None
    if ours is not None and national[0] >= "2" and national[3] >= "2":
        assert possible and ours == expected


@pytest.mark.parametrize(("e164", "region", "shown"), [
    ("+15125550100", "US", "(512) 555-0100"),
    ("+442079460018", "GB", "020 7946 0018"),
    ("+442079460018", "US", "+44 20 7946 0018"),
    ("+15125550100", "DE", "+1 512-555-0100"),
    ("not a number", "US", "not a number"),
])
def test_a_number_is_written_nationally_at_home_and_internationally_abroad(e164: str, region: str,
                                                                            shown: str) -> None:
    assert national_format(e164, region) == shown


@given(st.integers(min_value=2_002_000_000, max_value=9_899_999_999))
def test_a_north_american_number_written_nationally_reads_back_as_the_same_e164(digits: int) -> None:
    e164 = try_e164(str(digits))
    if e164 is not None:
        assert to_e164(national_format(e164, "US")) == e164
