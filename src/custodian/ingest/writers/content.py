"""Writing content items: files streamed encrypted into the blob store; faxes also logged.

A row already present is found before its file is stored, so importing a manifest again leaves
no orphan blob behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, insert, select

from custodian.crypto.blobs import LocalBlobStore, PayloadUnreadable
from custodian.db.partitions import ensure_partitions
from custodian.ingest.formats.content import PDF, PdfPageCounter, fax_direction
from custodian.ingest.records import ContentRow
from custodian.ingest.writers import BatchResult, RowWriter
from custodian.records import payload
from custodian.records.own_lines import OwnLines
from custodian.records.rules import CONTENT_KINDS, FAX_KINDS
from custodian.records.tables import content_item, fax_log

CHUNK_BYTES = 1 << 16


class ContentWriter(RowWriter):
    """Resolves accounts by reference, stores each new file as a blob, inserts its row."""

    record_classes = (*CONTENT_KINDS.values(), "cpni.fax_log")

    blobs: LocalBlobStore

    def __init__(self, keyring: object = None, blobs: object = None, **kwargs: object) -> None:
        super().__init__(keyring, blobs, **kwargs)
        self.lines = OwnLines(keyring)  # type: ignore[arg-type]

    def write(self, conn: Connection, batch: list[tuple[int, ContentRow]]) -> BatchResult:
        """Insert the batch one item at a time; an item already present is a duplicate."""
        result = BatchResult()
        ensure_partitions(conn, "content_item", (row.occurred_at for _, row in batch))
        ensure_partitions(conn, "fax_log", (row.occurred_at for _, row in batch
                                            if row.kind in FAX_KINDS))
        for line, row in batch:
            account_id = self.account_for(conn, line, row.account_ref, result)
            if account_id is None:
                continue
            deleted = not self.retention.allows(conn, account_id, CONTENT_KINDS[row.kind], row.occurred_at, row.key)
            if deleted or self._present(conn, account_id, row):
                result.duplicates += 1
            else:
                try:
                    self._store(conn, account_id, row)
                except PayloadUnreadable:  # the blob store's own failures (BlobStoreUnwritable) stop the import
                    result.errors.append((line, "path: cannot read the file"))
                    continue
                result.imported += 1
        return result

    def _present(self, conn: Connection, account_id: int, row: ContentRow) -> bool:
        return conn.execute(select(content_item.c.record_key).where(
            content_item.c.account_id == account_id,
            content_item.c.occurred_at == row.occurred_at,
            content_item.c.record_key == row.key)).first() is not None

    def _store(self, conn: Connection, account_id: int, row: ContentRow) -> None:
        """Seal the file into a blob (if any), then insert the item and, for a fax, its log."""
        cipher = self.keyring.cipher(conn, account_id)
        blob_key, size, pages = None, None, None
        if row.path is not None:
            counter = PdfPageCounter() if row.media_type == PDF else None
            blob_key, size, _ = self.blobs.put(cipher, account_id, _chunks(row.path, counter))
            if counter is not None and counter.pages:
                pages = counter.pages  # none visible (compressed object streams): unknown
        # The manifest's own_number names the line; without it, the account's sole number at that time (or unknown).
        line = self.lines.own_or_sole(conn, account_id, row.own_number, row.occurred_at)
        counterpart = payload.encode(payload.CONTENT_FIELDS, {"counterpart": row.counterpart})
        sealed = cipher.seal(counterpart, payload.aad("content_item", "payload", account_id))
        conn.execute(insert(content_item).values(
            account_id=account_id, occurred_at=row.occurred_at, record_key=row.key, kind=row.kind,
            direction=row.direction, media_type=row.media_type or None, blob_key=blob_key,
            size_bytes=size, payload_enc=sealed, own_number_bidx=line))
        if row.kind in FAX_KINDS:
            fax_payload = payload.encode(payload.FAX_FIELDS, {"own": row.own_number, "counterpart": row.counterpart})
            fax_aad = payload.aad("fax_log", "payload", account_id)
            conn.execute(insert(fax_log).values(
                account_id=account_id, occurred_at=row.occurred_at, record_key=row.key,
                direction=fax_direction(row.kind), pages=pages, status="delivered",
                payload_enc=cipher.seal(fax_payload, fax_aad), own_number_bidx=line))


def _chunks(path: Path, counter: PdfPageCounter | None) -> Iterator[bytes]:
    """The file in chunks, fed to the page counter on the way."""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            if counter is not None:
                counter.feed(chunk)
            yield chunk
