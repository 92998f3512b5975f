"""Building the demo through the real importers, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.demo.build import FILES, DemoSize, build_demo, write_demo_files
from custodian.demo.population import build_plan
from custodian.kernel.progress import SilentProgress

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SMALL = DemoSize(accounts=40, calls=5_000, seed=7)


class RecordingProgress(SilentProgress):
    """Remembers which phases began."""

    def __init__(self) -> None:
        self.phases: list[str] = []

    def begin(self, phase: str, total: int) -> None:
        self.phases.append(phase)


def test_small_demo_imports_every_kind_without_rejecting_a_row(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    progress = RecordingProgress()
    outcome = build_demo(engine, keyring, blobs, tmp_path / "demo", SMALL, NOW, progress=progress)
    assert not outcome.skipped
    assert list(outcome.summaries) == list(FILES)
    assert progress.phases == ["generating", *FILES]
    for kind, summary in outcome.summaries.items():
        assert summary.rejected == 0, (kind, summary.errors[:5])
        assert summary.imported > 0, kind
    assert 4_500 <= outcome.summaries["calls"].imported <= 5_500


def test_second_build_is_skipped_and_a_rebuild_imports_nothing_new(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    size = DemoSize(accounts=15, calls=600, seed=3)
    first = build_demo(engine, keyring, blobs, tmp_path / "demo", size, NOW)
    assert build_demo(engine, keyring, blobs, tmp_path / "demo", size, NOW).skipped
    later = datetime(2025, 7, 1, tzinfo=UTC)  # the rebuild keeps the first build's clock
    again = build_demo(engine, keyring, blobs, tmp_path / "demo", size, later, rebuild=True)
    for kind, summary in again.summaries.items():
        assert summary.imported == 0, kind
        assert summary.rejected == 0, kind
        assert summary.duplicates == first.summaries[kind].imported, kind


def test_demo_files_are_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    size = DemoSize(accounts=20, calls=800, seed=5)
    plan = build_plan(size.seed, size.accounts, NOW)
    one = write_demo_files(tmp_path / "one", plan, size, SilentProgress())
    two = write_demo_files(tmp_path / "two", build_plan(size.seed, size.accounts, NOW), size,
                           SilentProgress())
    for kind in FILES:
        assert one[kind].read_bytes() == two[kind].read_bytes(), kind
    payloads = sorted(path.relative_to(tmp_path / "one")
                      for path in (tmp_path / "one" / "content").rglob("*") if path.is_file())
    assert payloads
    for relative in payloads:
        assert (tmp_path / "one" / relative).read_bytes() == (
            tmp_path / "two" / relative).read_bytes()


def test_content_files_are_real_wav_pdf_and_text(tmp_path: Path) -> None:
    size = DemoSize(accounts=60, calls=100, seed=2)
    write_demo_files(tmp_path, build_plan(size.seed, size.accounts, NOW), size, SilentProgress())
    suffixes = {path.suffix for path in (tmp_path / "content").rglob("*.*")}
    assert suffixes == {".wav", ".pdf", ".txt"}
    for path in (tmp_path / "content").rglob("*.pdf"):
        assert path.read_bytes().startswith(b"%PDF")
    for path in (tmp_path / "content").rglob("*.wav"):
        assert path.read_bytes()[:4] == b"RIFF" and path.read_bytes()[8:12] == b"WAVE"
