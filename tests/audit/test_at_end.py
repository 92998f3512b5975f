"""`audit.at_end`: events appended in the block are written when it ends, in order, in the same transaction —
so a long audited write (the legal intake) locks the chain's head only from there to its commit (issue 19 §2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from custodian.audit import store as audit
from custodian.audit.tables import audit_event
from custodian.db.engine import transaction

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_event)).scalar_one())


def test_events_appended_in_the_block_are_written_when_it_ends_in_their_order(engine: Engine) -> None:
    with transaction(engine) as conn:
        with audit.at_end(conn):
            audit.append(conn, actor="requester:api", action="legal.request.received", now=T0)
            audit.append_many(conn, [{"actor": "requester:api", "action": "legal.request.in_review"}], now=T0)
            audit.append(conn, actor="requester:api", action="legal.request.scoped", now=T0 + timedelta(seconds=1))
            assert conn.execute(select(func.count()).select_from(audit_event)).scalar_one() == 0
            assert audit.head(conn)[0] == 0  # the head is not touched (nor locked) before the block ends
        assert audit.head(conn)[0] == 3
    with engine.connect() as conn:
        rows = conn.execute(select(audit_event.c.seq, audit_event.c.action).order_by(audit_event.c.seq)).all()
        assert [tuple(r) for r in rows] == [(1, "legal.request.received"), (2, "legal.request.in_review"),
                                            (3, "legal.request.scoped")]
        assert audit.verify(conn) is None


def test_a_failing_block_writes_none_of_its_events(engine: Engine) -> None:
    with pytest.raises(RuntimeError), transaction(engine) as conn, audit.at_end(conn):
        audit.append(conn, actor="requester:api", action="legal.request.received", now=T0)
        raise RuntimeError("the intake failed")
    assert _count(engine) == 0


def test_a_nested_block_writes_with_the_outermost(engine: Engine) -> None:
    with transaction(engine) as conn, audit.at_end(conn):
        with audit.at_end(conn):
            audit.append(conn, actor="a", action="first", now=T0)
        assert conn.execute(select(func.count()).select_from(audit_event)).scalar_one() == 0
        audit.append(conn, actor="a", action="second", now=T0)
    assert _count(engine) == 2
    with engine.connect() as conn:
        assert audit.verify(conn) is None


def test_an_event_appended_in_the_block_has_no_place_in_the_chain_yet(engine: Engine) -> None:
    with transaction(engine) as conn, audit.at_end(conn):
        event = audit.append(conn, actor="a", action="first", now=T0)
        assert (event.seq, event.hash) == (0, "")
