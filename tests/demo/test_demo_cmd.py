"""`custodian demo` end to end through the CLI, in a temporary data directory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from custodian.cli.context import settings
from custodian.cli.main import app


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CUSTODIAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CUSTODIAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("CUSTODIAN_MASTER_KEY", raising=False)
    settings.cache_clear()
    yield tmp_path / "data"
    settings.cache_clear()


def test_demo_builds_a_small_provider_and_reports_each_kind(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["demo", "--no-serve", "--accounts", "20", "--calls", "500"])
    assert result.exit_code == 0, result.output
    for kind in ("accounts", "numbers", "calls", "sms", "billing", "comments", "content"):
        assert kind in result.output
    assert "rejected" in result.output and "warning" not in result.output
    assert (data_dir / "demo" / "Master.csv").stat().st_size > 0
    again = runner.invoke(app, ["demo", "--no-serve", "--accounts", "20", "--calls", "500"])
    assert again.exit_code == 0
    assert "already present" in again.output
    assert re.search(r"demo-rep\s+one-time password \S+\s+TOTP secret", result.output)
    assert "demo-officer" in result.output and "activated the demo policy" in result.output
    assert not re.search(r"one-time password \S+\s+TOTP secret", again.output)  # credentials are printed once
    assert "custodian staff reset demo-rep" in again.output and "Three things to do" in again.output
