"""Writing E911 registered addresses: only for a number the account holds at registration time."""

from __future__ import annotations

from sqlalchemy import Connection

from custodian.ingest.records import E911Row
from custodian.ingest.writers import BatchResult, RowWriter
from custodian.ingest.writers.dedupe import insert_unless_present
from custodian.records import payload, store
from custodian.records.rules import holder_at
from custodian.records.tables import e911_address


class E911Writer(RowWriter):
    """Checks the number history, then stores the address encrypted."""

    record_classes = ("location.e911_address",)


    def write(self, conn: Connection, batch: list[tuple[int, E911Row]]) -> BatchResult:
        """Insert each new registration; a registration already present is a duplicate."""
        result = BatchResult()
        for line, row in batch:
            account_id = self.account_for(conn, line, row.account_ref, result)
            if account_id is None:
                continue
            token = self.keyring.blind_index(conn, "number", row.number)
            if holder_at(store.assignments_of(conn, token), row.registered_at) != account_id:
                result.errors.append((line, "number: not assigned to this account at registered_at"))
                continue
            cipher = self.keyring.cipher(conn, account_id)
            sealed = {f"{part}_enc": cipher.seal(getattr(row.address, part),
                                                 payload.aad("e911_address", part, account_id))
                      for part in ("street", "city", "state", "postal_code")}
            inserted = insert_unless_present(
                conn, e911_address, ("account_id", "number_bidx", "registered_at"),
                account_id=account_id, number_bidx=token, country=row.address.country,
                registered_at=row.registered_at, **sealed)
            result.imported += int(inserted)
            result.duplicates += int(not inserted)
        return result
