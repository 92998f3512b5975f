"""Keyed pseudonyms of de-identified feeds: stable for one recipient, different and unjoinable across recipients."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from custodian.disclosures.pseudonyms import Pseudonymiser, recipient_key

KEYS = st.binary(min_size=32, max_size=32)
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=20)
REFS = st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=30, unique=True)


@given(KEYS, NAMES, NAMES, REFS)
def test_two_recipients_pseudonyms_of_the_same_accounts_never_match(master: bytes, first: str, second: str,
                                                                     refs: list[str]) -> None:
    """Issue 17 §2: "a test shows two recipients cannot join their feeds": no token of one recipient's feed equals
    any token of the other's, so no account can be matched across the two."""
    if first == second:
        return
    one, other = Pseudonymiser(master, first), Pseudonymiser(master, second)
    tokens_one = {one.token("account", ref) for ref in refs}
    tokens_other = {other.token("account", ref) for ref in refs}
    assert not tokens_one & tokens_other


@given(KEYS, NAMES, REFS)
def test_one_recipients_pseudonyms_are_stable_and_distinct(master: bytes, name: str, refs: list[str]) -> None:
    """The same recipient receives the same token for an account in every feed, and different accounts differ."""
    first, again = Pseudonymiser(master, name), Pseudonymiser(master, name)
    tokens = [first.token("account", ref) for ref in refs]
    assert tokens == [again.token("account", ref) for ref in refs]
    assert len(set(tokens)) == len(refs)


@given(KEYS, KEYS, NAMES)
def test_the_recipients_key_depends_on_the_master_key(master: bytes, other: bytes, name: str) -> None:
    """Without the master key no one, the recipient included, can recompute a pseudonym."""
    if master != other:
        assert recipient_key(master, name) != recipient_key(other, name)


def test_a_value_of_another_kind_gets_another_token_and_empty_stays_empty() -> None:
    pseudonyms = Pseudonymiser(b"k" * 32, "advertising_partners")
    assert pseudonyms.token("account", "+15125550100") != pseudonyms.token("number", "+15125550100")
    assert pseudonyms.token("number", "") == ""
    assert len(pseudonyms.token("number", "+15125550100")) == 32
