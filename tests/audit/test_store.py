"""The stored audit chain (both databases): appends link and verify finds tampering done in SQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, select, text, update

from custodian.audit import store as audit
from custodian.audit.chain import GENESIS_HASH
from custodian.audit.tables import audit_event
from custodian.db.engine import transaction

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _append_events(engine: Engine, count: int, start: datetime = T0) -> None:
    for index in range(count):
        with transaction(engine) as conn:
            audit.append(conn, actor=f"cli:rep{index}", action="import.accounts", account_id=index + 1,
                         record_classes=["subscriber.basic", "subscriber.basic"], reason=f"batch {index + 1}",
                         detail={"run": 1, "imported": index}, now=start + timedelta(days=20 * index))


def _verify(engine: Engine) -> int | None:
    with engine.connect() as conn:
        found = audit.verify(conn)
    return None if found is None else found.seq


def test_a_new_database_has_an_empty_intact_chain(engine: Engine) -> None:
    with engine.connect() as conn:
        assert audit.head(conn) == (0, GENESIS_HASH)
    assert _verify(engine) is None


def test_appended_events_are_numbered_and_linked_by_previous_hash(engine: Engine) -> None:
    _append_events(engine, 4)
    with engine.connect() as conn:
        events = list(audit.iter_events(conn))
        head = audit.head(conn)
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert head == (4, events[-1].hash)
    assert events[0].record_classes == ("subscriber.basic",)
    assert events[2].detail == {"run": 1, "imported": 2}
    assert events[2].occurred_at == T0 + timedelta(days=40)


def test_an_intact_chain_verifies(engine: Engine) -> None:
    _append_events(engine, 5)
    assert _verify(engine) is None


def test_editing_an_events_reason_in_sql_is_caught_at_that_event(engine: Engine) -> None:
    _append_events(engine, 5)
    with transaction(engine) as conn:
        conn.execute(update(audit_event).where(audit_event.c.seq == 3).values(reason="nothing happened"))
    assert _verify(engine) == 3


def test_editing_an_events_actor_in_sql_is_caught_at_that_event(engine: Engine) -> None:
    _append_events(engine, 5)
    with transaction(engine) as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'cli:innocent' WHERE seq = 2"))
    assert _verify(engine) == 2


def test_deleting_an_event_is_caught_where_it_went_missing(engine: Engine) -> None:
    _append_events(engine, 5)
    with transaction(engine) as conn:
        conn.execute(delete(audit_event).where(audit_event.c.seq == 2))
    assert _verify(engine) == 2


def test_swapping_two_events_sequence_numbers_is_caught(engine: Engine) -> None:
    _append_events(engine, 5)
    with transaction(engine) as conn:
        conn.execute(text("UPDATE audit_event SET seq = -3 WHERE seq = 3"))
        conn.execute(text("UPDATE audit_event SET seq = 3 WHERE seq = 4"))
        conn.execute(text("UPDATE audit_event SET seq = 4 WHERE seq = -3"))
    assert _verify(engine) == 3


def test_truncating_the_tail_is_caught_by_the_head(engine: Engine) -> None:
    _append_events(engine, 5)
    with transaction(engine) as conn:
        conn.execute(delete(audit_event).where(audit_event.c.seq >= 4))
    assert _verify(engine) == 4


def test_time_never_runs_backwards_along_the_chain(engine: Engine) -> None:
    _append_events(engine, 1, start=T0)
    with transaction(engine) as conn:
        late = audit.append(conn, actor="cli:x", action="system.check", now=T0 - timedelta(hours=1))
    assert late.occurred_at == T0
    assert _verify(engine) is None


def test_concurrent_appends_keep_one_gapless_sequence(engine: Engine) -> None:
    def append_many(worker: int) -> None:
        for index in range(8):
            with transaction(engine) as conn:
                audit.append(conn, actor=f"worker{worker}", action="system.check", reason=str(index))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(append_many, range(4)))
    with engine.connect() as conn:
        events = list(audit.iter_events(conn))
        seqs = list(conn.execute(select(audit_event.c.seq).order_by(audit_event.c.occurred_at,
                                                                    audit_event.c.seq)).scalars())
    assert [e.seq for e in events] == list(range(1, 33))
    assert seqs == list(range(1, 33))  # sequence order is also time order
    assert sorted(e.actor for e in events) == sorted(f"worker{w}" for w in range(4) for _ in range(8))
    assert _verify(engine) is None


def test_a_rolled_back_append_leaves_no_trace(engine: Engine) -> None:
    _append_events(engine, 2)
    with pytest.raises(RuntimeError), transaction(engine) as conn:
        audit.append(conn, actor="cli:x", action="system.check")
        raise RuntimeError("the change it records failed")
    with engine.connect() as conn:
        assert audit.head(conn)[0] == 2
    assert _verify(engine) is None


def test_the_newest_events_about_one_account_are_listed_first(engine: Engine) -> None:
    _append_events(engine, 3)
    with transaction(engine) as conn:
        audit.append(conn, actor="cli:x", action="keys.shred", account_id=2, reason="closure",
                     now=T0 + timedelta(days=100))
    with engine.connect() as conn:
        events = audit.events_for_account(conn, 2)
    assert [(e.seq, e.action) for e in events] == [(4, "keys.shred"), (2, "import.accounts")]


def test_searching_shows_an_event_with_retyped_fields_instead_of_failing(engine: Engine, database_url: str) -> None:
    """The officer's audit search lists a tampered event (a BLOB where text belongs) as it is; the chain
    verification reports it (SQLite only: PostgreSQL refuses the change)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("only SQLite stores a value of another type in a typed column")
    _append_events(engine, 3)
    with transaction(engine) as conn:
        conn.execute(text("UPDATE audit_event SET record_classes = X'00ff', detail = X'7b7b', reason = X'01' "
                          "WHERE seq = 2"))
    with engine.connect() as conn:
        events = audit.search(conn, action="import.*")
        assert audit.verify(conn) is not None
    tampered = next(e for e in events if e.seq == 2)
    assert tampered.detail == {"unreadable": True} and tampered.record_classes == ("\x00\ufffd",)
