"""E-mail addresses as Custodian accepts them: one check for importers, console forms and the API.

An address is written into a mail header ("To:"); a carriage return or line feed in it would let the
text that follows become a header or a message of its own (header injection, RFC 5322 section 2.2:
"A field body MUST NOT include CR and LF except when used in folding"). So an address with any
control character, any whitespace, or not of the form local@domain.tld is refused before it is
stored, and the stored form is folded to lower case.
"""

from __future__ import annotations

import unicodedata

MAX_EMAIL_LENGTH = 254  # RFC 5321 section 4.5.3.1.3 (path) less the angle brackets


class InvalidEmail(ValueError):
    """The text is not an e-mail address Custodian accepts."""


CONTROL_CHARACTER = "contains a control character (a line break, tab or similar)"


def has_control_character(text: str) -> bool:
    """True when `text` holds a CR, LF, tab, NUL, a Unicode line or paragraph separator or a format character."""
    return any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in text)


def email_problem(text: str) -> str | None:
    """Why `text` (already stripped of surrounding spaces by the caller, or not) is not an acceptable
    e-mail address, or None when it is."""
    if has_control_character(text):
        return CONTROL_CHARACTER
    address = text.strip()
    if not address:
        return "empty"
    if any(char.isspace() for char in address):
        return "contains a space"
    if len(address) > MAX_EMAIL_LENGTH:
        return f"longer than {MAX_EMAIL_LENGTH} characters"
    local, at, domain = address.rpartition("@")
    if not at or not local or "@" in local or not domain:
        return "not of the form name@domain"
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels) or any(char in domain for char in "<>(),;:\\\"[]"):
        return "the domain is not a domain name"
    if any(char in local for char in "<>(),;:\\\"[]"):
        return "the part before @ has a character addresses do not use"
    return None


def normal_email(text: str) -> str:
    """`text` as stored: checked (InvalidEmail names the problem), stripped and folded to lower case."""
    problem = email_problem(text)
    if problem:
        raise InvalidEmail(f"not an e-mail address: {problem}")
    return text.strip().lower()
