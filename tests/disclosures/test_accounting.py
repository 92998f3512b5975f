"""The accounting of disclosures (issue 17 §3): per account, every disclosure, legal productions included, except
those a nondisclosure order still covers -- they appear when it ends.

SpectrumVoIP DRG VIII: "When a Data Request is accompanied by a nondisclosure order, SpectrumVoIP will notify the
affected customer(s) as soon as the order is overturned or expires.\""""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.disclosures.accounting import (
    LEGAL_PURPOSE_WORDS,
    LedgerEntry,
    ReleaseCount,
    accounting,
    covered_by_order,
    last_months,
    monthly_totals,
    page_of,
)
from custodian.disclosures.accounting_store import account_disclosures, read_own
from custodian.disclosures.gate import Ask, release
from custodian.disclosures.tables import disclosure, disclosure_release
from custodian.legal import production, service, submission
from custodian.legal.delivery import deliver
from custodian.policy import store as policy_store
from custodian.policy.vocabulary import CLASS_LABELS
from custodian.records.tables import account
from tests.builders.disclosures import DISCLOSING_POLICY, accounts_with_calls, choose, disclosing_policy, snapshot
from tests.builders.legal import a_request, spectrumvoip
from tests.legal.test_production import NOW, _load

CLASSES = ["subscriber.basic", "cpni.call_log"]


def _ids(engine: Engine) -> dict[str, int]:
    with transaction(engine) as conn:
        return {row.ref: row.id for row in conn.execute(select(account.c.ref, account.c.id))}


def _delivered(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path, **changes: object) -> int:
    """A 2703(d) order for the line +1 512 555 0100 (ACC-1 until 15 January, ACC-2 after), asking for subscriber
    records, call logs and SMS logs; only the first two approved; produced and delivered at NOW."""
    _load(engine, keyring, blobs, tmp)
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(
            record_classes=[*CLASSES, "cpni.sms_log"], **changes), channel="staff", actor="staff", now=NOW)
        if changes.get("kind") == "emergency":
            service.record_callback(conn, keyring, done.request_id, who="Sgt. Lee", number="+1 972 555 0100",
                                    called_at=NOW, passed=True, actor="staff", now=NOW)
        service.approve(conn, keyring, spectrumvoip(), done.request_id, CLASSES, rationale="2703(d) order",
                        actor="staff", now=NOW)
        production.produce(conn, keyring, blobs, spectrumvoip(), done.request_id, custodian_name="Pat",
                           actor="staff", now=NOW)
        deliver(conn, keyring, spectrumvoip(), done.request_id, actor="staff", now=NOW)
    return done.request_id


def _accounting(engine: Engine, account_id: int, now: datetime) -> list[str]:
    with transaction(engine) as conn:
        return [d.recipient for d in account_disclosures(conn, account_id, now)]


