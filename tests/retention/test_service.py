"""The privacy officer's retention view as data, and the customer's own chat interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.retention import hold_service
from custodian.retention.executor import run_retention
from custodian.retention.planner import build_plan
from custodian.retention.service import InvalidInterval, retention_view, set_customer_interval
from tests.builders.records import an_account
from tests.builders.retention import add_content, spectrumvoip_policy, spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_the_view_shows_the_schedule_the_next_run_holds_and_receipts(engine: Engine, keyring: Keyring,
                                                                     blobs: LocalBlobStore) -> None:
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.fax_sent", NOW - timedelta(days=45))
        add_content(conn, acc, "content.fax_sent", NOW - timedelta(days=40))
        hold_service.place_hold(conn, account_id=acc, until=NOW + timedelta(days=9), reason="r", source="cli",
                                actor="t", now=NOW - timedelta(days=1), window_start=NOW - timedelta(days=41))
    run_retention(engine, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW - timedelta(days=1),
                  actor="t")
    with engine.connect() as conn:
        view = retention_view(conn, spectrumvoip_policy(), NOW)
    assert {"classes": ["content.fax_sent"], "profiles": ["standard"], "keep": {"days": 30}, "note": ""} in view.rules
    assert view.on_closure == {"purge_after_days": 30, "deadline_days": 45, "deidentify": ["billing.transactions"]}
    assert view.next_run.as_json()["held"] == {"content.fax_sent": 1}
    assert [h.account_id for h in view.holds] == [acc]
    assert view.receipts[0].deleted == {"content.fax_sent": 1}


def test_a_customer_sets_the_chat_interval_from_24_hours_up(engine: Engine, keyring: Keyring) -> None:
    """Chat retention is set "by individual customers at any interval between twenty-four (24) hours and up"."""
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.chat", NOW - timedelta(hours=50))
        with pytest.raises(InvalidInterval, match=r"^hours: at least 24 hours"):
            set_customer_interval(conn, spectrumvoip_policy(), account_id=acc, record_class="content.chat",
                                  hours=23, actor="customer", now=NOW)
        set_customer_interval(conn, spectrumvoip_policy(), account_id=acc, record_class="content.chat", hours=48,
                              actor="customer", now=NOW)
        assert build_plan(conn, spectrumvoip_schedule(), NOW).deletions == {"content.chat": 1}


def test_hipaa_customers_cannot_set_their_own_chat_interval(engine: Engine, keyring: Keyring) -> None:
    acc = an_account(engine, keyring, profile="hipaa")
    with transaction(engine) as conn, pytest.raises(InvalidInterval, match=r"^record_class:"):
        set_customer_interval(conn, spectrumvoip_policy(), account_id=acc, record_class="content.chat", hours=48,
                              actor="customer", now=NOW)
