"""Writing billing transactions; a card is kept only as a (brand, last four) payment instrument."""

from __future__ import annotations

from sqlalchemy import Connection, select

from custodian.db.bulk import BulkInserter, time_encoder
from custodian.ingest.records import BillingRow
from custodian.ingest.writers import BatchResult, RowWriter
from custodian.ingest.writers.dedupe import insert_unless_present
from custodian.kernel.clock import utcnow
from custodian.records.tables import billing_transaction, payment_instrument

COLUMNS = ("account_id", "occurred_at", "record_key", "reference", "amount_cents", "currency", "method", "state",
           "instrument_id")


class BillingWriter(RowWriter):
    """Resolves accounts by reference, gets or creates instruments, bulk-inserts the new transactions."""

    record_classes = ("billing.transactions", "billing.payment_instrument")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._instruments: dict[tuple[int, str, str], int] = {}
        self._inserter = BulkInserter(billing_transaction, COLUMNS)

    def write(self, conn: Connection, batch: list[tuple[int, BillingRow]]) -> BatchResult:
        """Insert the batch; a transaction already present is a duplicate."""
        result = BatchResult()
        encode_time = time_encoder(conn)
        rows, refused = [], 0
        for line, row in batch:
            account_id = self.account_for(conn, line, row.account_ref, result)
            if account_id is None:
                continue
            if not self.retention.allows(conn, account_id, "billing.transactions", row.occurred_at, row.key):
                refused += 1  # retention or the customer deleted it: it would only be deleted again
                continue
            instrument_id = self._instrument(conn, account_id, row) if row.card_last4 else None
            rows.append((account_id, encode_time(row.occurred_at), row.key, row.reference, row.amount_cents,
                         row.currency, row.method, row.state, instrument_id))
        result.imported = self._inserter.insert(conn, rows)
        result.duplicates = len(rows) - result.imported + refused
        return result

    def _instrument(self, conn: Connection, account_id: int, row: BillingRow) -> int:
        """The id of the account's (brand, last4) instrument, created on first sight."""
        key = (account_id, row.card_brand, row.card_last4)
        cached = self._instruments.get(key)
        if cached is not None:
            return cached
        insert_unless_present(
            conn, payment_instrument, ("account_id", "brand", "last4"),
            account_id=account_id, brand=row.card_brand, last4=row.card_last4,
            created_at=utcnow())
        found = conn.execute(select(payment_instrument.c.id).where(
            payment_instrument.c.account_id == account_id,
            payment_instrument.c.brand == row.card_brand,
            payment_instrument.c.last4 == row.card_last4)).scalar_one()
        self._instruments[key] = int(found)
        return int(found)
