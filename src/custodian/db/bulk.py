"""Bulk inserts that skip rows already present: SQLite executemany, PostgreSQL COPY.

Rows are tuples in `columns` order, already in the driver's representation (see `sqlite_time`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import errors as pg_errors
from sqlalchemy import Connection, Table
from sqlalchemy.sql.schema import ColumnElementColumnDefault

from custodian.kernel.timeparse import utc_text


def sqlite_time(moment: datetime | None) -> str | None:
    """A UTC datetime in the text form SQLAlchemy uses for SQLite DATETIME columns."""
    return None if moment is None else utc_text(moment)


def time_encoder(conn: Connection) -> Any:
    """The function that turns a UTC datetime into this driver's bulk representation."""
    return sqlite_time if conn.dialect.name == "sqlite" else (lambda moment: moment)


NULL = "\\N"  # COPY text format's NULL
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """A text value escaped for PostgreSQL's COPY text format."""
    return value.translate(_COPY_ESCAPES)


def copy_bytes(value: bytes) -> str:
    """A bytea value in COPY text format (hex, its backslash escaped)."""
    return "\\\\x" + value.hex()


@dataclass(frozen=True)
class CopyBlock:
    """Rows already rendered in COPY text format (one line each), so the writer only streams bytes.

    Worker processes render them; the importing process sends a whole batch with one write.
    """

    data: bytes
    rows: int


class BulkInserter:
    """Inserts batches into one table, ignoring rows whose primary/unique key already exists."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)
        self._copy_failed = False

    def insert(self, conn: Connection, rows: Sequence[tuple[Any, ...]] | CopyBlock) -> int:
        """Insert `rows` (tuples, or a CopyBlock on PostgreSQL); return how many were new."""
        if not rows or (isinstance(rows, CopyBlock) and not rows.rows):
            return 0
        if conn.dialect.name == "sqlite":
            assert not isinstance(rows, CopyBlock), "COPY blocks are for PostgreSQL only"
            return self._sqlite(conn, rows)
        if not self._copy_failed:
            inserted = self._copy_direct(conn, rows)
            if inserted is not None:
                return inserted
            self._copy_failed = True  # this run meets existing rows: stage and merge from now on
        return self._copy_staged(conn, rows)

    def _sqlite(self, conn: Connection, rows: Sequence[tuple[Any, ...]]) -> int:
        # OR IGNORE would also skip a row whose NOT NULL `id` is missing: a table keyed (account_id, id)
        # gets its SQL default (db.metadata.NextId) written into the statement, evaluated row by row
        generated = {c.name: str(c.default.arg.compile(dialect=conn.dialect)) for c in self.table.columns
                     if c.name not in self.columns and isinstance(c.default, ColumnElementColumnDefault)}
        names = [*generated, *self.columns]
        marks = ",".join([*generated.values(), *("?" * len(self.columns))])
        sql = f'INSERT OR IGNORE INTO "{self.table.name}" ({",".join(names)}) VALUES ({marks})'
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.executemany(sql, rows)
        return int(cursor.rowcount)

    def _copy_direct(self, conn: Connection, rows: Sequence[tuple[Any, ...]] | CopyBlock) -> int | None:
        savepoint = conn.begin_nested()
        try:
            self._copy(conn, self.table.name, rows)
        except pg_errors.UniqueViolation:
            savepoint.rollback()
            return None
        except Exception:
            savepoint.rollback()
            raise
        savepoint.commit()
        return rows.rows if isinstance(rows, CopyBlock) else len(rows)

    def _copy_staged(self, conn: Connection, rows: Sequence[tuple[Any, ...]] | CopyBlock) -> int:
        stage = f"_stage_{self.table.name}"
        cols = ",".join(self.columns)
        driver = conn.connection.driver_connection
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{stage}" '
                           f'(LIKE "{self.table.name}" INCLUDING DEFAULTS) ON COMMIT DROP')
            cursor.execute(f'TRUNCATE "{stage}"')
        self._copy(conn, stage, rows)
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(f'INSERT INTO "{self.table.name}" ({cols}) SELECT {cols} FROM "{stage}" '
                           f"ON CONFLICT DO NOTHING")
            return int(cursor.rowcount)

    def _copy(self, conn: Connection, target: str, rows: Sequence[tuple[Any, ...]] | CopyBlock) -> None:
        driver = conn.connection.driver_connection
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            sql = f'COPY "{target}" ({",".join(self.columns)}) FROM STDIN'
            with cursor.copy(sql) as copy:
                if isinstance(rows, CopyBlock):
                    copy.write(rows.data)
                else:
                    for row in rows:
                        copy.write_row(row)
