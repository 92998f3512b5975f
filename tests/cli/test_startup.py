"""The CLI starts at once: `--help` lists every command without importing the web stack, the database
layer or the PDF writer, and a command's dependencies load only when it runs (issue 14: "Import a
command's dependencies only when that command runs")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from custodian.cli.main import COMMANDS
from tests.builders.legal import LAW_ENFORCEMENT, SPECTRUMVOIP
from tests.cli.conftest import run_cli

HEAVY = ("fastapi", "sqlalchemy", "fpdf", "uvicorn", "starlette", "jinja2")


def _modules_loaded_by(*args: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running `custodian ARGS`."""
    script = ("import sys\nfrom custodian.cli.main import app\n"
              f"sys.argv = ['custodian', *{list(args)!r}]\n"
              "try:\n    app()\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write('MODULES ' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


def test_help_lists_every_command_without_importing_the_web_stack_the_database_or_fpdf() -> None:
    loaded = _modules_loaded_by("--help")
    assert not loaded & set(HEAVY)
    assert "custodian" in loaded


def test_validating_a_request_against_a_policy_file_needs_no_database_or_web_stack(tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps(LAW_ENFORCEMENT), encoding="utf-8")
    loaded = _modules_loaded_by("legal", "validate", str(request), "--policy", str(SPECTRUMVOIP))
    assert not loaded & set(HEAVY)


def test_help_shows_each_command_with_its_one_line_description() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert f"  {command.name} " in result.output
        assert command.help in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_listed_command_loads_and_answers_its_own_help(command) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(command.name, "--help")
    assert result.exit_code == 0, result.output
    assert f"custodian {command.name}" in result.output
    assert "--install-completion" not in result.output


def test_the_legal_desk_lists_the_commands_of_all_its_modules() -> None:
    result = run_cli("legal", "--help")
    for name in ("validate", "enter", "approve", "produce", "deliver", "transparency", "preserve"):
        assert f"  {name} " in result.output


def test_an_unknown_command_is_refused_with_a_pointer_to_help() -> None:
    result = run_cli("bogus")
    assert result.exit_code == 2
    assert "No such command 'bogus'" in result.output


def test_an_error_is_printed_as_written_without_markup(tmp_path: Path) -> None:
    request = tmp_path / "[red]request.json"
    request.write_text("{not json", encoding="utf-8")
    result = run_cli("legal", "validate", str(request), "--policy", str(SPECTRUMVOIP))
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot read ")
    assert "[red]request.json" in result.output
