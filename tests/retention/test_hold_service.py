"""Placing, extending and releasing holds: stored, listed and audited in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.retention import hold_service
from custodian.retention.holds import InvalidHold
from tests.builders.records import an_account

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_a_placed_hold_is_listed_active_and_audited(engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        hold = hold_service.place_hold(conn, account_id=account_id, until=NOW + timedelta(days=90),
                                       reason="2703(f) letter", source="legal:preservation:12", actor="desk",
                                       now=NOW, classes=["cpni.call_log"], window_start=NOW - timedelta(days=60))
    with engine.connect() as conn:
        assert [h.id for h in hold_service.holds_of_account(conn, account_id, NOW)] == [hold.id]
        assert [h.id for h in hold_service.list_holds(conn, NOW, source_prefix="legal:preservation:")] == [hold.id]
        events = audit.events_for_account(conn, account_id)
    placed = next(e for e in events if e.action == "hold.place")
    assert placed.record_classes == ("cpni.call_log",)
    assert placed.detail["source"] == "legal:preservation:12"
    assert hold.classes == frozenset({"cpni.call_log"}) and hold.window_end is None


def test_a_released_hold_is_no_longer_active_but_listed_with_all(engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        hold = hold_service.place_hold(conn, account_id=account_id, until=NOW + timedelta(days=90), reason="r",
                                       source="cli", actor="a", now=NOW)
        hold_service.release_hold(conn, hold.id, actor="a", reason="case closed", now=NOW + timedelta(days=1))
    later = NOW + timedelta(days=2)
    with engine.connect() as conn:
        assert hold_service.holds_of_account(conn, account_id, later) == []
        assert [h.released_by for h in hold_service.list_holds(conn, later, include_ended=True)] == ["a"]
        assert [e.action for e in audit.events_for_account(conn, account_id)][:2] == ["hold.release", "hold.place"]


def test_an_extension_moves_the_end_later_and_never_earlier(engine: Engine, keyring: Keyring) -> None:
    """Preservation "holds existing records 90 days, once renewable for 90 more" (DESIGN.md)."""
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        hold = hold_service.place_hold(conn, account_id=account_id, until=NOW + timedelta(days=90), reason="r",
                                       source="cli", actor="a", now=NOW)
        extended = hold_service.extend_hold(conn, hold.id, until=NOW + timedelta(days=180), actor="a",
                                            reason="renewed", now=NOW + timedelta(days=80))
        with pytest.raises(InvalidHold, match=r"^until:"):
            hold_service.extend_hold(conn, hold.id, until=NOW + timedelta(days=100), actor="a", reason="x",
                                     now=NOW + timedelta(days=81))
    assert extended.until == NOW + timedelta(days=180)


def test_a_hold_on_an_unknown_account_is_refused(engine: Engine) -> None:
    with transaction(engine) as conn, pytest.raises(InvalidHold, match=r"^account:"):
        hold_service.place_hold(conn, account_id=999, until=NOW + timedelta(days=1), reason="r", source="cli",
                                actor="a", now=NOW)


def test_releasing_an_unknown_hold_says_so(engine: Engine) -> None:
    with transaction(engine) as conn, pytest.raises(hold_service.HoldNotFound):
        hold_service.release_hold(conn, 42, actor="a", reason="r", now=NOW)
