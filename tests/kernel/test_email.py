"""E-mail addresses: one check for importers, console forms and the API; a line break never gets in.

RFC 5322 section 2.2: "A field body MUST NOT include CR and LF except when used in folding"; an address
goes into the "To:" header of every notice, so a CR or LF in it would add headers or a second message.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.kernel.email import InvalidEmail, email_problem, normal_email


@pytest.mark.parametrize("address", [
    "ada@example.com\r\nBcc: thief@evil.example", "ada@example.com\nBcc: thief@evil.example",
    "ada@example.com\r", "ada\t@example.com", "ada@exa\x00mple.com", "ada@example.com\u2028", "ada\u200b@example.com",
])
def test_an_address_with_a_line_break_or_other_control_character_is_refused(address: str) -> None:
    assert email_problem(address) == "contains a control character (a line break, tab or similar)"
    with pytest.raises(InvalidEmail):
        normal_email(address)


@pytest.mark.parametrize(("address", "problem"), [
    ("", "empty"), ("ada example@example.com", "contains a space"), ("ada.example.com", "not of the form"),
    ("@example.com", "not of the form"), ("ada@", "not of the form"), ("ada@localhost", "not a domain name"),
    ("ada@example..com", "not a domain name"), ("a<b>@example.com", "before @"), ("a@b@example.com", "not of the"),
    ("a" * 250 + "@example.com", "longer than 254"),
])
def test_what_is_not_an_address_is_refused_with_the_reason(address: str, problem: str) -> None:
    found = email_problem(address)
    assert found is not None and problem in found


def test_an_address_is_stored_stripped_and_in_lower_case() -> None:
    assert email_problem("Ada.Lovelace+bills@Example.COM") is None
    assert normal_email("  Ada.Lovelace+bills@Example.COM ") == "ada.lovelace+bills@example.com"


@given(st.text(min_size=1, max_size=20), st.sampled_from(["\r", "\n", "\x0b", "\x0c", "\x85", "\x1b", "\x7f"]),
       st.integers(min_value=0, max_value=20))
def test_no_address_holding_a_control_character_is_ever_accepted(text: str, control: str, at: int) -> None:
    candidate = "ada@example.com"[:at] + control + text + "ada@example.com"[at:]
    assert email_problem(candidate) is not None
