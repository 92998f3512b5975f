"""The one MetaData every table joins, with a naming convention so migrations name constraints alike."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, MetaData, TypeDecorator
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Custodian stores only timezone-aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None or value.tzinfo is UTC:  # PostgreSQL sessions run in UTC (db.engine): the usual case
            return value
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def partitioned_by_month(column: str) -> dict[str, str]:
    """Table kwargs that range-partition a high-volume table by `column` on PostgreSQL."""
    return {"postgresql_partition_by": f"RANGE ({column})"}


def id_type() -> Any:
    """A 64-bit id that is still SQLite's auto-incrementing INTEGER PRIMARY KEY."""
    from sqlalchemy import BigInteger, Integer

    return BigInteger().with_variant(Integer, "sqlite")


class NextId(ColumnElement[int]):
    """The next `id` of a table keyed `(account_id, id)`, where `id` can no longer be SQLite's rowid.

    PostgreSQL draws it from the column's own sequence (its BIGSERIAL); SQLite takes one more than the table's
    largest, inside the INSERT itself, which SQLite runs under its single write lock (as a rowid would be chosen).
    """

    inherit_cache = True
    _traverse_internals = [("table_name", InternalTraversal.dp_string)]  # noqa: RUF012 (SQLAlchemy protocol)

    def __init__(self, table_name: str) -> None:
        self.table_name = table_name
        self.type = BigInteger()


@compiles(NextId, "postgresql")
def _next_id_postgresql(element: NextId, compiler: Any, **kw: Any) -> str:
    return f"nextval(pg_get_serial_sequence('{element.table_name}', 'id'))"


@compiles(NextId)
def _next_id_sqlite(element: NextId, compiler: Any, **kw: Any) -> str:
    return f'(SELECT coalesce(max(id), 0) + 1 FROM "{element.table_name}")'


def account_scoped_id(table_name: str) -> Column[int]:
    """`id` of a table whose primary key is `(account_id, id)` (Citus-ready; docs/operations.md).

    Indexed on its own so that SQLite's `max(id)` is one index seek, not a scan of the table per row."""
    return Column("id", id_type(), nullable=False, autoincrement=True, default=NextId(table_name), index=True)
