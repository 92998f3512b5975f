"""Reading one account's approved records inside its matched window, as the files of a production
(SpectrumVoIP DRG VI: Call and Fax Log Records "in the form of a comma-separated value (CSV) file",
"Faxes will be delivered as PDF", voice messages and recordings "MP3 or WAV", "Glip Data ... JSON").

Particularity: with a `line` (a number target), call/fax/SMS logs and content hold only records where that
number is the account's own party; records whose own line is unknown (NULL) are withheld and counted
(`withheld_counts`). Every CSV is written through kernel/csv_text.py (formula cells neutralised) and has a JSON
twin with the raw values (`call_log.csv` + `call_log.json`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, String, and_, func, or_, select, type_coerce

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import FieldCipher
from custodian.kernel.csv_text import csv_bytes
from custodian.legal.scope import Window
from custodian.records import payload
from custodian.records.tables import (
    billing_transaction,
    call_log,
    comment_log,
    content_item,
    fax_log,
    number_assignment,
    payment_instrument,
    sms_log,
)

EXTENSIONS = {"audio/wav": "wav", "audio/x-wav": "wav", "audio/mpeg": "mp3", "application/pdf": "pdf",
              "audio/mp3": "mp3"}
MEDIA_CLASSES = {"content.voice_message": "voice_message", "content.call_recording": "call_recording",
                 "content.fax_incoming": "fax_incoming", "content.fax_outgoing": "fax_outgoing",
                 "content.fax_sent": "fax_sent"}


@dataclass(frozen=True)
class ExportFile:
    """One file of an account's production."""

    name: str
    data: bytes


__all__ = ["ExportFile", "account_files", "csv_bytes", "table_files", "withheld_counts"]
LINE_TABLES = {"cpni.call_log": (call_log, "started_at"), "cpni.fax_log": (fax_log, "occurred_at"),
               "cpni.sms_log": (sms_log, "sent_at")}


