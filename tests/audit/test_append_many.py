"""Batched appends: one head lock per batch, the same chain as one-by-one appends."""

from __future__ import annotations

import itertools

from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.db.engine import transaction


def test_a_batch_extends_the_chain_in_order_and_verifies(engine: Engine) -> None:
    with transaction(engine) as conn:
        audit.append(conn, actor="a", action="one", reason="first")
        count = audit.append_many(conn, [{"actor": "b", "action": "access.permit", "account_id": 3,
                                          "record_classes": ["cpni.call_log"], "reason": f"n{i}",
                                          "detail": {"i": i}} for i in range(5)])
        audit.append(conn, actor="c", action="last", reason="after the batch")
    with engine.connect() as conn:
        events = list(audit.iter_events(conn))
        assert audit.verify(conn) is None
    assert count == 5 and [e.seq for e in events] == list(range(1, 8))
    assert [e.reason for e in events[1:6]] == [f"n{i}" for i in range(5)]
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))


def test_an_empty_batch_leaves_the_chain_alone(engine: Engine) -> None:
    with transaction(engine) as conn:
        assert audit.append_many(conn, []) == 0
        assert audit.head(conn)[0] == 0
