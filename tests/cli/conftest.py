"""CLI fixtures: a temporary data directory (SQLite inside it) and a runner bound to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from custodian.cli.context import settings
from custodian.cli.main import app


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """CUSTODIAN_DATA_DIR points at a fresh folder; no database URL or master key from outside."""
    folder = tmp_path / "data"
    monkeypatch.setenv("CUSTODIAN_DATA_DIR", str(folder))
    for name in ("CUSTODIAN_DATABASE_URL", "CUSTODIAN_MASTER_KEY", "CUSTODIAN_BLOB_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings.cache_clear()
    yield folder
    settings.cache_clear()


def run_cli(*args: str) -> Result:
    """Invoke `custodian ARGS` in-process, re-reading settings first (they are cached per process)."""
    settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        settings.cache_clear()


@pytest.fixture
def cli(data_dir: Path) -> Callable[..., Result]:
    """`cli("import", "accounts", path)` runs the command against the temporary data directory."""
    return run_cli


@pytest.fixture
def initialised(cli: Callable[..., Result], data_dir: Path) -> Path:
    """A data directory after `custodian init`."""
    result = cli("init")
    assert result.exit_code == 0, result.output
    return data_dir
