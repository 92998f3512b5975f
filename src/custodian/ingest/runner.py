"""Running one import: stream, parse, write in committed batches, audit each batch, summarise.

Each batch commits with its audit event, so an interrupted import keeps what it wrote; running it
again skips rows already present (counted as duplicates), so nothing is lost or doubled. Large
files of bulk formats are prepared in worker processes (see parallel.py).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, update

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest import parallel
from custodian.ingest.ledger import this_process
from custodian.ingest.parse import ParseOptions, RowRejected, fields_by_name
from custodian.ingest.registry import ImportFormat
from custodian.ingest.source import CsvSource, ImportFileError, check_header, open_text
from custodian.ingest.tables import import_run
from custodian.ingest.writers import BatchResult
from custodian.kernel.clock import utcnow

MAX_LISTED_ERRORS = 10_000


@dataclass
class ImportSummary:
    """The outcome of one run, as printed by `custodian import --json`."""

    imported: int = 0
    rejected: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        """Count a rejected row; list it while the list is shorter than MAX_LISTED_ERRORS."""
        self.rejected += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append((line, reason))

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape."""
        return {"imported": self.imported, "rejected": self.rejected, "duplicates": self.duplicates,
                "errors": [{"line": line, "reason": reason} for line, reason in sorted(self.errors)]}


@dataclass
class _Run:
    """One import in progress: where it writes and what it has counted."""

    engine: Engine
    fmt: ImportFormat
    writer: Any
    run_id: int
    actor: str
    summary: ImportSummary = field(default_factory=ImportSummary)

    def commit(self, first: int, last: int, write: Callable[[Any], BatchResult]) -> None:
        """Write one batch and its audit event in one transaction."""
        with transaction(self.engine) as conn:
            result = write(conn)
            audit.append(
                conn, actor=self.actor, action=f"import.{self.fmt.kind}",
                record_classes=self.writer.record_classes,
                reason=f"import of {self.fmt.kind} ({self.fmt.name}) lines {first}-{last}",
                detail={"run": self.run_id, "imported": result.imported,
                        "duplicates": result.duplicates, "rejected": len(result.errors)},
            )
            conn.execute(update(import_run).where(import_run.c.id == self.run_id).values(
                imported=import_run.c.imported + result.imported,
                duplicates=import_run.c.duplicates + result.duplicates, heartbeat_at=utcnow()))
        self.summary.imported += result.imported
        self.summary.duplicates += result.duplicates
        for line, reason in result.errors:
            self.summary.reject(line, reason)


def run_import(
    engine: Engine,
    keyring: Keyring,
    blobs: LocalBlobStore,
    fmt: ImportFormat,
    path: Path,
    *,
    actor: str,
    options: ParseOptions | None = None,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = 10_000,
    workers: bool | None = None,
) -> ImportSummary:
    """Import `path` as `fmt`; raise ImportFileError when the file as a whole is unusable.

    `workers` forces (True) or forbids (False) worker processes; by default they are used for
    bulk formats on files of at least parallel.PARALLEL_MIN_BYTES.
    """
    options = options or ParseOptions(base_dir=path.parent)
    with transaction(engine) as conn:  # a transaction: the first use creates the secret
        options = replace(options, record_secret=keyring.record_key_secret(conn))
    writer = fmt.writer(keyring=keyring, blobs=blobs, options=options)
    source = CsvSource(path, on_bytes=on_progress)
    run = _Run(engine, fmt, writer, _start_run(engine, fmt, path, actor), actor)
    use_workers = hasattr(writer, "prepare") and (
        workers if workers is not None else source.total_bytes >= parallel.PARALLEL_MIN_BYTES)
    try:
        if use_workers:
            _import_in_workers(run, keyring, path, options, on_progress)
        else:
            _import_sequentially(run, source, options, batch_size)
    except BaseException:
        _finish_run(run, source.file_sha256(), "failed")
        raise
    _finish_run(run, source.file_sha256(), "completed")
    return run.summary


def _import_sequentially(run: _Run, source: CsvSource, options: ParseOptions, batch_size: int) -> None:
    rows = source.rows()
    header = _header(rows, run.fmt)
    batch: list[tuple[int, Any]] = []
    for line, fields in rows:
        try:
            record = run.fmt.parse(fields_by_name(header, fields) if header else fields, options)
        except RowRejected as exc:
            run.summary.reject(line, str(exc))
            continue
        batch.append((line, record))
        if len(batch) >= batch_size:
            run.commit(batch[0][0], batch[-1][0], lambda conn, b=batch: run.writer.write(conn, b))
            batch = []
    if batch:
        run.commit(batch[0][0], batch[-1][0], lambda conn: run.writer.write(conn, batch))


def _import_in_workers(run: _Run, keyring: Keyring, path: Path, options: ParseOptions,
                       on_progress: Callable[[int], None] | None) -> None:
    with open_text(path) as handle:
        header, first_line = None, 1
        if run.fmt.header is not None:
            header = _header(_first_record(handle), run.fmt)
            first_line = 2
        jobs = parallel.text_chunks(handle, first_line, on_progress)
        results = parallel.prepare_in_workers(
            _decoded(jobs), database_url=run.engine.url.render_as_string(hide_password=False),
            master_key=keyring.master_key, fmt_key=(run.fmt.kind, run.fmt.name), options=options,
            header=header)
        for prepared, rejected, first, last in results:
            for line, reason in rejected:
                run.summary.reject(line, reason)
            run.commit(first, last, lambda conn, p=prepared: run.writer.store(conn, p))


def _decoded(jobs: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    try:
        yield from jobs
    except UnicodeDecodeError as exc:
        raise ImportFileError("file is not UTF-8 text") from exc


def _first_record(handle: Any) -> Iterator[tuple[int, list[str]]]:
    line = handle.readline()
    if line:
        yield 1, next(csv.reader([line]))


def _header(rows: Iterator[tuple[int, list[str]]], fmt: ImportFormat) -> tuple[str, ...] | None:
    if fmt.header is None:
        return None
    first = next(rows, None)
    if first is None:
        raise ImportFileError(f"line 1: empty file; expected the header {','.join(fmt.header)}")
    _, names = first
    check_header(names, fmt.header, fmt.optional)
    return tuple(name.strip() for name in names)


def _start_run(engine: Engine, fmt: ImportFormat, path: Path, actor: str) -> int:
    """Record the run as `running`, owned by this process (so a killed run can be told from a live one)."""
    owner, now = this_process(), utcnow()
    with transaction(engine) as conn:
        return int(conn.execute(insert(import_run).values(
            kind=fmt.kind, source_format=fmt.name, file_name=path.name[:255], file_sha256="",
            actor=actor, status="running", imported=0, rejected=0, duplicates=0, started_at=now,
            owner_host=owner.host, owner_pid=owner.pid, owner_started=owner.started, heartbeat_at=now,
        ).returning(import_run.c.id)).scalar_one())


def _finish_run(run: _Run, sha256: str, status: str) -> None:
    with transaction(run.engine) as conn:
        conn.execute(update(import_run).where(import_run.c.id == run.run_id).values(
            status=status, file_sha256=sha256, finished_at=utcnow(), rejected=run.summary.rejected))
