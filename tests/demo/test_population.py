"""The demo plan: a number never belongs to two accounts at once, and the plan is reproducible."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from custodian.demo.population import DemoPlan, NumberHolding, build_plan
from custodian.records.rules import overlaps

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def holdings_by_number(plan: DemoPlan) -> dict[str, list[NumberHolding]]:
    grouped: dict[str, list[NumberHolding]] = defaultdict(list)
    for holding in plan.holdings:
        grouped[holding.number].append(holding)
    return grouped


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), account_count=st.integers(1, 400))
def test_no_number_is_held_by_two_assignments_at_overlapping_times(
        seed: int, account_count: int) -> None:
    plan = build_plan(seed, account_count, NOW)
    for holdings in holdings_by_number(plan).values():
        for index, first in enumerate(holdings):
            for second in holdings[index + 1:]:
                assert not overlaps(first.assigned_from, first.assigned_to,
                                    second.assigned_from, second.assigned_to)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), account_count=st.integers(1, 200))
def test_holdings_lie_within_the_account_lifetime(seed: int, account_count: int) -> None:
    plan = build_plan(seed, account_count, NOW)
    accounts = {acc.ref: acc for acc in plan.accounts}
    assert {holding.account_ref for holding in plan.holdings} == set(accounts)
    for holding in plan.holdings:
        acc = accounts[holding.account_ref]
        assert holding.assigned_from.date() >= acc.signup_on
        assert holding.assigned_from < NOW
        if holding.assigned_to is not None:
            assert holding.assigned_to > holding.assigned_from
        if acc.closed_on is not None:
            assert holding.assigned_to is not None
            assert holding.assigned_to.date() <= acc.closed_on


def test_numbers_of_closed_accounts_are_reassigned_to_later_accounts() -> None:
    plan = build_plan(7, 600, NOW)
    closed = {acc.ref for acc in plan.accounts if acc.status == "closed"}
    reassigned = [holdings for holdings in holdings_by_number(plan).values()
                  if len({h.account_ref for h in holdings}) > 1
                  and any(h.account_ref in closed for h in holdings)]
    assert len(reassigned) >= 10


def test_plan_mixes_account_kinds_profiles_statuses_and_controllers() -> None:
    plan = build_plan(7, 600, NOW)
    assert {acc.kind for acc in plan.accounts} == {"business", "residential"}
    assert {acc.profile for acc in plan.accounts} == {"standard", "hipaa"}
    assert {acc.status for acc in plan.accounts} == {"active", "suspended", "closed"}
    assert any(acc.controller for acc in plan.accounts)
    assert all(acc.company for acc in plan.accounts if acc.kind == "business")
    assert all(acc.email.rsplit("@", 1)[1] in {"example.com", "example.net", "example.org"}
               for acc in plan.accounts)


def test_same_seed_builds_the_same_plan_and_another_seed_a_different_one() -> None:
    assert build_plan(11, 120, NOW) == build_plan(11, 120, NOW)
    assert build_plan(11, 120, NOW) != build_plan(12, 120, NOW)
