"""Writing number assignments: a number is never held by two accounts at overlapping times."""

from __future__ import annotations

from sqlalchemy import Connection, insert

from custodian.ingest.records import NumberRow
from custodian.ingest.writers import BatchResult, RowWriter
from custodian.kernel.clock import utcnow
from custodian.records import payload, store
from custodian.records.rules import conflicting_assignment
from custodian.records.tables import number_assignment


class NumberWriter(RowWriter):
    """Adds assignments after checking the number's whole history."""

    record_classes = ("numbers.assignments",)


    def write(self, conn: Connection, batch: list[tuple[int, NumberRow]]) -> BatchResult:
        result = BatchResult()
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
                until = clash.end.isoformat() if clash.end else "open-ended"
                result.errors.append((line, "number: overlaps an existing assignment of this "
                                            f"number ({clash.start.isoformat()} to {until})"))
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
