"""The demo provider built through the CLI into a temporary data directory (a few seconds; build once per
module): what `custodian demo --no-serve` printed, and a runtime over its store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from custodian.cli.context import runtime, settings
from custodian.cli.main import app
from custodian.runtime import Runtime

SMALL = ("--accounts", "60", "--calls", "4000")


@dataclass(frozen=True)
class BuiltDemo:
    """The demo's data directory, what the command printed, and a runtime over its store."""

    data: Path
    output: str
    runtime: Runtime


@contextmanager
def built_demo(folder: Path) -> Iterator[BuiltDemo]:
    """`custodian init` and a small `custodian demo --no-serve` with CUSTODIAN_DATA_DIR=folder/data."""
    data = folder / "data"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CUSTODIAN_DATA_DIR", str(data))
        env.delenv("CUSTODIAN_DATABASE_URL", raising=False)
        env.delenv("CUSTODIAN_MASTER_KEY", raising=False)
        settings.cache_clear()
        try:
            runner = CliRunner()
            assert runner.invoke(app, ["init"]).exit_code == 0
            result = runner.invoke(app, ["demo", "--no-serve", *SMALL])
            assert result.exit_code == 0, result.output
            yield BuiltDemo(data, result.output, runtime())
        finally:
            settings.cache_clear()
