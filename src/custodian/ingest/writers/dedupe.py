"""Single-row inserts that skip a row whose unique key already exists (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_unless_present(conn: Connection, table: Table, unique: tuple[str, ...],
                          **values: Any) -> bool:
    """Insert one row unless `unique` columns clash with an existing row; True when inserted."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(table).values(**values)
                 .on_conflict_do_nothing(index_elements=unique)
                 .returning(*(table.c[name] for name in unique)))
    # RETURNING, not rowcount: with PostgreSQL's implicit RETURNING the rowcount is unreliable
    return conn.execute(statement).first() is not None
