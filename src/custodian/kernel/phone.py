"""Telephone numbers as E.164 strings (ITU-T E.164; parsing by libphonenumber).

Every number Custodian stores or compares is normalised here first, so that
"(512) 555-0100", "+1 512 555 0100" and "15125550100" are the same subscriber.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "US"
NANP_REGIONS = frozenset({"US", "CA"})
_DIAL_PUNCTUATION = str.maketrans("", "", " -().")


class InvalidPhoneNumber(ValueError):
    """The text is not a dialable telephone number."""


def to_e164(text: str, region: str = DEFAULT_REGION) -> str:
    """Return `text` as an E.164 string (`+15125550100`) or raise InvalidPhoneNumber."""
    raw = text.strip()
    return nanp_e164(raw, region) or _parse_e164(raw, region)


@lru_cache(maxsize=65536)
def _parse_e164(raw: str, region: str) -> str:
    """The general path through libphonenumber (cached: it costs tens of microseconds)."""
    if not raw:
        raise InvalidPhoneNumber("empty phone number")
    if raw.isdigit() and len(raw) > 11 and not raw.startswith("1"):
        raw = "+" + raw  # international digits written without the plus, as switches log them
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber("not a dialable phone number") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhoneNumber("not a dialable phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def nanp_e164(raw: str, region: str) -> str | None:
    """E.164 for the common North American shapes without a full parse (switch logs are mostly these), else None.

    Covers 10 digits (region US/CA), 1 + 10 digits, and +1 + 10 digits, with the NANP rule that
    area code and exchange start with 2-9; anything else goes through libphonenumber.
    """
    digits = raw if raw.isdigit() else raw.translate(_DIAL_PUNCTUATION)
    size = len(digits)
    if size == 12 and digits[:2] == "+1":
        national = digits[2:]
    elif region in NANP_REGIONS and size == 11 and digits[0] == "1":
        national = digits[1:]
    elif region in NANP_REGIONS and size == 10:
        national = digits
    else:
        return None
    if national.isdigit() and national[0] >= "2" and national[3] >= "2":
        return "+1" + national
    return None


def try_e164(text: str, region: str = DEFAULT_REGION) -> str | None:
    """Return `text` as E.164, or None when it is not a number (an extension, 's', blank)."""
    if not text or len(text.strip()) < 7:
        return None
    try:
        return to_e164(text, region)
    except InvalidPhoneNumber:
        return None


def national_format(e164: str, region: str = DEFAULT_REGION) -> str:
    """An E.164 number as people in `region` write it: national format for a number of that country
    ('+15125550100' in US: '(512) 555-0100'), international format otherwise ('+44 20 7946 0018'); text that is
    not a number is returned unchanged."""
    try:
        parsed = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if not phonenumbers.is_possible_number(parsed):
        return e164
    home = phonenumbers.region_code_for_number(parsed) == region.upper() or (
        parsed.country_code == phonenumbers.country_code_for_region(region.upper()) and parsed.country_code == 1)
    kind = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, kind)
