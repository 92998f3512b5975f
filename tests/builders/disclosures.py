"""A policy with recipients of every data form, and accounts with records, for the disclosure gate's tests."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Engine

from custodian.consent import service as consent_service
from custodian.consent.snapshot import ConsentSnapshot
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.policy.check import check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.records.types import PostalAddress
from tests.builders.files import BILLING_HEADER, CALLS_HEADER, billing_line, csv_file, custodian_call_line
from tests.builders.policy import SMALL_POLICY
from tests.builders.records import an_account

PURPOSES = """\
  partner_offers:
    data_use: marketing.communications.email
    choice: opt_in
    classes: [subscriber.basic, cpni.call_log]
    description: Offers of our partners, sent by them, for customers who asked for them.
  usage_statistics:
    data_use: analytics.reporting
    choice: opt_in
    classes: [subscriber.basic, cpni.call_log]
    description: Counts of calls and accounts by state and month, never one customer's figures.
    data_form: aggregate
staff:
"""
RECIPIENTS = """\
recipients:
  offers_partner:
    name: Example Offers Co.
    kind: partner
    address: 1 Partner Way, Dallas, TX 75201
    classes: [subscriber.basic, cpni.call_log]
    purposes: [partner_offers]
  ad_partner:
    name: Example Ads Inc.
    kind: advertiser
    classes: [subscriber.basic, cpni.call_log]
    purposes: [partner_offers]
    data_form: de_identified
    quasi_identifiers: [postal_code, city, signed_up_on]
  other_ad_partner:
    name: Other Ads LLC
    kind: advertiser
    classes: [subscriber.basic, cpni.call_log]
    purposes: [partner_offers]
    data_form: de_identified
  report_partner:
    name: Example Research Ltd.
    kind: partner
    classes: [subscriber.basic, cpni.call_log]
    purposes: [usage_statistics]
    data_form: aggregate
    min_group_size: 3
"""
DISCLOSING_POLICY = SMALL_POLICY.replace("staff:\n", PURPOSES, 1).replace("recipients:\n", RECIPIENTS, 1)
NOW = datetime.fromisoformat("2026-03-02T15:00:00+00:00")
OWN = "+15125550100"


@cache
def disclosing_policy() -> CompiledPolicy:
    """SMALL_POLICY with an identifiable partner for an opt-in purpose, two de-identified advertisers and an
    aggregate recipient (k = 3), each for an opt-in purpose (the checker asks opt-in of any CPNI a third
    party receives, aggregates included)."""
    result = check_text(DISCLOSING_POLICY)
    assert result.valid and result.document is not None, [p.message for p in result.problems]
    return compile_policy(result.document, DISCLOSING_POLICY)


def accounts_with_calls(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path,
                        states: dict[str, str]) -> dict[str, int]:
    """One account per reference in `states` (its contact address in that state), each with two calls in January
    and a billing line; return their ids."""
    ids = {ref: an_account(engine, keyring, ref=ref, email=f"{ref.lower()}@example.com",
                           address=PostalAddress("1 Main St", "Austin", state, "78701"))
           for ref, state in states.items()}
    calls = [custodian_call_line(ref, "out", OWN, "+14155550142", f"2026-01-{day:02d}T10:00:00Z")
             for ref in states for day in (10, 11)]
    summary = run_import(engine, keyring, blobs, lookup("calls", "custodian"),
                         csv_file(tmp / "calls.csv", CALLS_HEADER, calls), actor="test")
    assert summary.rejected == 0, summary.as_json()
    billing = [billing_line(ref, "2026-01-01T00:00:00Z", f"INV-{ref}") for ref in states]
    assert run_import(engine, keyring, blobs, lookup("billing"), csv_file(tmp / "billing.csv", BILLING_HEADER,
                                                                          billing), actor="test").rejected == 0
    return ids


def choose(engine: Engine, account_id: int, purpose: str, choice: str) -> None:
    """Record the customer's choice for a purpose, as the portal would."""
    with transaction(engine) as conn:
        consent_service.record(conn, disclosing_policy(), account_id=account_id, purpose=purpose, choice=choice,
                               channel="portal", made_at=NOW.replace(day=1), actor="customer", now=NOW.replace(day=1))


def snapshot(engine: Engine) -> ConsentSnapshot:
    """The consent snapshot the gate decides with, as of NOW."""
    with transaction(engine) as conn:
        return consent_service.load_snapshot(conn, disclosing_policy(), NOW)
