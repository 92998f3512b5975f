"""Every PostgreSQL session runs in UTC whatever the server's TimeZone (issue 19 §1): times come back as UTC and
are read without a per-value zone conversion, and SQLite's zone-less times are read as UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text

from custodian.db.metadata import UtcDateTime


def test_a_session_runs_in_utc(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no session zone; its times are stored zone-less in UTC")
    with engine.connect() as conn:
        assert conn.execute(text("SHOW TIME ZONE")).scalar_one() == "UTC"
        assert conn.execute(text("SELECT now()")).scalar_one().tzinfo is UTC


def test_times_read_back_are_utc_and_the_same_instant(engine: Engine) -> None:
    column = UtcDateTime()
    local = datetime(2026, 3, 1, 4, 0, tzinfo=timezone(timedelta(hours=-5)))
    for value in (local, local.replace(tzinfo=None), local.astimezone(UTC)):
        read = column.process_result_value(value, engine.dialect)
        assert read is not None and read.tzinfo is UTC
        assert read == (value if value.tzinfo else value.replace(tzinfo=UTC))
