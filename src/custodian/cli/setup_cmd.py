"""`custodian init`: data directory, master key, schema, partitions. Safe to run again."""

from __future__ import annotations

from custodian.audit import store as audit
from custodian.cli.context import actor, failures, runtime, settings
from custodian.cli.db_cmd import fill_lines, report_lines
from custodian.cli.terminal import out
from custodian.crypto.master import ensure_master_key_file
from custodian.db import schema
from custodian.db.engine import transaction
from custodian.db.partitions import ensure_ahead
from custodian.kernel.clock import utcnow


def init() -> None:
    """Create the data directory, the master key (mode 0600) and the schema; idempotent."""
    with failures():
        s = settings()
        s.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        s.resolved_blob_dir().mkdir(parents=True, exist_ok=True)
        created = False if s.master_key else ensure_master_key_file(s.master_key_path)
        rt = runtime()
        before = schema.current_revision(rt.engine)
        schema.upgrade(rt.engine)
        with transaction(rt.engine) as conn:
            ensure_ahead(conn, utcnow())
            rt.keyring().index_key(conn)
            if before is None:
                audit.append(conn, actor=actor(), action="system.init", reason="database initialised")
        out.print(f"data directory: {s.data_dir.resolve()}")
        out.print("master key: " + ("generated " + str(s.master_key_path) if created else
                                    "from CUSTODIAN_MASTER_KEY" if s.master_key else "present"))
        out.print(f"schema: {schema.current_revision(rt.engine)} ({'created' if before is None else 'up to date'})")
        report_lines(fill_lines(rt))
