"""Each record class of the customer's export written into the ZIP from the shared readers (records/account_rows.py),
over the account's whole history: one CSV and one JSON file per class; content files in their original format."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from custodian.crypto.blobs import BlobMissing, LocalBlobStore
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.dsr.export.archive import ExportZip
from custodian.dsr.export.layout import MEDIA_KINDS, SPECS, FileSpec
from custodian.legal.exports import EXTENSIONS
from custodian.records import account_rows as rows
from custodian.records import store as records
from custodian.records.tables import fax_log, sms_log


@dataclass(frozen=True)
class AllTime:
    """The account's whole history: every record, however old."""

    start: datetime = datetime(1900, 1, 1, tzinfo=UTC)
    end: datetime = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Reading:
    """What the writers read with: the account, its key, the blob store; `with_card` when cards may be shown."""

    conn: Connection
    keyring: Keyring
    cipher: FieldCipher
    blobs: LocalBlobStore
    account_id: int
    with_card: bool


def write_class(archive: ExportZip, read: Reading, record_class: str) -> tuple[int, int]:
    """Write one class's files; return (rows, content files)."""
    spec = SPECS[record_class]
    if record_class in MEDIA_KINDS:
        media = _Media(archive, read, spec, MEDIA_KINDS[record_class])
        count = archive.table(spec.stem, spec.header, media.rows(), writes_entries=True)
        return count, media.files
    return archive.table(spec.stem, spec.header, _rows(read, record_class)), 0


def _rows(read: Reading, record_class: str) -> Iterator[tuple[Any, ...]]:
    return READERS[record_class](read, AllTime())


def _sms_bodies(read: Reading, span: AllTime) -> Iterator[tuple[Any, ...]]:
    return ((r.occurred_at.isoformat(), r.direction, r.other, r.text)
            for r in rows.content_rows(read.conn, read.cipher, read.account_id, span, ["sms_body"]))


def _subscriber(read: Reading) -> tuple[Any, ...]:
    view = records.read_account(read.conn, read.keyring, read.account_id)
    address = view.address
    postal = (address.street, address.city, address.state, address.postal_code, address.country) if address \
        else ("", "", "", "", "")
    return (view.ref, view.kind, view.status, view.company, view.first_name, view.last_name, view.email,
            view.contact_phone, *postal, view.signup_on.isoformat() if view.signup_on else "",
            view.closed_on.isoformat() if view.closed_on else "")


def _chat(read: Reading, span: AllTime) -> Iterator[tuple[Any, ...]]:
    for r in rows.content_rows(read.conn, read.cipher, read.account_id, span, ["chat"]):
        text = r.text
        if not text and r.blob_key:
            text = read.blobs.read(read.cipher, read.account_id, r.blob_key).decode("utf-8", "replace")
        yield (r.occurred_at.isoformat(), r.direction, r.other, text)


READERS: dict[str, Callable[[Reading, AllTime], Iterator[tuple[Any, ...]]]] = {
    "subscriber.basic": lambda r, span: iter([_subscriber(r)]),
    "numbers.assignments": lambda r, span: rows.number_rows(r.conn, r.cipher, r.account_id, span),
    "location.e911_address": lambda r, span: rows.e911_rows(r.conn, r.cipher, r.account_id),
    "cpni.call_log": lambda r, span: rows.call_rows(r.conn, r.cipher, r.account_id, span),
    "cpni.fax_log": lambda r, span: rows.log_rows(r.conn, r.cipher, r.account_id, span, fax_log, "occurred_at",
                                                  ("pages", "status")),
    "cpni.sms_log": lambda r, span: rows.log_rows(r.conn, r.cipher, r.account_id, span, sms_log, "sent_at",
                                                  ("segments",)),
    "content.sms_body": _sms_bodies,
    "content.chat": _chat,
    "billing.transactions": lambda r, span: rows.billing_rows(r.conn, r.account_id, span, r.with_card),
    "billing.payment_instrument": lambda r, span: rows.card_rows(r.conn, r.account_id),
    "support.comment_log": lambda r, span: rows.comment_rows(r.conn, r.cipher, r.account_id, span),
}
"""The rows of each table class (media classes are written by _Media)."""


class _Media:
    """A media class's index rows; each item's payload is streamed from the blob store into its own entry."""

    def __init__(self, archive: ExportZip, read: Reading, spec: FileSpec, kind: str) -> None:
        self.archive, self.read, self.spec, self.kind, self.files = archive, read, spec, kind, 0

    def rows(self) -> Iterator[tuple[Any, ...]]:
        read = self.read
        items = rows.content_rows(read.conn, read.cipher, read.account_id, AllTime(), [self.kind])
        for index, item in enumerate(items, start=1):
            name = ""
            if item.blob_key:
                name = (f"{self.spec.stem}/{item.occurred_at.strftime('%Y%m%dT%H%M%SZ')}-{index:05d}."
                        f"{EXTENSIONS.get(item.media_type, 'bin')}")
                try:
                    chunks = read.blobs.open(read.cipher, read.account_id, item.blob_key)
                except BlobMissing:
                    name = "(the file is missing from our storage)"
                else:
                    self.archive.add_chunks(name, chunks)
                    self.files += 1
            yield (item.occurred_at.isoformat(), item.direction, item.other, name, item.media_type,
                   item.size_bytes or "")
