"""Streaming CSV input with line numbers and byte progress: memory stays flat on any file size."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, wrong header)."""


class CsvSource:
    """Yields (line number, fields) for every non-blank record, reporting progress as it reads."""

    def __init__(self, path: Path, on_bytes: Callable[[int], None] | None = None) -> None:
        self.path = path
        self.total_bytes = path.stat().st_size
        self._on_bytes = on_bytes

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Stream records; a quoted field spanning lines reports the line it starts on."""
        with open_text(self.path) as handle:
            reader = csv.reader(self._lines(handle), strict=True)
            start = 1
            try:
                for fields in reader:
                    if fields and any(field.strip() for field in fields):
                        yield start, fields
                    start = reader.line_num + 1
            except csv.Error as exc:
                raise ImportFileError(f"line {reader.line_num}: malformed CSV ({exc})") from exc
            except UnicodeDecodeError as exc:
                raise ImportFileError(f"line {reader.line_num + 1}: not UTF-8 text") from exc

    def _lines(self, handle: object) -> Iterator[str]:
        """Pass lines through, reporting progress about every 256 KiB (characters, close to bytes)."""
        report, pending = self._on_bytes, 0
        for line in handle:  # type: ignore[attr-defined]
            if report is not None:
                pending += len(line)
                if pending >= 262_144:
                    report(pending)
                    pending = 0
            yield line
        if report is not None and pending:
            report(pending)

    def file_sha256(self) -> str:
        """SHA-256 of the whole file, for the import ledger."""
        digest = hashlib.sha256()
        with open(self.path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()


def open_text(path: Path) -> io.TextIOWrapper:
    """Open an import file for reading: UTF-8 (a BOM tolerated), newlines kept for the CSV reader."""
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot open ({exc.strerror})") from exc


def check_header(found: list[str], expected: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
    """Reject a file whose header is not exactly the expected columns (any order, each once: of two values
    under one name, which one the provider meant is unknowable, so the file is refused whole), plus any
    `optional` ones."""
    names = [name.strip() for name in found]
    if not set(names) & set(expected):
        # Not a header at all (most often a file exported without one): its cells are data, which
        # may be personal, so they are not echoed.
        raise ImportFileError(f"line 1: no header row; expected the columns {','.join(expected)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportFileError(f"line 1: header repeats column(s) {', '.join(repeated)}")
    missing = [name for name in expected if name not in names]
    unknown = [name for name in names if name not in expected and name not in optional]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if problems:
        raise ImportFileError(f"line 1: header has {'; '.join(problems)}")
