"""One account's records as decrypted rows, streamed: the readers a legal production (legal/exports.py) and the
customer's own export (dsr/export/) share. Every query is scoped by account and a time span [start, end); rows
are fetched in blocks (a server-side cursor on PostgreSQL), so memory stays flat however many rows there are.

With a `line` (the blind index of a number target), call/fax/SMS logs, numbers and content hold only records
where that number is the account's own party (particularity); NULL lines never match."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, String, or_, select, type_coerce

from custodian.crypto.envelope import FieldCipher
from custodian.records import payload
from custodian.records.tables import (
    billing_transaction,
    call_log,
    comment_log,
    content_item,
    e911_address,
    number_assignment,
    payment_instrument,
)

BLOCK = 5000  # rows fetched per round trip
CALL_HEADER = ("started_at", "direction", "own_number", "other_number", "answered_at", "ended_at", "duration_s",
               "billsec_s", "disposition")
BILLING_HEADER = ("occurred_at", "reference", "amount_cents", "currency", "method", "card", "state")
NUMBER_HEADER = ("number", "extension", "added_at", "removed_at", "carrier")
COMMENT_HEADER = ("written_at", "author", "text")


class Span(Protocol):
    """A half-open period [start, end) in UTC (legal.scope.Window is one)."""

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...


@dataclass(frozen=True)
class ContentRow:
    """One content item, its counterpart and inline text decrypted; a payload in the blob store stays there."""

    kind: str
    occurred_at: datetime
    direction: str
    other: str
    text: str
    blob_key: str | None
    media_type: str
    size_bytes: int | None


def utc_text(value: Any) -> str:
    """A stored UTC time as ISO 8601 text with a Z: SQLite hands back text, PostgreSQL a datetime."""
    if value is None:
        return ""
    if isinstance(value, str):  # "YYYY-MM-DD HH:MM:SS[.ffffff]" as SQLAlchemy writes UTC times to SQLite
        return value[:10] + "T" + value[11:19] + "Z"
    return str(value.astimezone(UTC).isoformat(timespec="seconds"))[:19] + "Z"  # isoformat: a tenth of strftime


def on_line(table: Any, line: bytes | None) -> list[Any]:
    """The extra condition of a number target: the record's own number is that line (NULL never matches)."""
    return [] if line is None else [table.c.own_number_bidx == line]


def _blocks(conn: Connection, query: Any) -> Iterator[Any]:
    """Rows of `query`, fetched BLOCK at a time (stream_results: a server-side cursor on PostgreSQL)."""
    for block in conn.execute(query.execution_options(yield_per=BLOCK)).partitions():
        yield from block


def call_rows(conn: Connection, cipher: FieldCipher, account_id: int, span: Span,
              line: bytes | None = None) -> Iterator[tuple[Any, ...]]:
    """The account's call-detail records (on `line`, when given) started inside the span, decrypted, oldest first
    (CALL_HEADER). The hot path: times are read as stored, no per-row datetime objects."""
    aad = payload.aad("call_log", "payload", account_id)
    opened, separator = cipher.open, payload.SEPARATOR
    as_text = [type_coerce(call_log.c[name], String) for name in ("started_at", "answered_at", "ended_at")]
    query = (select(*as_text, call_log.c.direction, call_log.c.duration_s, call_log.c.billsec_s,
                    call_log.c.disposition, call_log.c.payload_enc)
             .where(call_log.c.account_id == account_id, call_log.c.started_at >= span.start,
                    call_log.c.started_at < span.end, *on_line(call_log, line))
             .order_by(call_log.c.started_at))
    for started, answered, ended, direction, duration, billsec, disposition, sealed in _blocks(conn, query):
        own, other, _ = opened(sealed, aad).split(separator, 2)
        yield (utc_text(started), direction, own, other, utc_text(answered), utc_text(ended), duration, billsec,
               disposition)


def log_rows(conn: Connection, cipher: FieldCipher, account_id: int, span: Span, table: Any, time_col: str,
             extra: tuple[str, ...], line: bytes | None = None) -> Iterator[tuple[Any, ...]]:
    """Fax or SMS log rows: (time, direction, own number, other number, *extra), oldest first."""
    aad = payload.aad(table.name, "payload", account_id)
    column = table.c[time_col]
    query = (select(column, table.c.direction, *(table.c[e] for e in extra), table.c.payload_enc)
             .where(table.c.account_id == account_id, column >= span.start, column < span.end,
                    *on_line(table, line))
             .order_by(column))
    for row in _blocks(conn, query):
        numbers = cipher.open(row.payload_enc, aad).split(payload.SEPARATOR)
        yield (row[0].isoformat(), row.direction, numbers[0], numbers[1] if len(numbers) > 1 else "", *(row[2:-1]))


