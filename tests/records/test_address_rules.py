"""The address of record and its 30 days.

47 CFR 64.2003(b): "an address that the carrier has associated with the customer's account for at least
30 days". 64.2010(b): call detail by "sending it to the customer's address of record". 64.2010(f): the
change notice "must not ... be sent to the new account information".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.records.address_rules import AddressOfRecord, Medium, call_detail_address, notice_address

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
OLD, NEW = "old.home@example.com", "new.phone@example.com"


def _at(days_ago: float) -> datetime:
    return NOW - timedelta(days=days_ago)


@pytest.mark.parametrize("medium", ["email", "postal"])
def test_call_detail_is_refused_to_an_address_of_record_younger_than_30_days_saying_from_when(medium: Medium) -> None:
    history = [AddressOfRecord(medium, OLD, _at(400)), AddressOfRecord(medium, NEW, _at(29))]
    refused = call_detail_address(history, medium, NOW)
    assert refused.address == "" and refused.eligible_at == _at(29) + timedelta(days=30)
    assert "at least 30 days" in refused.problem and f"{refused.eligible_at:%Y-%m-%d %H:%M} UTC" in refused.problem
    assert NEW not in refused.problem and OLD not in refused.problem


@pytest.mark.parametrize("medium", ["email", "postal"])
def test_call_detail_goes_to_the_address_of_record_once_it_has_been_on_the_account_30_days(medium: Medium) -> None:
    history = [AddressOfRecord(medium, OLD, _at(400)), AddressOfRecord(medium, NEW, _at(30))]
    assert call_detail_address(history, medium, NOW).address == NEW
    assert call_detail_address(history, medium, NOW - timedelta(seconds=1)).address == ""


def test_an_account_without_an_address_of_that_medium_has_none_to_send_to() -> None:
    history = [AddressOfRecord("postal", "1 Main St, Austin", _at(400))]
    assert call_detail_address(history, "email", NOW).problem == "the account has no e-mail address of record"


def test_a_change_notice_goes_to_the_address_of_record_as_it_was_30_days_ago_never_a_new_one() -> None:
    history = [AddressOfRecord("email", OLD, _at(400)), AddressOfRecord("email", "interim@example.com", _at(10)),
               AddressOfRecord("email", NEW, _at(0))]
    assert notice_address(history, "email", NOW) == OLD


def test_a_change_notice_on_an_account_younger_than_30_days_goes_to_its_first_address() -> None:
    history = [AddressOfRecord("email", OLD, _at(3)), AddressOfRecord("email", NEW, _at(0))]
    assert notice_address(history, "email", NOW) == OLD
    assert notice_address([], "email", NOW) == ""


@given(st.lists(st.floats(min_value=0, max_value=90), min_size=1, max_size=6))
def test_a_notice_never_goes_to_an_address_brought_in_by_a_change_in_the_last_30_days(ages: list[float]) -> None:
    history = [AddressOfRecord("email", f"a{i}@example.com", _at(age)) for i, age in enumerate(ages)]
    first = min(history, key=lambda entry: entry.became_at)
    chosen = notice_address(history, "email", NOW)
    recent = {e.address for e in history if e.became_at > NOW - timedelta(days=30) and e is not first}
    assert chosen not in recent