def test_a_delivered_production_is_recorded_with_exactly_the_accounts_and_classes_produced(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    request_id = _delivered(engine, keyring, blobs, tmp_path)
    ids = _ids(engine)
    with transaction(engine) as conn:
        released = conn.execute(select(disclosure_release)).one()
        accounts = set(conn.execute(select(disclosure.c.account_id)).scalars())
    assert (released.recipient, released.purpose, released.form) == ("Plano Police Department",
                                                                     "legal_obligation", "identifiable")
    assert json.loads(released.classes) == sorted(CLASSES)  # the SMS log was asked for, not approved, not produced
    assert released.legal_request_id == request_id and released.withheld_until is None
    assert accounts == {ids["ACC-1"], ids["ACC-2"]}  # ACC-3 is not on the target line
    assert _accounting(engine, ids["ACC-1"], NOW) == ["Plano Police Department"]
    assert _accounting(engine, ids["ACC-3"], NOW) == []


def test_an_emergency_disclosure_is_recorded_in_the_ledger_too(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _delivered(engine, keyring, blobs, tmp_path, kind="emergency", instrument={"type": "emergency_form"},
               requested_response_on=None, emergency={"basis": "hostage situation", "imminent_harm_attested": True})
    acc2 = _ids(engine)["ACC-2"]
    with transaction(engine) as conn:
        shown = account_disclosures(conn, acc2, NOW)
    assert [(d.recipient, d.purpose, d.legal) for d in shown] == [("Plano Police Department", LEGAL_PURPOSE_WORDS,
                                                                  True)]
    assert shown[0].categories == tuple(CLASS_LABELS[c] for c in sorted(CLASSES))


def test_a_production_under_a_dated_order_appears_only_when_the_order_expires(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _delivered(engine, keyring, blobs, tmp_path, nondisclosure_order={"expires_on": "2026-06-01"})
    acc1 = _ids(engine)["ACC-1"]
    with transaction(engine) as conn:
        assert conn.execute(select(disclosure_release.c.withheld_until)).scalar_one() == datetime(
            2026, 6, 1, tzinfo=UTC)
    assert _accounting(engine, acc1, datetime(2026, 5, 31, 23, 59, tzinfo=UTC)) == []  # not even a count
    assert _accounting(engine, acc1, datetime(2026, 6, 1, tzinfo=UTC)) == ["Plano Police Department"]


def test_a_production_under_an_order_without_end_appears_once_the_order_is_lifted(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    request_id = _delivered(engine, keyring, blobs, tmp_path, nondisclosure_order={})
    acc2 = _ids(engine)["ACC-2"]
    assert _accounting(engine, acc2, NOW + timedelta(days=3650)) == []
    lifted_at = NOW + timedelta(days=40)
    with transaction(engine) as conn:
        service.record_order_lifted(conn, keyring, request_id, lifted_at.date(), actor="staff", now=lifted_at)
    assert _accounting(engine, acc2, lifted_at - timedelta(days=1)) == []
    assert _accounting(engine, acc2, lifted_at) == ["Plano Police Department"]


def test_gate_releases_are_named_and_described_as_the_policy_says_newest_first_and_the_read_is_audited(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    ids = accounts_with_calls(engine, keyring, blobs, tmp_path, {"ACC-1": "TX"})
    choose(engine, ids["ACC-1"], "partner_offers", "granted")
    with transaction(engine) as conn:
        policy_store.activate(conn, DISCLOSING_POLICY, actor="test", effective_at=NOW - timedelta(days=30), now=NOW)
    for day, classes in ((0, ("subscriber.basic",)), (1, ("subscriber.basic", "cpni.call_log"))):
        release(engine, keyring, disclosing_policy(), snapshot(engine), Ask(
            "offers_partner", "partner_offers", classes, "identifiable", "staff:officer"), [ids["ACC-1"]],
            tmp_path / f"feed{day}.csv", "csv", NOW + timedelta(days=day))
    with transaction(engine) as conn:
        shown = read_own(conn, ids["ACC-1"], NOW + timedelta(days=2))
    assert [d.categories for d in shown] == [(CLASS_LABELS["subscriber.basic"], CLASS_LABELS["cpni.call_log"]),
                                             (CLASS_LABELS["subscriber.basic"],)]
    assert shown[0].recipient == "Example Offers Co." and shown[0].address.startswith("1 Partner Way")
    assert shown[0].purpose.startswith("Offers of our partners")
    with transaction(engine) as conn:
        last = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc()).limit(1)).one()
    assert (last.actor, last.action, last.account_id) == ("customer", "access.permit", ids["ACC-1"])


def _entry(made_at: datetime, **changes: object) -> LedgerEntry:
    return LedgerEntry(**{"made_at": made_at, "recipient": "Plano Police Department", "purpose": "legal_obligation",
                          "classes": ("subscriber.basic",), "form": "identifiable", "legal": True, **changes})


def test_an_order_covers_until_its_end_or_until_lifted_whichever_first() -> None:
    end = datetime(2026, 6, 1, tzinfo=UTC)
    dated = _entry(NOW, withheld_until=end)
    assert covered_by_order(dated, end - timedelta(seconds=1)) and not covered_by_order(dated, end)
    lifted = _entry(NOW, withheld_until=end, order_lifted_on=date(2026, 4, 1))
    assert not covered_by_order(lifted, datetime(2026, 4, 1, tzinfo=UTC))
    open_ended = _entry(NOW, withheld_until_lifted=True)
    assert covered_by_order(open_ended, datetime(2099, 1, 1, tzinfo=UTC))
    assert not covered_by_order(_entry(NOW), NOW)
    extended = _entry(NOW, withheld_until=end, order_until=date(2026, 9, 1))  # the desk holds a later end now
    assert covered_by_order(extended, end) and not covered_by_order(extended, datetime(2026, 9, 1, tzinfo=UTC))


def test_the_accounting_leaves_out_what_is_covered_and_pages_newest_first() -> None:
    entries = [_entry(NOW + timedelta(days=i)) for i in range(30)] + [_entry(NOW, withheld_until_lifted=True)]
    shown = accounting(entries, [], NOW + timedelta(days=40))
    assert len(shown) == 30 and shown[0].made_at > shown[-1].made_at
    first, page, pages = page_of(shown, 2, 25)
    assert (len(first), page, pages) == (5, 2, 2)
    assert page_of([], 9, 25)[1:] == (1, 1)


def test_the_officers_totals_count_releases_and_accounts_per_recipient_and_purpose_per_month() -> None:
    now = datetime(2026, 3, 15, tzinfo=UTC)
    totals = monthly_totals([ReleaseCount(datetime(2026, 3, 1, tzinfo=UTC), "a", "p", 4),
                             ReleaseCount(datetime(2026, 3, 2, tzinfo=UTC), "a", "p", 1),
                             ReleaseCount(datetime(2025, 4, 1, tzinfo=UTC), "b", "q", 7),
                             ReleaseCount(datetime(2025, 3, 31, tzinfo=UTC), "b", "q", 9)], now)  # 13 months ago
    assert totals.months == last_months(now) and totals.months[0] == "2025-04" and totals.months[-1] == "2026-03"
    assert totals.rows[0][:2] == ("a", "p") and totals.rows[0][2][-1] == 2 and totals.rows[0][3][-1] == 5
    assert totals.rows[1][3][0] == 7 and sum(totals.accounts_per_month()) == 12
