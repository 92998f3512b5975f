"""Chain verification across processes finds what the one-process walk finds."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import Engine, text

from custodian.audit import store as audit
from custodian.audit.verify import checked_rows, verify_fast, verify_parallel
from custodian.db.engine import transaction


def _events(engine: Engine, count: int) -> None:
    with transaction(engine) as conn:
        audit.append_many(conn, [{"actor": "staff:rita", "action": "access.deny", "account_id": i,
                                  "record_classes": ["cpni.call_log"], "reason": f"r{i}"} for i in range(count)])


def test_parallel_verification_passes_an_intact_chain_and_names_the_first_edited_event(
        engine: Engine, database_url: str) -> None:
    _events(engine, 300)
    assert verify_parallel(database_url, workers=2, min_events=1) is None
    with transaction(engine) as conn:
        conn.execute(text("UPDATE audit_event SET reason = 'edited' WHERE seq IN (120, 250)"))
    found = verify_parallel(database_url, workers=2, min_events=1)
    assert found is not None and found.seq == 120 and "edited" in found.problem
    with engine.connect() as conn:
        assert audit.verify(conn) == found


AWKWARD = ['plain', 'quote " and backslash \\', 'tab\tnew line\ncarriage\rreturn', 'controls \x01\x08\x0c\x1f\x7f',
           'é, 名前, emoji 🛰️, line separator \u2028 and paragraph \u2029', '</script><!--', "{\"looks\": [\"json\"]}",
           '\\u0041 is not A', '']


def test_the_databases_canonical_text_is_the_reference_for_awkward_text(engine: Engine) -> None:
    """The fast check passes every intact event by itself, so it never needs the slow reference re-check."""
    with transaction(engine) as conn:
        audit.append_many(conn, [{"actor": f"staff:{text_}"[:120], "action": text_[:80], "account_id": None if i % 2
                                  else 2**40 + i, "record_classes": [text_], "reason": text_,
                                  "detail": {text_: [text_, i, None, True, 1.5]}}
                                 for i, text_ in enumerate(AWKWARD)])
    with engine.connect() as conn:
        rows = list(checked_rows(conn, 0, len(AWKWARD)))
    assert len(rows) == len(AWKWARD)
    for _seq, _prev, digest, check in rows:
        assert check is True or hashlib.sha256(check).hexdigest() == digest
    with engine.connect() as conn:
        assert audit.verify(conn) is None


def test_verification_can_continue_from_a_verified_checkpoint(engine: Engine, database_url: str) -> None:
    _events(engine, 50)
    with engine.connect() as conn:
        checkpoint = next(e for e in audit.iter_events(conn) if e.seq == 20)
    with transaction(engine) as conn:
        conn.execute(text("UPDATE audit_event SET reason = 'edited' WHERE seq IN (10, 30)"))
    since = (checkpoint.seq, checkpoint.hash)
    found = verify_parallel(database_url, workers=2, min_events=1, after=since)
    assert found is not None and found.seq == 30  # event 10 lies before the checkpoint: not re-checked
    with engine.connect() as conn:
        assert verify_fast(conn, after=since) == found
        assert verify_fast(conn, after=(20, "f" * 64)) is not None  # not a continuation of that checkpoint


RETYPED = {"a BLOB where text belongs": "reason = X'00ff'", "a number where text belongs": "actor = 42.5",
           "text where a number belongs": "account_id = 'abc'", "a BLOB where a number belongs": "account_id = X'01'",
           "a BLOB hash": "hash = X'01'"}


@pytest.mark.parametrize("change", RETYPED.values(), ids=RETYPED.keys())
def test_a_retyped_field_is_reported_as_a_broken_event_never_a_traceback(engine: Engine, database_url: str,
                                                                         change: str) -> None:
    """Issue: the verifier reports a re-typed field as a broken event with its sequence number (SQLite keeps
    any type in any column; PostgreSQL refuses the change, so this runs on SQLite)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("only SQLite stores a value of another type in a typed column")
    _events(engine, 10)
    with transaction(engine) as conn:
        conn.execute(text(f"UPDATE audit_event SET {change} WHERE seq = 4"))
    with engine.connect() as conn:
        found = audit.verify(conn)
    assert found is not None and found.seq == 4
    assert verify_parallel(database_url, workers=2, min_events=1) == found
