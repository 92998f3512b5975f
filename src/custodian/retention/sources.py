"""Where each record class lives: table, occurrence-time column, id column and row filter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, true

from custodian.records.rules import CONTENT_KINDS
from custodian.records.tables import (
    account_credential,
    address_of_record,
    billing_transaction,
    call_log,
    comment_log,
    content_item,
    e911_address,
    fax_log,
    number_assignment,
    payment_instrument,
    person,
    postal_address,
    sms_log,
)


@dataclass(frozen=True)
class Source:
    """The rows of one record class in one table."""

    record_class: str
    table: Table
    time_column: str
    key_column: str
    kind: str | None = None  # content_item.kind

    @property
    def time(self) -> Any:
        """The occurrence-time column."""
        return self.table.c[self.time_column]

    @property
    def key(self) -> Any:
        """The id column that breaks ties in occurrence time."""
        return self.table.c[self.key_column]

    @property
    def has_blobs(self) -> bool:
        """True when rows reference payloads in the blob store."""
        return self.table is content_item

    def rows(self) -> ColumnElement[bool]:
        """The filter selecting this class's rows of the table."""
        return self.table.c.kind == self.kind if self.kind else true()


_CONTENT = {record_class: Source(record_class, content_item, "occurred_at", "record_key", kind)
            for kind, record_class in CONTENT_KINDS.items()}
TIMED: dict[str, Source] = {
    **_CONTENT,
    "cpni.call_log": Source("cpni.call_log", call_log, "started_at", "record_key"),
    "cpni.fax_log": Source("cpni.fax_log", fax_log, "occurred_at", "record_key"),
    "cpni.sms_log": Source("cpni.sms_log", sms_log, "sent_at", "record_key"),
}
# Kept while the account is open; deleted only by a closure purge (rows before their account).
ACCOUNT_DATA: tuple[Source, ...] = (
    Source("support.comment_log", comment_log, "written_at", "record_key"),
    Source("billing.transactions", billing_transaction, "occurred_at", "record_key"),
    Source("billing.payment_instrument", payment_instrument, "created_at", "id"),
    Source("numbers.assignments", number_assignment, "assigned_from", "id"),
    Source("location.e911_address", e911_address, "registered_at", "id"),
    Source("subscriber.basic", postal_address, "created_at", "id"),
    Source("subscriber.basic", person, "created_at", "id"),
    Source("subscriber.basic", address_of_record, "became_at", "id"),
    Source("subscriber.credentials", account_credential, "set_at", "id"),
)


def sources_of(classes: Iterable[str]) -> list[Source]:
    """The timed sources of `classes` (classes with no stored rows are skipped)."""
    return [TIMED[name] for name in sorted(set(classes)) if name in TIMED]


def every_source() -> list[Source]:
    """Every source, in the order a purge deletes them."""
    return [*TIMED.values(), *ACCOUNT_DATA]


def by_table(sources: Iterable[Source]) -> dict[str, list[Source]]:
    """Group sources by their table name."""
    grouped: dict[str, list[Source]] = {}
    for source in sources:
        grouped.setdefault(source.table.name, []).append(source)
    return grouped


def kind_filter(sources: list[Source]) -> ColumnElement[bool]:
    """The row filter for several classes of one table."""
    kinds = [s.kind for s in sources if s.kind]
    if not kinds:
        return true()
    return sources[0].table.c.kind.in_(kinds) if len(kinds) > 1 else sources[0].table.c.kind == kinds[0]


__all__ = ["ACCOUNT_DATA", "TIMED", "Source", "by_table", "every_source", "kind_filter", "sources_of"]