def table_files(stem: str, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[ExportFile]:
    """`stem.csv` (cells neutralised against formula injection) and `stem.json` (the same rows, raw values)."""
    names, table = tuple(header), [tuple(row) for row in rows]
    raw = [dict(zip(names, row, strict=True)) for row in table]
    return [ExportFile(f"{stem}.csv", csv_bytes(names, table)),
            ExportFile(f"{stem}.json", json.dumps(raw, indent=1, default=str).encode("utf-8"))]


def _on_line(table: Any, line: bytes | None) -> list[Any]:
    """The extra condition of a number target: the record's own number is that line (NULL never matches)."""
    return [] if line is None else [table.c.own_number_bidx == line]


def utc_text(value: Any) -> str:
    """A stored UTC time as ISO 8601 text with a Z: SQLite hands back text, PostgreSQL a datetime."""
    if value is None:
        return ""
    if isinstance(value, str):  # "YYYY-MM-DD HH:MM:SS[.ffffff]" as SQLAlchemy writes UTC times to SQLite
        return value[:10] + "T" + value[11:19] + "Z"
    return str(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def call_rows(conn: Connection, cipher: FieldCipher, account_id: int, window: Window,
              line: bytes | None = None) -> Iterator[tuple[Any, ...]]:
    """The account's call-detail records (on `line`, when given) started inside the window, decrypted, oldest first.

    The hot path of a production: times are read as stored (no per-row datetime objects) and rows are
    fetched in blocks.
    """
    aad = payload.aad("call_log", "payload", account_id)
    opened, separator = cipher.open, payload.SEPARATOR
    as_text = [type_coerce(call_log.c[name], String) for name in ("started_at", "answered_at", "ended_at")]
    result = conn.execute(select(*as_text, call_log.c.direction, call_log.c.duration_s, call_log.c.billsec_s,
                                 call_log.c.disposition, call_log.c.payload_enc)
                          .where(call_log.c.account_id == account_id, call_log.c.started_at >= window.start,
                                 call_log.c.started_at < window.end, *_on_line(call_log, line))
                          .order_by(call_log.c.started_at))
    for block in result.partitions(5000):
        for started, answered, ended, direction, duration, billsec, disposition, sealed in block:
            own, other, _ = opened(sealed, aad).split(separator, 2)
            yield (utc_text(started), direction, own, other, utc_text(answered), utc_text(ended), duration, billsec,
                   disposition)


CALL_HEADER = ("started_at", "direction", "own_number", "other_number", "answered_at", "ended_at", "duration_s",
               "billsec_s", "disposition")


def _logs(conn: Connection, cipher: FieldCipher, account_id: int, window: Window, table: Any, time_col: str,
          extra: tuple[str, ...], line: bytes | None) -> list[tuple[Any, ...]]:
    aad = payload.aad(table.name, "payload", account_id)
    column = table.c[time_col]
    rows = conn.execute(select(column, table.c.direction, *(table.c[e] for e in extra), table.c.payload_enc)
                        .where(table.c.account_id == account_id, column >= window.start, column < window.end,
                               *_on_line(table, line))
                        .order_by(column)).all()
    out = []
    for row in rows:
        numbers = cipher.open(row.payload_enc, aad).split(payload.SEPARATOR)
        out.append((row[0].isoformat(), row.direction, numbers[0], numbers[1] if len(numbers) > 1 else "",
                    *(row[2:-1])))
    return out


def account_files(conn: Connection, cipher: FieldCipher, blobs: LocalBlobStore, account_id: int, window: Window,
                  classes: frozenset[str], line: bytes | None = None) -> list[ExportFile]:
    """Every file the approved `classes` give for one account inside its window (subscriber files aside);
    with a `line`, the number assignments, logs and content of that line only."""
    files: list[ExportFile] = []
    if classes & {"billing.transactions", "billing.payment_instrument"}:
        files += _billing(conn, account_id, window, "billing.payment_instrument" in classes)
    if "numbers.assignments" in classes:
        files += _numbers(conn, cipher, account_id, window, line)
    if "support.comment_log" in classes:
        files += _comments(conn, cipher, account_id, window)
    if "cpni.call_log" in classes:
        files += table_files("call_log", CALL_HEADER, call_rows(conn, cipher, account_id, window, line))
    if "cpni.fax_log" in classes:
        rows = _logs(conn, cipher, account_id, window, fax_log, "occurred_at", ("pages", "status"), line)
        files += table_files("fax_log", ("occurred_at", "direction", "own_number", "other_number", "pages",
                                         "status"), rows)
    if "cpni.sms_log" in classes:
        rows = _logs(conn, cipher, account_id, window, sms_log, "sent_at", ("segments",), line)
        files += table_files("sms_log", ("sent_at", "direction", "own_number", "other_number", "segments"), rows)
    files.extend(_content(conn, cipher, blobs, account_id, window, classes, line))
    return files


def withheld_counts(conn: Connection, account_id: int, window: Window, classes: frozenset[str]) -> dict[str, int]:
    """Per approved log or content class: records in the window whose own line is unknown (NULL), which a number
    target cannot place on its line and so withholds (fail closed)."""
    counts: dict[str, int] = {}
    for name, (table, time_col) in LINE_TABLES.items():
        if name in classes:
            counts[name] = _unknown(conn, table, time_col, account_id, window)
    for name, kind in {**MEDIA_CLASSES, "content.sms_body": "sms_body", "content.chat": "chat"}.items():
        if name in classes:
            counts[name] = _unknown(conn, content_item, "occurred_at", account_id, window, content_item.c.kind == kind)
    return {name: count for name, count in counts.items() if count}


def _unknown(conn: Connection, table: Any, time_col: str, account_id: int, window: Window, *where: Any) -> int:
    column = table.c[time_col]
    return int(conn.execute(select(func.count()).select_from(table).where(
        table.c.account_id == account_id, column >= window.start, column < window.end,
        table.c.own_number_bidx.is_(None), *where)).scalar_one())


def _billing(conn: Connection, account_id: int, window: Window, with_card: bool) -> list[ExportFile]:
    rows = conn.execute(select(billing_transaction, payment_instrument.c.brand, payment_instrument.c.last4)
                        .outerjoin(payment_instrument, billing_transaction.c.instrument_id == payment_instrument.c.id)
                        .where(billing_transaction.c.account_id == account_id,
                               billing_transaction.c.occurred_at >= window.start,
                               billing_transaction.c.occurred_at < window.end)
                        .order_by(billing_transaction.c.occurred_at)).all()
    return table_files("billing", ("occurred_at", "reference", "amount_cents", "currency", "method", "card", "state"), [
        (r.occurred_at.isoformat(), r.reference, r.amount_cents, r.currency, r.method,
         f"{r.brand} ****{r.last4}" if with_card and r.last4 else "", r.state) for r in rows])


def _numbers(conn: Connection, cipher: FieldCipher, account_id: int, window: Window,
             line: bytes | None) -> list[ExportFile]:
    aad = payload.aad("number_assignment", "number", account_id)
    rows = conn.execute(select(number_assignment).where(
        number_assignment.c.account_id == account_id, number_assignment.c.assigned_from < window.end,
        or_(number_assignment.c.assigned_to.is_(None), number_assignment.c.assigned_to > window.start),
        *([] if line is None else [number_assignment.c.number_bidx == line]))
        .order_by(number_assignment.c.assigned_from)).all()
    return table_files("numbers", ("number", "extension", "added_at", "removed_at", "carrier"), [
        (cipher.open(r.number_enc, aad), r.extension or "", r.assigned_from.isoformat(),
         r.assigned_to.isoformat() if r.assigned_to else "", r.carrier or "") for r in rows])


def _comments(conn: Connection, cipher: FieldCipher, account_id: int, window: Window) -> list[ExportFile]:
    aad = payload.aad("comment_log", "text", account_id)
    rows = conn.execute(select(comment_log).where(
        comment_log.c.account_id == account_id, comment_log.c.written_at >= window.start,
        comment_log.c.written_at < window.end).order_by(comment_log.c.written_at)).all()
    return table_files("comments", ("written_at", "author", "text"),
                     [(r.written_at.isoformat(), r.author, cipher.open(r.text_enc, aad)) for r in rows])


def _content(conn: Connection, cipher: FieldCipher, blobs: LocalBlobStore, account_id: int, window: Window,
             classes: frozenset[str], line: bytes | None) -> list[ExportFile]:
    kinds = [kind for name, kind in MEDIA_CLASSES.items() if name in classes]
    kinds += ["sms_body"] if "content.sms_body" in classes else []
    kinds += ["chat"] if "content.chat" in classes else []
    if not kinds:
        return []
    rows = conn.execute(select(content_item).where(and_(
        content_item.c.account_id == account_id, content_item.c.kind.in_(kinds),
        content_item.c.occurred_at >= window.start, content_item.c.occurred_at < window.end,
        *_on_line(content_item, line)))
        .order_by(content_item.c.occurred_at)).all()
    files, bodies, chat = [], [], []
    inline_aad = payload.aad("content_item", "inline", account_id)
    counterpart_aad = payload.aad("content_item", "payload", account_id)
    for index, row in enumerate(rows, start=1):
        other = cipher.open(row.payload_enc, counterpart_aad) if row.payload_enc else ""
        text = cipher.open(row.inline_enc, inline_aad) if row.inline_enc else ""
        if row.kind == "sms_body":
            bodies.append((row.occurred_at.isoformat(), row.direction, other, text))
        elif row.kind == "chat":
            body = text or (blobs.read(cipher, account_id, row.blob_key).decode("utf-8") if row.blob_key else "")
            chat.append({"at": row.occurred_at.isoformat(), "direction": row.direction, "other": other, "text": body})
        elif row.blob_key:
            extension = EXTENSIONS.get(row.media_type or "", "bin")
            stamp = row.occurred_at.strftime("%Y%m%dT%H%M%SZ")
            files.append(ExportFile(f"{row.kind}/{stamp}-{index:05d}.{extension}",
                                    blobs.read(cipher, account_id, row.blob_key)))
    if "content.sms_body" in classes:
        files += table_files("sms_bodies", ("sent_at", "direction", "other_number", "body"), bodies)
    if "content.chat" in classes:
        files.append(ExportFile("chat.json", json.dumps(chat, indent=1).encode("utf-8")))
    return files
