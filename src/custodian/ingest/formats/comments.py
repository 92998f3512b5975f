"""Custodian `comments` CSV: a support comment log; the text is stored encrypted.

Times are ISO 8601; a time without an offset (or a bare date, meaning 00:00) is UTC.
"""

from __future__ import annotations

from datetime import UTC

from custodian.ingest.parse import ParseOptions, RowRejected, bounded, instant, record_key, required
from custodian.ingest.records import CommentRow

HEADER = ("account_ref", "written_at", "author", "text")


def parse(row: dict[str, str], options: ParseOptions) -> CommentRow:
    """Validate one comment row."""
    written_at = instant(row, "written_at", UTC)
    assert written_at is not None
    account_ref = required(row, "account_ref")
    author = bounded(row, "author", 120)
    text = row.get("text", "")
    if not text.strip():
        raise RowRejected("text: required")
    return CommentRow(
        key=record_key(options.record_secret, "comment", account_ref, written_at.isoformat(), author, text),
        account_ref=account_ref,
        written_at=written_at,
        author=author,
        text=text,
    )
