"""Running one import: stream, parse, write in committed batches, audit each batch, summarise.

Each batch commits with its audit event, so an interrupted import keeps what it wrote; running it
again skips rows already present (counted as duplicates), so nothing is lost or doubled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, update

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.parse import ParseOptions, RowRejected, fields_by_name
from custodian.ingest.registry import ImportFormat
from custodian.ingest.source import CsvSource, ImportFileError, check_header
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
) -> ImportSummary:
    """Import `path` as `fmt`; raise ImportFileError when the file as a whole is unusable."""
    options = options or ParseOptions(base_dir=path.parent)
    source = CsvSource(path, on_bytes=on_progress)
    writer = fmt.writer(keyring=keyring, blobs=blobs, options=options)
    summary = ImportSummary()
    run_id = _start_run(engine, fmt, path, actor)
    batch: list[tuple[int, Any]] = []
    try:
        rows = source.rows()
        header = _read_header(rows, fmt)
        for line, fields in rows:
            try:
                record = fmt.parse(fields_by_name(header, fields) if header else fields, options)
            except RowRejected as exc:
                summary.reject(line, str(exc))
                continue
            batch.append((line, record))
            if len(batch) >= batch_size:
                _flush(engine, writer, fmt, batch, summary, run_id, actor)
                batch = []
        _flush(engine, writer, fmt, batch, summary, run_id, actor)
    except BaseException:
        _finish_run(engine, run_id, summary, source.sha256.hexdigest(), "failed")
        raise
    _finish_run(engine, run_id, summary, source.sha256.hexdigest(), "completed")
    return summary


def _read_header(rows: Any, fmt: ImportFormat) -> tuple[str, ...] | None:
    if fmt.header is None:
        return None
    first = next(rows, None)
    if first is None:
        raise ImportFileError(f"line 1: empty file; expected the header {','.join(fmt.header)}")
    _, names = first
    check_header(names, fmt.header)
    return tuple(name.strip() for name in names)


def _flush(engine: Engine, writer: Any, fmt: ImportFormat, batch: list[tuple[int, Any]],
           summary: ImportSummary, run_id: int, actor: str) -> None:
    if not batch:
        return
    with transaction(engine) as conn:
        result: BatchResult = writer.write(conn, batch)
        audit.append(
            conn, actor=actor, action=f"import.{fmt.kind}", record_classes=writer.record_classes,
            reason=f"import of {fmt.kind} ({fmt.name}) lines {batch[0][0]}-{batch[-1][0]}",
            detail={"run": run_id, "imported": result.imported, "duplicates": result.duplicates,
                    "rejected": len(result.errors)},
        )
        conn.execute(update(import_run).where(import_run.c.id == run_id).values(
            imported=import_run.c.imported + result.imported,
            duplicates=import_run.c.duplicates + result.duplicates,
            rejected=import_run.c.rejected + len(result.errors)))
    summary.imported += result.imported
    summary.duplicates += result.duplicates
    for line, reason in result.errors:
        summary.reject(line, reason)


def _start_run(engine: Engine, fmt: ImportFormat, path: Path, actor: str) -> int:
    with transaction(engine) as conn:
        return int(conn.execute(insert(import_run).values(
            kind=fmt.kind, source_format=fmt.name, file_name=path.name[:255], file_sha256="",
            actor=actor, status="running", imported=0, rejected=0, duplicates=0, started_at=utcnow(),
        ).returning(import_run.c.id)).scalar_one())


def _finish_run(engine: Engine, run_id: int, summary: ImportSummary, sha256: str, status: str) -> None:
    with transaction(engine) as conn:
        conn.execute(update(import_run).where(import_run.c.id == run_id).values(
            status=status, file_sha256=sha256, finished_at=utcnow(),
            rejected=summary.rejected))
