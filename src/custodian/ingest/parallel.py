"""Parallel preparation for bulk imports (call records): worker processes parse, resolve and
encrypt chunks of the file; the importing process only inserts and audits.

Per-row Python work (parsing, time conversion, AES-GCM) costs more than the insert itself, so on
a multi-core machine it is spread over worker processes. Chunks end at a line break outside
quotes, so a quoted field spanning lines is never cut; each carries its first line number so
rejected rows are still reported by line.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from custodian.crypto.keyring import Keyring
from custodian.db.engine import make_engine
from custodian.ingest.parse import ParseOptions, RowRejected, fields_by_name
from custodian.ingest.source import ImportFileError
from custodian.ingest.writers import Prepared

PARALLEL_MIN_BYTES = 8 * 1024 * 1024
LINES_PER_CHUNK = 10_000
READ_AHEAD_PER_WORKER = 4  # chunks (about 3 MB each) queued per worker, so workers rarely wait on commits

_worker: dict[str, Any] = {}


def worker_count() -> int:
    """Workers to start: one per core (the importing process mostly waits on the database)."""
    return max(1, os.cpu_count() or 1)


def text_chunks(handle: io.TextIOBase, first_line: int, on_bytes: Callable[[int], None] | None,
                lines_per_chunk: int = LINES_PER_CHUNK) -> Iterator[tuple[int, str]]:
    """(first line number, text) chunks of about `lines_per_chunk` lines, cut outside quotes."""
    lines: list[str] = []
    quotes = 0
    start = first_line
    for line in handle:
        lines.append(line)
        quotes += line.count('"')
        if len(lines) >= lines_per_chunk and quotes % 2 == 0:
            text = "".join(lines)
            if on_bytes is not None:
                on_bytes(len(text))
            yield start, text
            start += len(lines)
            lines, quotes = [], 0
    if lines:
        text = "".join(lines)
        if on_bytes is not None:
            on_bytes(len(text))
        yield start, text


def prepare_in_workers(
    jobs: Iterator[tuple[int, str]],
    *,
    database_url: str,
    master_key: bytes,
    fmt_key: tuple[str, str],
    options: ParseOptions,
    header: tuple[str, ...] | None,
) -> Iterator[tuple[Prepared, list[tuple[int, str]], int, int]]:
    """Yield (prepared rows, parse rejections, first line, last line) per chunk, in file order."""
    workers = worker_count()
    context = multiprocessing.get_context("spawn")  # no inherited connections or locks
    with context.Pool(workers, initializer=_start_worker,
                      initargs=(database_url, master_key, fmt_key, options, header)) as pool:
        pending: deque[Any] = deque()
        for job in jobs:
            pending.append(pool.apply_async(_prepare_chunk, (job,)))
            if len(pending) >= workers * READ_AHEAD_PER_WORKER:  # bounded read-ahead keeps memory flat
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _start_worker(database_url: str, master_key: bytes, fmt_key: tuple[str, str],
                  options: ParseOptions, header: tuple[str, ...] | None) -> None:
    from custodian.ingest.registry import lookup

    keyring = Keyring(master_key)
    fmt = lookup(*fmt_key)
    _worker.update(engine=make_engine(database_url), fmt=fmt, options=options, header=header,
                   writer=fmt.writer(keyring=keyring, blobs=None, options=options))


def _prepare_chunk(job: tuple[int, str]) -> tuple[Prepared, list[tuple[int, str]], int, int]:
    first_line, text = job
    fmt, options, header = _worker["fmt"], _worker["options"], _worker["header"]
    batch: list[tuple[int, Any]] = []
    rejected: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = first_line
    try:
        for fields in reader:
            if fields and (len(fields) > 1 or fields[0].strip()):
                try:
                    batch.append((line, fmt.parse(fields_by_name(header, fields) if header else fields,
                                                  options)))
                except RowRejected as exc:
                    rejected.append((line, str(exc)))
            line = first_line + reader.line_num
    except csv.Error as exc:
        raise ImportFileError(f"line {first_line + reader.line_num - 1}: malformed CSV ({exc})") from None
    with _worker["engine"].connect() as conn:
        prepared = _worker["writer"].prepare(conn, batch)
    return prepared, rejected, first_line, line - 1

