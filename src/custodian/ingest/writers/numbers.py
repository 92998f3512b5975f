"""Writing number assignments: a number is never held by two accounts at overlapping times.

The database cannot enforce "one holder at a time": its keys lead with `account_id` so that Citus can distribute
the table by account (docs/operations.md "Beyond one server"), and a constraint across accounts would span shards.
This writer is therefore the guard: it reads the number's whole history and refuses a row that overlaps it, naming
the line. On PostgreSQL each batch first takes one transaction-scoped advisory lock for number assignments, so two
imports running at once cannot both see a free number and both assign it (one lock, not one per number: a batch of
thousands would exhaust the shared lock table); SQLite has a single writer at a time.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, text

from custodian.ingest.records import NumberRow
from custodian.ingest.writers import BatchResult, RowWriter
from custodian.kernel.clock import utcnow
from custodian.records import payload, store
from custodian.records.rules import Assignment, conflicting_assignment
from custodian.records.tables import number_assignment


class NumberWriter(RowWriter):
    """Adds assignments after checking the number's whole history."""

    record_classes = ("numbers.assignments",)


    def write(self, conn: Connection, batch: list[tuple[int, NumberRow]]) -> BatchResult:
        result = BatchResult()
        _lock_numbers(conn)
        for line, row in batch:
            account_id = self.account_for(conn, line, row.account_ref, result)
            if account_id is None:
                continue
            token = self.keyring.blind_index(conn, "number", row.number)
            history = store.assignments_of(conn, token)
            same = [a for a in history if a.account_id == account_id
                    and a.start == row.assigned_from and a.end == row.assigned_to]
            if same:
                result.duplicates += 1
                continue
            clash = conflicting_assignment(history, row.assigned_from, row.assigned_to)
            if clash is not None:
                result.errors.append((line, _clash_reason(clash, account_id)))
                continue
            cipher = self.keyring.cipher(conn, account_id)
            aad = payload.aad("number_assignment", "number", account_id)
            conn.execute(insert(number_assignment).values(
                number_bidx=token,
                number_enc=cipher.seal(row.number, aad),
                account_id=account_id, extension=row.extension or None,
                assigned_from=row.assigned_from, assigned_to=row.assigned_to,
                carrier=row.carrier or None, created_at=utcnow(),
            ))
            result.imported += 1
        return result


def _clash_reason(clash: Assignment, account_id: int) -> str:
    """Why a row is refused: the period it would overlap, and whether that would give the number a second holder."""
    until = clash.end.isoformat() if clash.end else "open-ended"
    reason = f"number: overlaps an existing assignment of this number ({clash.start.isoformat()} to {until})"
    if clash.account_id != account_id:
        reason += "; another account holds it then, and a number has one holder at a time"
    return reason


NUMBER_LOCK = (0x6E756D, 0)  # advisory lock of number assignments ('num'); the two-key form never meets a job's


def _lock_numbers(conn: Connection) -> None:
    """Serialise writers of number assignments until the transaction ends (PostgreSQL; SQLite writes one at a time)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"),
                     {"space": NUMBER_LOCK[0], "key": NUMBER_LOCK[1]})
