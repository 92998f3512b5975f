"""A signed-in customer's Global Privacy Control signal, recorded against the account (the portal's hook)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from custodian.consent.web_choices import record_customer_gpc
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.policy import store as policy_store
from tests.builders.consent import record, snapshot
from tests.builders.consent_web import ledger
from tests.builders.legal import activate_spectrumvoip
from tests.builders.records import an_account

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_a_customers_gpc_opts_the_account_out_of_sale_and_sharing_once(engine: Engine, keyring: Keyring) -> None:
    """Cal. Civ. Code §1798.135(b)(1): the signal is a request to opt out of sale and sharing."""
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
        policy = policy_store.in_force(conn, NOW).compiled()  # type: ignore[union-attr]
    account_id = an_account(engine, keyring)
    record(engine, policy, account_id, "targeted_advertising", "granted", NOW - timedelta(days=3))
    with transaction(engine) as conn:
        assert record_customer_gpc(conn, policy, account_id, now=NOW) == 1
    with transaction(engine) as conn:
        assert record_customer_gpc(conn, policy, account_id, now=NOW + timedelta(minutes=5)) == 0
    assert ledger(engine)[-1] == (account_id, None, "targeted_advertising", "any", "denied", "gpc")
    decision = snapshot(engine, policy, NOW + timedelta(minutes=10)).allowed(
        account_id, "targeted_advertising", NOW + timedelta(minutes=10))
    assert (decision.allowed, decision.basis) == (False, "opted out")
    assert snapshot(engine, policy, NOW).allowed(account_id, "site_analytics", NOW).allowed  # not sale or sharing
