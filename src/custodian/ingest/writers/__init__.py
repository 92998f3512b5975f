"""Database side of each import: resolve accounts, encrypt, insert, skip what is already there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from custodian.db.bulk import CopyBlock
from custodian.ingest.resolve import AccountRefs
from custodian.retention.gate import RetentionGate


@dataclass
class BatchResult:
    """What one batch did: new rows, rows already present, and rows rejected at write time."""

    imported: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Prepared:
    """Rows of one batch made ready for a bulk insert (resolved, encrypted), and the rows that were not."""

    rows: list[tuple[object, ...]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    moments: set[datetime] = field(default_factory=set)
    copy_block: CopyBlock | None = None  # the rows rendered for PostgreSQL COPY, when prepared for it
    refused: int = 0  # rows retention (or their customer) deleted before: counted as duplicates, never stored

    @property
    def insertable(self) -> list[tuple[object, ...]] | CopyBlock:
        """What to hand to BulkInserter.insert: the COPY block when there is one, else the rows."""
        return self.copy_block if self.copy_block is not None else self.rows

    @property
    def count(self) -> int:
        """How many rows are ready to insert."""
        return self.copy_block.rows if self.copy_block is not None else len(self.rows)


class RowWriter:
    """Base of the writers that handle rows one by one: keys, blobs, and account look-up by reference."""

    record_classes: tuple[str, ...] = ()

    def __init__(self, keyring: Any = None, blobs: Any = None, **_: object) -> None:
        self.keyring = keyring
        self.blobs = blobs
        self.refs = AccountRefs()
        self.retention = RetentionGate()  # refuses records retention or their customer deleted

    def account_for(self, conn: Connection, line: int, ref: str, result: BatchResult) -> int | None:
        """The account `ref` names; when there is none (or it was shredded) the row is rejected by line."""
        account_id = self.refs.get(conn, ref)
        if account_id is None:
            result.errors.append((line, self.refs.missing_reason(conn, ref)))
        return account_id
