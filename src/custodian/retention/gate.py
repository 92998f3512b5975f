"""What importers consult so that re-importing an export never brings deleted records back.

A record is refused when retention or its customer deleted it: its key has a tombstone (a single
deletion), or it occurred no later than the newest record of its class that retention deleted from
the account (the floor). Either way it would only be deleted again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from custodian.retention.tables import retention_floor, retention_tombstone


class RetentionGate:
    """Per import: floors and tombstones read once per account, then answered from memory."""

    def __init__(self) -> None:
        self._floors: dict[int, dict[str, datetime]] = {}
        self._tombstones: dict[int, frozenset[bytes]] = {}

    def allows(self, conn: Connection, account_id: int, record_class: str, occurred_at: datetime,
               key: bytes) -> bool:
        """False when this record was deleted by retention or by its customer."""
        if account_id not in self._floors:
            self._load(conn, account_id)
        if key in self._tombstones[account_id]:
            return False
        floor = self._floors[account_id].get(record_class)
        return floor is None or occurred_at > floor

    def _load(self, conn: Connection, account_id: int) -> None:
        rows = conn.execute(select(retention_floor.c.record_class, retention_floor.c.deleted_through)
                            .where(retention_floor.c.account_id == account_id))
        self._floors[account_id] = {name: through for name, through in rows}
        self._tombstones[account_id] = frozenset(conn.execute(
            select(retention_tombstone.c.record_key).where(retention_tombstone.c.account_id == account_id)).scalars())
