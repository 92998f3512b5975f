"""The import ledger: one row per run, so an operator sees what was loaded, when, and with what outcome."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from custodian.db.metadata import UtcDateTime, id_type, metadata

import_run = Table(
    "import_run",
    metadata,
    Column("id", id_type(), primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),
    Column("source_format", String(24), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("status", String(16), nullable=False),
    Column("imported", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
    Column("duplicates", Integer, nullable=False, default=0),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("owner_host", String(255), comment="the host, process id and process start time of the importer"),
    Column("owner_pid", Integer),
    Column("owner_started", String(32)),
    Column("heartbeat_at", UtcDateTime, comment="set at every committed batch: a dead run's stops moving"),
)
