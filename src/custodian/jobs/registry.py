"""The jobs cron can run: each takes the runtime and `now`, and running it twice changes nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from custodian.db.engine import transaction
from custodian.db.partitions import ensure_ahead
from custodian.runtime import Runtime


def create_partitions_ahead(runtime: Runtime, now: datetime) -> str:
    """Create this month's and the next three months' partitions of every partitioned table."""
    with transaction(runtime.engine) as conn:
        created = ensure_ahead(conn, now, months_ahead=3)
    if runtime.engine.dialect.name != "postgresql":
        return "SQLite does not partition tables: nothing to do"
    return f"{created} month partitions present (this month and 3 ahead)"


JOBS: dict[str, Callable[[Runtime, datetime], str]] = {
    "partitions": create_partitions_ahead,
}
