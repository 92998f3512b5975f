"""Chain verification across processes finds what the one-process walk finds."""

from __future__ import annotations

from sqlalchemy import Engine, text

from custodian.audit import store as audit
from custodian.audit.verify import verify_parallel
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
