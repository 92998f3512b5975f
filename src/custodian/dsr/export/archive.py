"""Writing the export ZIP as a stream: every entry goes straight into the file on disk (ZIP_DEFLATED), hashed
and measured as it is written, so memory stays flat however many rows or files there are. A table is written
once as CSV (through kernel/csv_text.py, formula cells neutralised) and, in the same pass over the rows, as JSON
(raw values) into a scratch file that is then copied in. `manifest.json` lists every entry's size and SHA-256."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from custodian.kernel.csv_text import write_csv

COPY_CHUNK = 1 << 16


class _Tap(io.RawIOBase):
    """Passes bytes on to `target`, counting and hashing them."""

    def __init__(self, target: IO[bytes]) -> None:
        super().__init__()
        self.target, self.sha256, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.sha256.update(chunk)
        self.size += len(chunk)
        self.target.write(chunk)
        return len(chunk)


class ExportZip:
    """A ZIP being written entry by entry to `path`; `entries` is the manifest's file list so far."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.scratch = path.parent
        self.entries: list[dict[str, Any]] = []

    def close(self) -> None:
        """Finish the ZIP's central directory."""
        self.zip.close()

    @contextmanager
    def entry(self, name: str) -> Iterator[IO[bytes]]:
        """A binary handle writing one entry; it is listed (size, SHA-256) once closed."""
        with self.zip.open(name, "w", force_zip64=True) as raw:
            tap = _Tap(raw)
            yield tap  # type: ignore[misc]
        self.entries.append({"path": name, "bytes": tap.size, "sha256": tap.sha256.hexdigest()})

    def add_bytes(self, name: str, data: bytes) -> None:
        """A small entry written whole (README, manifest)."""
        with self.entry(name) as handle:
            handle.write(data)

    def add_chunks(self, name: str, chunks: Iterable[bytes]) -> None:
        """An entry from a stream of chunks (a content file out of the blob store)."""
        with self.entry(name) as handle:
            for chunk in chunks:
                handle.write(chunk)

    def table(self, stem: str, header: tuple[str, ...], rows: Iterable[tuple[Any, ...]], *,
              writes_entries: bool = False) -> int:
        """`stem.csv` and `stem.json` with the same rows, in one pass over them; returns how many rows.

        With `writes_entries` (the rows' generator adds entries of its own, content files), both files are
        spooled to scratch files and copied in afterwards: a ZIP takes one open entry at a time."""
        with tempfile.TemporaryFile(dir=self.scratch, prefix=".export-") as json_spool, \
                tempfile.TemporaryFile(dir=self.scratch, prefix=".export-") as csv_spool:
            tee = _JsonTee(header, json_spool)
            if writes_entries:
                _write_csv(csv_spool, header, tee.rows(rows))
                self._copy_in(f"{stem}.csv", csv_spool)
            else:
                with self.entry(f"{stem}.csv") as handle:
                    _write_csv(handle, header, tee.rows(rows))
            tee.close()
            self._copy_in(f"{stem}.json", json_spool)
        return tee.count

    def _copy_in(self, name: str, spool: IO[bytes]) -> None:
        spool.seek(0)
        with self.entry(name) as handle:
            shutil.copyfileobj(spool, handle, COPY_CHUNK)

    def manifest(self, header: dict[str, Any]) -> None:
        """`manifest.json`: `header` and every entry written so far with its size and SHA-256."""
        body = {**header, "files": list(self.entries)}
        with self.zip.open("manifest.json", "w") as raw:
            raw.write(json.dumps(body, indent=1).encode("utf-8"))


def _write_csv(handle: IO[bytes], header: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """UTF-8 CSV through kernel/csv_text.py onto a binary handle (left open)."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    write_csv(text, header, rows)
    text.flush()
    text.detach()


class _JsonTee:
    """Writes each row passing through as one JSON object of an array onto a binary handle, and counts them."""

    def __init__(self, header: tuple[str, ...], handle: IO[bytes]) -> None:
        self.header, self.count = header, 0
        self.text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        self.text.write("[")

    def rows(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """Pass `rows` on, writing each to the JSON array."""
        write, header = self.text.write, self.header
        dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
        for row in rows:
            write(",\n " if self.count else "\n ")
            write(dumps(dict(zip(header, row, strict=True))))
            self.count += 1
            yield row

    def close(self) -> None:
        """End the array and let go of the handle (left open)."""
        self.text.write("\n]\n")
        self.text.flush()
        self.text.detach()
