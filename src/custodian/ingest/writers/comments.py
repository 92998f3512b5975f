"""Writing support comments: the text encrypted; one row per (account, record key)."""

from __future__ import annotations

from sqlalchemy import Connection

from custodian.ingest.records import CommentRow
from custodian.ingest.writers import BatchResult, RowWriter
from custodian.ingest.writers.dedupe import insert_unless_present
from custodian.records import payload
from custodian.records.tables import comment_log


class CommentWriter(RowWriter):
    """Resolves accounts by reference and inserts each new comment."""

    record_classes = ("support.comment_log",)

    def write(self, conn: Connection, batch: list[tuple[int, CommentRow]]) -> BatchResult:
        """Insert the batch; a comment already present is a duplicate."""
        result = BatchResult()
        for line, comment in batch:
            account_id = self.account_for(conn, line, comment.account_ref, result)
            if account_id is None:
                continue
            if not self.retention.allows(conn, account_id, "support.comment_log", comment.written_at, comment.key):
                result.duplicates += 1  # retention or the customer deleted it: it would only be deleted again
                continue
            sealed = self.keyring.cipher(conn, account_id).seal(
                comment.text, payload.aad("comment_log", "text", account_id))
            inserted = insert_unless_present(
                conn, comment_log, ("account_id", "record_key"),
                account_id=account_id, written_at=comment.written_at, record_key=comment.key,
                author=comment.author, text_enc=sealed)
            if inserted:
                result.imported += 1
            else:
                result.duplicates += 1
        return result
