"""Reading one account's approved records inside its matched window, as the files of a production
(SpectrumVoIP DRG VI: Call and Fax Log Records "in the form of a comma-separated value (CSV) file",
"Faxes will be delivered as PDF", voice messages and recordings "MP3 or WAV", "Glip Data ... JSON")."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, String, and_, or_, select, type_coerce

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import FieldCipher
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


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A UTF-8 CSV with a header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def utc_text(value: Any) -> str:
    """A stored UTC time as ISO 8601 text with a Z: SQLite hands back text, PostgreSQL a datetime."""
    if value is None:
        return ""
    if isinstance(value, str):  # "YYYY-MM-DD HH:MM:SS[.ffffff]" as SQLAlchemy writes UTC times to SQLite
        return value[:10] + "T" + value[11:19] + "Z"
    return str(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def call_rows(conn: Connection, cipher: FieldCipher, account_id: int, window: Window) -> Iterator[tuple[Any, ...]]:
    """The account's call-detail records started inside the window, decrypted, oldest first.

    The hot path of a production: times are read as stored (no per-row datetime objects) and rows are
    fetched in blocks.
    """
    aad = payload.aad("call_log", "payload", account_id)
    opened, separator = cipher.open, payload.SEPARATOR
    as_text = [type_coerce(call_log.c[name], String) for name in ("started_at", "answered_at", "ended_at")]
    result = conn.execute(select(*as_text, call_log.c.direction, call_log.c.duration_s, call_log.c.billsec_s,
                                 call_log.c.disposition, call_log.c.payload_enc)
                          .where(call_log.c.account_id == account_id, call_log.c.started_at >= window.start,
                                 call_log.c.started_at < window.end).order_by(call_log.c.started_at))
    for block in result.partitions(5000):
        for started, answered, ended, direction, duration, billsec, disposition, sealed in block:
            own, other, _ = opened(sealed, aad).split(separator, 2)
            yield (utc_text(started), direction, own, other, utc_text(answered), utc_text(ended), duration, billsec,
                   disposition)


CALL_HEADER = ("started_at", "direction", "own_number", "other_number", "answered_at", "ended_at", "duration_s",
               "billsec_s", "disposition")


def _logs(conn: Connection, cipher: FieldCipher, account_id: int, window: Window, table: Any, time_col: str,
          extra: tuple[str, ...]) -> list[tuple[Any, ...]]:
    aad = payload.aad(table.name, "payload", account_id)
    column = table.c[time_col]
    rows = conn.execute(select(column, table.c.direction, *(table.c[e] for e in extra), table.c.payload_enc)
                        .where(table.c.account_id == account_id, column >= window.start, column < window.end)
                        .order_by(column)).all()
    out = []
    for row in rows:
        numbers = cipher.open(row.payload_enc, aad).split(payload.SEPARATOR)
        out.append((row[0].isoformat(), row.direction, numbers[0], numbers[1] if len(numbers) > 1 else "",
                    *(row[2:-1])))
    return out


def account_files(conn: Connection, cipher: FieldCipher, blobs: LocalBlobStore, account_id: int, window: Window,
                  classes: frozenset[str]) -> list[ExportFile]:
    """Every file the approved `classes` give for one account inside its window (subscriber files aside)."""
    files: list[ExportFile] = []
    if classes & {"billing.transactions", "billing.payment_instrument"}:
        files.append(ExportFile("billing.csv", _billing(conn, account_id, window,
                                                        "billing.payment_instrument" in classes)))
    if "numbers.assignments" in classes:
        files.append(ExportFile("numbers.csv", _numbers(conn, cipher, account_id, window)))
    if "support.comment_log" in classes:
        files.append(ExportFile("comments.csv", _comments(conn, cipher, account_id, window)))
    if "cpni.call_log" in classes:
        files.append(ExportFile("call_log.csv", csv_bytes(CALL_HEADER, call_rows(conn, cipher, account_id, window))))
    if "cpni.fax_log" in classes:
        rows = _logs(conn, cipher, account_id, window, fax_log, "occurred_at", ("pages", "status"))
        files.append(ExportFile("fax_log.csv", csv_bytes(
            ("occurred_at", "direction", "own_number", "other_number", "pages", "status"), rows)))
    if "cpni.sms_log" in classes:
        rows = _logs(conn, cipher, account_id, window, sms_log, "sent_at", ("segments",))
        files.append(ExportFile("sms_log.csv", csv_bytes(
            ("sent_at", "direction", "own_number", "other_number", "segments"), rows)))
    files.extend(_content(conn, cipher, blobs, account_id, window, classes))
    return files


def _billing(conn: Connection, account_id: int, window: Window, with_card: bool) -> bytes:
    rows = conn.execute(select(billing_transaction, payment_instrument.c.brand, payment_instrument.c.last4)
                        .outerjoin(payment_instrument, billing_transaction.c.instrument_id == payment_instrument.c.id)
                        .where(billing_transaction.c.account_id == account_id,
                               billing_transaction.c.occurred_at >= window.start,
                               billing_transaction.c.occurred_at < window.end)
                        .order_by(billing_transaction.c.occurred_at)).all()
    return csv_bytes(("occurred_at", "reference", "amount_cents", "currency", "method", "card", "state"), [
        (r.occurred_at.isoformat(), r.reference, r.amount_cents, r.currency, r.method,
         f"{r.brand} ****{r.last4}" if with_card and r.last4 else "", r.state) for r in rows])


def _numbers(conn: Connection, cipher: FieldCipher, account_id: int, window: Window) -> bytes:
    aad = payload.aad("number_assignment", "number", account_id)
    rows = conn.execute(select(number_assignment).where(
        number_assignment.c.account_id == account_id, number_assignment.c.assigned_from < window.end,
        or_(number_assignment.c.assigned_to.is_(None), number_assignment.c.assigned_to > window.start))
        .order_by(number_assignment.c.assigned_from)).all()
    return csv_bytes(("number", "extension", "added_at", "removed_at", "carrier"), [
        (cipher.open(r.number_enc, aad), r.extension or "", r.assigned_from.isoformat(),
         r.assigned_to.isoformat() if r.assigned_to else "", r.carrier or "") for r in rows])


def _comments(conn: Connection, cipher: FieldCipher, account_id: int, window: Window) -> bytes:
    aad = payload.aad("comment_log", "text", account_id)
    rows = conn.execute(select(comment_log).where(
        comment_log.c.account_id == account_id, comment_log.c.written_at >= window.start,
        comment_log.c.written_at < window.end).order_by(comment_log.c.written_at)).all()
    return csv_bytes(("written_at", "author", "text"),
                     [(r.written_at.isoformat(), r.author, cipher.open(r.text_enc, aad)) for r in rows])


def _content(conn: Connection, cipher: FieldCipher, blobs: LocalBlobStore, account_id: int, window: Window,
             classes: frozenset[str]) -> list[ExportFile]:
    kinds = [kind for name, kind in MEDIA_CLASSES.items() if name in classes]
    kinds += ["sms_body"] if "content.sms_body" in classes else []
    kinds += ["chat"] if "content.chat" in classes else []
    if not kinds:
        return []
    rows = conn.execute(select(content_item).where(and_(
        content_item.c.account_id == account_id, content_item.c.kind.in_(kinds),
        content_item.c.occurred_at >= window.start, content_item.c.occurred_at < window.end))
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
        files.append(ExportFile("sms_bodies.csv", csv_bytes(("sent_at", "direction", "other_number", "body"), bodies)))
    if "content.chat" in classes:
        files.append(ExportFile("chat.json", json.dumps(chat, indent=1).encode("utf-8")))
    return files
