"""The portal's "Download everything" as a background build with its progress (issue 15 §2: "a background export
job (the page shows progress) builds a ZIP"). One `dsr_export_job` row per build: queued → running → done (the
stored export behind its 7-day link, dsr/export_links.py) or failed (why, in words, never personal data).

The build reads on its own connection and writes its progress to the row through `kernel/progress.py`, at most
once a second; the ZIP is recorded (audit event, link, job done) in one short transaction at the end. An account
has at most one queued or running build. A build left running by a crashed process stops reporting progress; the
`export-builds` job rebuilds it from scratch (the half-written file removed; a job gives at most one link)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, select, update

from custodian.access.self_access import SELF_ACTOR
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.dsr.export.service import build_export, record_export
from custodian.dsr.export_links import DOWNLOAD_PATH, exports_dir, new_file_name, record_link
from custodian.dsr.tables import dsr_export, dsr_export_job
from custodian.kernel.clock import utcnow
from custodian.policy.document import PolicyDocument
from custodian.records.tables import account

log = logging.getLogger(__name__)

ACTIVE = ("queued", "running")
STALE_AFTER = timedelta(minutes=10)  # a running build reports at least every class; silence this long: orphaned
PROGRESS_INTERVAL = 1.0  # seconds between progress writes
_FAILED_WORDS = {AccountShredded: "your records are no longer available to export"}


@dataclass(frozen=True)
class ExportJob:
    """A build as the customer's page shows it; `link` only once it is done and the link still works."""

    id: int
    state: str
    phase: str | None
    done: int
    total: int
    error: str | None
    created_at: datetime
    link: str | None
    expires_at: datetime | None
    bytes: int | None

    @property
    def percent(self) -> int:
        """Whole percent of the build done."""
        if self.state == "done":
            return 100
        return 0 if self.total <= 0 else min(99, self.done * 100 // self.total)

    def as_json(self) -> dict[str, Any]:
        """The status the progress page polls."""
        return {"state": self.state, "phase": self.phase, "done": self.done, "total": self.total,
                "percent": self.percent, "error": self.error, "link": self.link,
                "expires_at": self.expires_at.isoformat() if self.expires_at else None, "bytes": self.bytes}


class JobProgress:
    """A `kernel.progress.Progress` writing the phase and counts into the job's row, at most every `interval`
    seconds (and when a phase begins or completes): never one UPDATE per row."""

    def __init__(self, engine: Engine, job_id: int, *, interval: float = PROGRESS_INTERVAL,
                 clock: Callable[[], float] = time.monotonic, now: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.job_id, self.interval, self.clock, self.now = engine, job_id, interval, clock, now
        self.phase, self.total, self.done, self.writes = "", 0, 0, 0
        self._written_at = float("-inf")

    def begin(self, phase: str, total: int) -> None:
        """A phase starts: written at once."""
        self.phase, self.total, self.done = phase, max(total, 0), 0
        self._write()

    def advance(self, phase: str, amount: int) -> None:
        """Count `amount` more; written when a second has passed or the phase is complete."""
        self.done += amount
        if self.done >= self.total or self.clock() - self._written_at >= self.interval:
            self._write()

    def _write(self) -> None:
        with transaction(self.engine) as conn:
            conn.execute(update(dsr_export_job).where(dsr_export_job.c.id == self.job_id).values(
                phase=self.phase, done=self.done, total=self.total, updated_at=self.now()))
        self.writes += 1
        self._written_at = self.clock()


def start(conn: Connection, account_id: int, *, now: datetime) -> int:
    """The account's queued or running build, else a new queued one; its id."""
    conn.execute(select(account.c.id).where(account.c.id == account_id).with_for_update())  # one click at a time
    running = conn.execute(select(dsr_export_job.c.id).where(
        dsr_export_job.c.account_id == account_id, dsr_export_job.c.state.in_(ACTIVE))).scalar()
    if running is not None:
        return int(running)
    return int(conn.execute(insert(dsr_export_job).values(
        account_id=account_id, state="queued", done=0, total=0, attempts=0, created_at=now, updated_at=now)
        .returning(dsr_export_job.c.id)).scalar_one())


def latest(conn: Connection, keyring: Keyring, account_id: int, *, now: datetime,
           job_id: int | None = None) -> ExportJob | None:
    """The account's newest build (or its build `job_id`: never another account's), as the page shows it."""
    query = (select(dsr_export_job, dsr_export.c.expires_at, dsr_export.c.deleted_at, dsr_export.c.bytes)
             .outerjoin(dsr_export, dsr_export.c.id == dsr_export_job.c.export_id)
             .where(dsr_export_job.c.account_id == account_id))
    if job_id is not None:
        query = query.where(dsr_export_job.c.id == job_id)
    row = conn.execute(query.order_by(dsr_export_job.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    link = None
    live = row.state == "done" and row.deleted_at is None and row.expires_at is not None and now < row.expires_at
    if live and row.link_enc is not None:
        link = DOWNLOAD_PATH + keyring.cipher(conn, account_id).open(row.link_enc, _aad(row.id))
    return ExportJob(int(row.id), row.state, row.phase, row.done, row.total, row.error, row.created_at, link,
                     row.expires_at if link else None, row.bytes if link else None)


def run(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, document: PolicyDocument, job_id: int, *,
        now: Callable[[], datetime] = utcnow, stale_before: datetime | None = None) -> str:
    """Build the job's export and record it; return the job's final state. A queued job is claimed; with
    `stale_before`, a running job silent since then is taken over and rebuilt from scratch. A job another worker
    holds is left alone ("skipped")."""
    claim = _claim(engine, blobs, job_id, now(), stale_before)
    if claim is None:
        return "skipped"
    account_id, attempt, name = claim
    part = exports_dir(blobs) / (name + ".part")
    try:
        with engine.connect() as reader:  # reads only: the progress writes go through their own transactions
            built = build_export(reader, keyring, blobs, document, account_id, part, now=now(),
                                 progress=JobProgress(engine, job_id, now=now))
        with transaction(engine) as conn:
            at = now()
            record_export(conn, built, actor=SELF_ACTOR, now=at)
            stored = record_link(conn, account_id, name, built.bytes, request_id=None, now=at)
            sealed = keyring.cipher(conn, account_id).seal(stored.token, _aad(job_id))
            finished = conn.execute(update(dsr_export_job).where(_held(job_id, attempt)).values(
                state="done", export_id=stored.export_id, link_enc=sealed, finished_at=at, updated_at=at))
            if finished.rowcount != 1:
                raise _Superseded()
            os.replace(part, exports_dir(blobs) / name)
    except _Superseded:
        part.unlink(missing_ok=True)
        return "skipped"
    except Exception as error:  # the build must end in a state the page can show, whatever went wrong
        part.unlink(missing_ok=True)
        log.warning("export job %s failed: %s", job_id, type(error).__name__)  # the class name: no personal data
        _fail(engine, job_id, attempt, _FAILED_WORDS.get(type(error), "the download could not be prepared"), now())
        return "failed"
    return "done"


def resume_stalled(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, document: PolicyDocument, *,
                   now: datetime) -> dict[str, int]:
    """Rebuild every build left queued or running by a process that stopped (silent for STALE_AFTER)."""
    stale_before = now - STALE_AFTER
    with engine.connect() as conn:
        stalled = conn.execute(select(dsr_export_job.c.id).where(
            dsr_export_job.c.state.in_(ACTIVE), dsr_export_job.c.updated_at < stale_before)
            .order_by(dsr_export_job.c.id)).scalars().all()
    counts = {"done": 0, "failed": 0, "skipped": 0}
    for job_id in stalled:
        counts[run(engine, keyring, blobs, document, int(job_id), now=lambda: now,
                                   stale_before=stale_before)] += 1
    return counts


class _Superseded(Exception):
    """Another worker took the job over while this one built it."""


def _aad(job_id: int) -> bytes:
    return f"dsr_export_job:{job_id}".encode()


def _held(job_id: int, attempt: int) -> Any:
    return and_(dsr_export_job.c.id == job_id, dsr_export_job.c.attempts == attempt,
                dsr_export_job.c.state == "running")


def _claim(engine: Engine, blobs: LocalBlobStore, job_id: int, now: datetime,
           stale_before: datetime | None) -> tuple[int, int, str] | None:
    """Mark the job running under a new attempt and a fresh file name; remove an earlier attempt's file."""
    with transaction(engine) as conn:
        row = conn.execute(select(dsr_export_job).where(dsr_export_job.c.id == job_id).with_for_update()).first()
        takeable = row is not None and (row.state == "queued" if stale_before is None else
                                        row.state in ACTIVE and row.updated_at < stale_before)
        if row is None or not takeable:
            return None
        if row.file_name:  # a crashed attempt's half-written ZIP
            (exports_dir(blobs) / (row.file_name + ".part")).unlink(missing_ok=True)
        name = new_file_name(blobs)
        conn.execute(update(dsr_export_job).where(dsr_export_job.c.id == job_id).values(
            state="running", attempts=row.attempts + 1, file_name=name, phase=None, done=0, total=0,
            started_at=now, updated_at=now))
    return int(row.account_id), int(row.attempts) + 1, name


def _fail(engine: Engine, job_id: int, attempt: int, words: str, now: datetime) -> None:
    with transaction(engine) as conn:
        conn.execute(update(dsr_export_job).where(_held(job_id, attempt)).values(
            state="failed", error=words, finished_at=now, updated_at=now))
