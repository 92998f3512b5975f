"""The export ZIP is written as a stream: memory stays flat in the number of rows, and every entry is listed
with the size and SHA-256 of exactly the bytes written."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

from custodian.dsr.export.archive import ExportZip

HEADER = ("started_at", "other_number", "note")


def _rows(count: int) -> Iterator[tuple[str, str, str]]:
    for index in range(count):
        yield (f"2026-01-01T00:00:{index % 60:02d}Z", f"+1415555{index % 10000:04d}", f"row {index} " + "x" * 80)


def _peak_bytes(tmp_path: Path, count: int) -> int:
    tracemalloc.start()
    archive = ExportZip(tmp_path / f"{count}.zip")
    assert archive.table("calls", HEADER, _rows(count)) == count
    archive.close()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_stays_flat_however_many_rows_are_written(tmp_path: Path) -> None:
    """Issue 15 §5: 'stream, never hold the export in memory'."""
    small, large = _peak_bytes(tmp_path, 2_000), _peak_bytes(tmp_path, 40_000)
    assert large < small * 1.5 + 256 * 1024


def test_a_table_is_a_csv_and_a_json_of_the_same_rows_and_the_manifest_hashes_what_was_written(
        tmp_path: Path) -> None:
    archive = ExportZip(tmp_path / "t.zip")
    archive.table("calls", HEADER, _rows(3))
    archive.add_chunks("voice/a.wav", [b"RIFF", b"data"])
    archive.manifest({"account": "ACC-1"})
    archive.close()
    with zipfile.ZipFile(tmp_path / "t.zip") as opened:
        files = {name: opened.read(name) for name in opened.namelist()}
    assert files["calls.csv"].decode().splitlines()[1] == "2026-01-01T00:00:00Z,'+14155550000,row 0 " + "x" * 80
    assert json.loads(files["calls.json"])[2]["other_number"] == "+14155550002"
    listed = json.loads(files["manifest.json"])["files"]
    assert [entry["path"] for entry in listed] == ["calls.csv", "calls.json", "voice/a.wav"]
    assert all(e["sha256"] == hashlib.sha256(files[e["path"]]).hexdigest() and e["bytes"] == len(files[e["path"]])
               for e in listed)
    assert files["voice/a.wav"] == b"RIFFdata"
