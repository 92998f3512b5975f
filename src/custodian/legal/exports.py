"""Reading one account's approved records inside its matched window, as the files of a production
(SpectrumVoIP DRG VI: Call and Fax Log Records "in the form of a comma-separated value (CSV) file",
"Faxes will be delivered as PDF", voice messages and recordings "MP3 or WAV", "Glip Data ... JSON").

Particularity: with a `line` (a number target), call/fax/SMS logs and content hold only records where that
number is the account's own party; records whose own line is unknown (NULL) are withheld and counted
(`withheld_counts`). Every CSV is written through kernel/csv_text.py (formula cells neutralised) and has a JSON
twin with the raw values (`call_log.csv` + `call_log.json`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import FieldCipher
from custodian.kernel.csv_text import csv_bytes
from custodian.legal.scope import Window
from custodian.records.account_rows import (
    BILLING_HEADER,
    CALL_HEADER,
    COMMENT_HEADER,
    NUMBER_HEADER,
    billing_rows,
    call_rows,
    comment_rows,
    content_rows,
    log_rows,
    number_rows,
    utc_text,
)
from custodian.records.tables import call_log, content_item, fax_log, sms_log

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


__all__ = ["CALL_HEADER", "ExportFile", "account_files", "call_rows", "csv_bytes", "table_files", "utc_text",
           "withheld_counts"]
LINE_TABLES = {"cpni.call_log": (call_log, "started_at"), "cpni.fax_log": (fax_log, "occurred_at"),
               "cpni.sms_log": (sms_log, "sent_at")}


def table_files(stem: str, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[ExportFile]:
    """`stem.csv` (cells neutralised against formula injection) and `stem.json` (the same rows, raw values)."""
    names, table = tuple(header), [tuple(row) for row in rows]
    raw = [dict(zip(names, row, strict=True)) for row in table]
    return [ExportFile(f"{stem}.csv", csv_bytes(names, table)),
            ExportFile(f"{stem}.json", json.dumps(raw, indent=1, default=str).encode("utf-8"))]


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
        rows = log_rows(conn, cipher, account_id, window, fax_log, "occurred_at", ("pages", "status"), line)
        files += table_files("fax_log", ("occurred_at", "direction", "own_number", "other_number", "pages",
                                         "status"), rows)
    if "cpni.sms_log" in classes:
        rows = log_rows(conn, cipher, account_id, window, sms_log, "sent_at", ("segments",), line)
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
    return table_files("billing", BILLING_HEADER, billing_rows(conn, account_id, window, with_card))


def _numbers(conn: Connection, cipher: FieldCipher, account_id: int, window: Window,
             line: bytes | None) -> list[ExportFile]:
    return table_files("numbers", NUMBER_HEADER, number_rows(conn, cipher, account_id, window, line))


def _comments(conn: Connection, cipher: FieldCipher, account_id: int, window: Window) -> list[ExportFile]:
    return table_files("comments", COMMENT_HEADER, comment_rows(conn, cipher, account_id, window))


def _content(conn: Connection, cipher: FieldCipher, blobs: LocalBlobStore, account_id: int, window: Window,
             classes: frozenset[str], line: bytes | None) -> list[ExportFile]:
    kinds = [kind for name, kind in MEDIA_CLASSES.items() if name in classes]
    kinds += ["sms_body"] if "content.sms_body" in classes else []
    kinds += ["chat"] if "content.chat" in classes else []
    if not kinds:
        return []
    files, bodies, chat = [], [], []
    for index, row in enumerate(content_rows(conn, cipher, account_id, window, kinds, line), start=1):
        if row.kind == "sms_body":
            bodies.append((row.occurred_at.isoformat(), row.direction, row.other, row.text))
        elif row.kind == "chat":
            body = row.text or (blobs.read(cipher, account_id, row.blob_key).decode("utf-8") if row.blob_key else "")
            chat.append({"at": row.occurred_at.isoformat(), "direction": row.direction, "other": row.other,
                         "text": body})
        elif row.blob_key:
            extension = EXTENSIONS.get(row.media_type, "bin")
            stamp = row.occurred_at.strftime("%Y%m%dT%H%M%SZ")
            files.append(ExportFile(f"{row.kind}/{stamp}-{index:05d}.{extension}",
                                    blobs.read(cipher, account_id, row.blob_key)))
    if "content.sms_body" in classes:
        files += table_files("sms_bodies", ("sent_at", "direction", "other_number", "body"), bodies)
    if "content.chat" in classes:
        files.append(ExportFile("chat.json", json.dumps(chat, indent=1).encode("utf-8")))
    return files