def billing_rows(conn: Connection, account_id: int, span: Span, with_card: bool) -> Iterator[tuple[Any, ...]]:
    """Billing transactions (BILLING_HEADER); the card only as brand and last four, and only `with_card`."""
    query = (select(billing_transaction, payment_instrument.c.brand, payment_instrument.c.last4)
             .outerjoin(payment_instrument, (billing_transaction.c.instrument_id == payment_instrument.c.id)
                        & (payment_instrument.c.account_id == billing_transaction.c.account_id))  # co-located
             .where(billing_transaction.c.account_id == account_id, billing_transaction.c.occurred_at >= span.start,
                    billing_transaction.c.occurred_at < span.end)
             .order_by(billing_transaction.c.occurred_at))
    for r in _blocks(conn, query):
        yield (r.occurred_at.isoformat(), r.reference, r.amount_cents, r.currency, r.method,
               f"{r.brand} ****{r.last4}" if with_card and r.last4 else "", r.state)


def number_rows(conn: Connection, cipher: FieldCipher, account_id: int, span: Span,
                line: bytes | None = None) -> Iterator[tuple[Any, ...]]:
    """The account's own periods of holding each number that overlap the span (NUMBER_HEADER): never another
    holder's period of the same number, since each period is a row of the account that held it."""
    aad = payload.aad("number_assignment", "number", account_id)
    query = (select(number_assignment).where(
        number_assignment.c.account_id == account_id, number_assignment.c.assigned_from < span.end,
        or_(number_assignment.c.assigned_to.is_(None), number_assignment.c.assigned_to > span.start),
        *([] if line is None else [number_assignment.c.number_bidx == line]))
        .order_by(number_assignment.c.assigned_from))
    for r in _blocks(conn, query):
        yield (cipher.open(r.number_enc, aad), r.extension or "", r.assigned_from.isoformat(),
               r.assigned_to.isoformat() if r.assigned_to else "", r.carrier or "")


def comment_rows(conn: Connection, cipher: FieldCipher, account_id: int, span: Span) -> Iterator[tuple[Any, ...]]:
    """The support comment log (COMMENT_HEADER), oldest first."""
    aad = payload.aad("comment_log", "text", account_id)
    query = (select(comment_log).where(
        comment_log.c.account_id == account_id, comment_log.c.written_at >= span.start,
        comment_log.c.written_at < span.end).order_by(comment_log.c.written_at))
    for r in _blocks(conn, query):
        yield (r.written_at.isoformat(), r.author, cipher.open(r.text_enc, aad))


def content_rows(conn: Connection, cipher: FieldCipher, account_id: int, span: Span, kinds: list[str],
                 line: bytes | None = None) -> Iterator[ContentRow]:
    """The account's content items of `kinds` inside the span, oldest first."""
    inline_aad = payload.aad("content_item", "inline", account_id)
    counterpart_aad = payload.aad("content_item", "payload", account_id)
    query = (select(content_item).where(
        content_item.c.account_id == account_id, content_item.c.kind.in_(kinds),
        content_item.c.occurred_at >= span.start, content_item.c.occurred_at < span.end,
        *on_line(content_item, line)).order_by(content_item.c.occurred_at))
    for row in _blocks(conn, query):
        yield ContentRow(row.kind, row.occurred_at, row.direction,
                         cipher.open(row.payload_enc, counterpart_aad) if row.payload_enc else "",
                         cipher.open(row.inline_enc, inline_aad) if row.inline_enc else "",
                         row.blob_key, row.media_type or "", row.size_bytes)


def e911_rows(conn: Connection, cipher: FieldCipher, account_id: int) -> Iterator[tuple[Any, ...]]:
    """Every E911 registration of the account, oldest first: (number, street, city, state, postal code, country,
    registered at); the number is read from the account's own assignments of it."""
    number_aad = payload.aad("number_assignment", "number", account_id)
    numbers = {r.number_bidx: cipher.open(r.number_enc, number_aad) for r in conn.execute(
        select(number_assignment.c.number_bidx, number_assignment.c.number_enc)
        .where(number_assignment.c.account_id == account_id))}
    query = select(e911_address).where(e911_address.c.account_id == account_id).order_by(e911_address.c.registered_at)
    for r in _blocks(conn, query):
        parts = [cipher.open(getattr(r, f"{name}_enc"), payload.aad("e911_address", name, account_id))
                 for name in ("street", "city", "state", "postal_code")]
        yield (numbers.get(r.number_bidx, ""), *parts, r.country, r.registered_at.isoformat())


def card_rows(conn: Connection, account_id: int) -> Iterator[tuple[Any, ...]]:
    """The account's payment cards: brand, the last four digits with the rest masked, when added."""
    query = (select(payment_instrument.c.brand, payment_instrument.c.last4, payment_instrument.c.created_at)
             .where(payment_instrument.c.account_id == account_id).order_by(payment_instrument.c.created_at))
    for r in _blocks(conn, query):
        yield (r.brand, f"****{r.last4}", r.created_at.isoformat())
