"""The feed a release writes (issue 17 §1): CSV (formula cells neutralised, kernel/csv_text.py) or JSON Lines, with
only the permitted fields of each class, read through the readers the customer's export and legal productions share
(dsr/export/classes.py over records/account_rows.py).

A class's columns are its export columns (dsr/export/layout.py); when the policy lists the class's `fields`, only the
columns those name ("postal code" names `postal_code`). A de-identified feed replaces identifiers with the recipient's
keyed pseudonyms (pseudonyms.py), leaves out names, street, card and free text, and the recipient's
`quasi_identifiers`. The feed is streamed to FILE.part, hashed (SHA-256) while written, and moved into place only by
`publish`, once the release is recorded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.disclosures.pseudonyms import Pseudonymiser
from custodian.dsr.export.classes import READERS, AllTime, Reading
from custodian.dsr.export.layout import SPECS
from custodian.kernel.csv_text import neutralise_cell
from custodian.policy.compiled import CompiledPolicy

FORMATS = ("csv", "jsonl")
# Identifiers a de-identified feed replaces with a pseudonym, and the kind of value each is.
PSEUDONYMISED = {"account": "account", "email": "email", "contact_phone": "number", "number": "number",
                 "own_number": "number", "other_number": "number", "reference": "reference"}
# Direct identifiers and free text a de-identified feed never carries.
DROPPED = frozenset({"first_name", "last_name", "company", "street", "card", "text", "body", "author"})
FLUSH_ROWS = 500


class FeedNotPossible(ValueError):
    """A class the gate cannot write: the record store holds none of it, or its `fields` name no column."""


@dataclass(frozen=True)
class FeedPlan:
    """What a feed holds: per class, the (column, pseudonym kind or None) pairs, in order."""

    columns: dict[str, tuple[tuple[str, str | None], ...]]
    pseudonyms: Pseudonymiser | None

    @property
    def header(self) -> tuple[str, ...]:
        """The CSV header: account, record class, then every column of any class once."""
        names: list[str] = []
        for pairs in self.columns.values():
            names.extend(name for name, _ in pairs if name not in names)
        return ("account", "record_class", *names)


def _normal(field: str) -> str:
    return field.strip().lower().replace(" ", "_").replace("-", "_")


def permitted_columns(policy: CompiledPolicy, record_class: str) -> tuple[str, ...]:
    """The columns of `record_class` a feed may carry: its export columns, limited to the policy's `fields`."""
    if record_class not in READERS:
        raise FeedNotPossible(f"no feed for {record_class}: the record store holds none of it")
    header = tuple(name for name in SPECS[record_class].header if name != "account")
    use = policy.document.record_classes.get(record_class)
    if use is None or not use.fields:
        return header
    named = {_normal(field) for field in use.fields}
    kept = tuple(name for name in header if name in named)
    if not kept:
        raise FeedNotPossible(f"the policy's fields of {record_class} name none of its columns ({', '.join(header)})")
    return kept


def plan_feed(policy: CompiledPolicy, recipient: str, classes: list[str], form: str,
              master_key: bytes) -> FeedPlan:
    """The columns of each class for this recipient and form (FeedNotPossible for a class with none)."""
    de_identified = form == "de_identified"
    quasi = {_normal(name) for name in policy.document.recipients[recipient].quasi_identifiers}
    columns: dict[str, tuple[tuple[str, str | None], ...]] = {}
    for record_class in classes:
        pairs = [(name, PSEUDONYMISED.get(name) if de_identified else None)
                 for name in permitted_columns(policy, record_class)
                 if not (de_identified and (name in DROPPED or name in quasi))]
        columns[record_class] = tuple(pairs)
    return FeedPlan(columns, Pseudonymiser(master_key, recipient) if de_identified else None)


class FeedWriter:
    """Streams rows to `out`.part, hashing as it writes; `publish` moves the file into place."""

    def __init__(self, out: Path, fmt: str, plan: FeedPlan) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"--format: one of {', '.join(FORMATS)}")
        self.out, self.fmt, self.plan = out, fmt, plan
        self.part = out.with_name(out.name + ".part")
        self._sha = hashlib.sha256()
        self._handle: BinaryIO = self.part.open("wb")
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, lineterminator="\r\n")
        self._pending = 0
        header = plan.header
        # Per class: for each output column, where its value sits in the reader's row and its pseudonym kind.
        self._layout = {record_class: _layout(record_class, pairs, header[2:] if fmt == "csv" else None)
                        for record_class, pairs in plan.columns.items()}
        if fmt == "csv":
            self._csv.writerow([neutralise_cell(name) for name in header])

    def write_account(self, conn: Connection, keyring: Keyring, blobs: LocalBlobStore | None, account_id: int,
                      ref: str, with_card: bool) -> int:
        """Write every permitted row of one account; return how many rows."""
        read = Reading(conn, keyring, keyring.cipher(conn, account_id), blobs, account_id,  # type: ignore[arg-type]
                       with_card)
        account = self._token("account", ref)
        written = 0
        for record_class, layout in self._layout.items():
            for row in _rows(read, record_class):
                values = [self._token(kind, row[index]) if kind else row[index] if index is not None else ""
                          for _, index, kind in layout]
                self._row(account, record_class, layout, values)
                written += 1
        return written

    def _token(self, kind: str | None, value: Any) -> Any:
        pseudonyms = self.plan.pseudonyms
        return pseudonyms.token(kind, str(value)) if pseudonyms is not None and kind else value

    def _row(self, account: str, record_class: str, layout: list[tuple[str, int | None, str | None]],
             values: list[Any]) -> None:
        if self.fmt == "csv":
            self._csv.writerow([neutralise_cell(account), record_class, *map(neutralise_cell, values)])
        else:
            self._buffer.write(json.dumps({"account": account, "record_class": record_class,
                                           **{name: value for (name, _, _), value in zip(layout, values, strict=True)}},
                                          ensure_ascii=False, default=str) + "\n")
        self._pending += 1
        if self._pending >= FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        data = self._buffer.getvalue().encode("utf-8")
        self._sha.update(data)
        self._handle.write(data)
        self._buffer.seek(0)
        self._buffer.truncate()
        self._pending = 0

    def finish(self) -> str:
        """Flush and close the .part file; return the feed's SHA-256."""
        self._flush()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        return self._sha.hexdigest()

    def publish(self) -> None:
        """Move the finished feed into place (atomic on one file system)."""
        os.replace(self.part, self.out)

    def discard(self) -> None:
        """Remove the .part file of a release that did not happen."""
        if not self._handle.closed:
            self._handle.close()
        self.part.unlink(missing_ok=True)


def _rows(read: Reading, record_class: str) -> Iterator[tuple[Any, ...]]:
    return READERS[record_class](read, AllTime())


def _layout(record_class: str, pairs: tuple[tuple[str, str | None], ...],
            header: tuple[str, ...] | None) -> list[tuple[str, int | None, str | None]]:
    """(column, index in the reader's row, pseudonym kind) per output column: the class's permitted columns (JSON
    Lines), or every column of the CSV header, None where the class has no such column."""
    columns = SPECS[record_class].header  # the subscriber row starts with the account reference, as its header does
    index = {name: columns.index(name) for name, _ in pairs}
    kinds = dict(pairs)
    names = header if header is not None else tuple(name for name, _ in pairs)
    return [(name, index.get(name), kinds.get(name)) for name in names]
