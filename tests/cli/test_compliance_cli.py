"""`custodian compliance ropa`: records of processing from the policy file (issue 18 §3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.builders.legal import SPECTRUMVOIP


def test_the_ropa_command_writes_the_chosen_format(cli: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "ropa.csv"
    result = cli("compliance", "ropa", "--format", "csv", "--policy", str(SPECTRUMVOIP), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("data_set,role,article")
    printed = cli("compliance", "ropa", "--format", "json", "--policy", str(SPECTRUMVOIP))
    assert '"data_set": "client_end_user_data"' in printed.stdout


def test_the_ropa_command_refuses_an_unknown_format(cli: Callable[..., Result]) -> None:
    wrong = cli("compliance", "ropa", "--format", "pdf", "--policy", str(SPECTRUMVOIP))
    assert wrong.exit_code == 1 and "choose html, csv or json" in wrong.stderr
