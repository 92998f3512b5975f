"""Streaming CSV input with line numbers and byte progress: memory stays flat on any file size."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, wrong header)."""


class CsvSource:
    """Yields (line number, fields) for every non-blank record; tracks bytes read and a SHA-256."""

    def __init__(self, path: Path, on_bytes: Callable[[int], None] | None = None) -> None:
        self.path = path
        self.total_bytes = path.stat().st_size
        self.sha256 = hashlib.sha256()
        self._on_bytes = on_bytes

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Stream records; a quoted field spanning lines reports the line it starts on."""
        try:
            handle = open(self.path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise ImportFileError(f"{self.path}: cannot open ({exc.strerror})") from exc
        with handle:
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
        update, report = self.sha256.update, self._on_bytes
        for line in handle:  # type: ignore[attr-defined]
            encoded = line.encode("utf-8")
            update(encoded)
            if report is not None:
                report(len(encoded))
            yield line


def check_header(found: list[str], expected: tuple[str, ...]) -> None:
    """Reject a file whose header is not exactly the expected columns (any order)."""
    names = [name.strip() for name in found]
    missing = [name for name in expected if name not in names]
    unknown = [name for name in names if name not in expected]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if problems:
        raise ImportFileError(f"line 1: header has {'; '.join(problems)}")
