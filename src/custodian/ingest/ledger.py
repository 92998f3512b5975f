"""The import ledger read back: every run with its status, a dead run shown as interrupted."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, select

from custodian.ingest.run_status import RunOwner, shown_status
from custodian.ingest.tables import import_run


@dataclass(frozen=True)
class RunView:
    """One import run as `custodian import status` shows it."""

    id: int
    kind: str
    source_format: str
    file_name: str
    status: str
    imported: int
    rejected: int
    duplicates: int
    started_at: datetime
    finished_at: datetime | None

    def as_json(self) -> dict[str, object]:
        """The documented JSON shape (times in ISO 8601)."""
        return {**self.__dict__, "started_at": self.started_at.isoformat(),
                "finished_at": self.finished_at.isoformat() if self.finished_at else None}


def this_process() -> RunOwner:
    """The owner record of the running process."""
    return RunOwner(socket.gethostname()[:255], os.getpid(), process_started(os.getpid()))


def process_started(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux /proc), or '' where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat[stat.rindex(")") + 2:].split()[19]  # field 22; the command name may hold spaces


def process_alive(owner: RunOwner) -> bool:
    """Whether the owner's process still runs on this host (the same process, not a reused id)."""
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    return not owner.started or process_started(owner.pid) in ("", owner.started)


def runs(conn: Connection, now: datetime, limit: int = 20) -> list[RunView]:
    """The newest import runs, newest first."""
    here = socket.gethostname()[:255]
    rows = conn.execute(select(import_run).order_by(import_run.c.id.desc()).limit(limit)).all()
    return [RunView(row.id, row.kind, row.source_format, row.file_name,
                    shown_status(row.status, _owner(row), row.heartbeat_at or row.started_at, now=now, here=here,
                                 alive=process_alive),
                    row.imported, row.rejected, row.duplicates, row.started_at, row.finished_at) for row in rows]


def _owner(row: object) -> RunOwner | None:
    host, pid = getattr(row, "owner_host", None), getattr(row, "owner_pid", None)
    return None if host is None or pid is None else RunOwner(host, pid, getattr(row, "owner_started", None) or "")
