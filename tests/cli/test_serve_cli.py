"""`custodian serve --workers N`: N uvicorn processes, each building the app from the environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import Result
from fastapi import FastAPI

from custodian.app import app_from_settings
from custodian.cli import serve_cmd


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    return calls


def test_two_workers_serve_the_app_factory_so_each_process_builds_its_own(
        cli: Callable[..., Result], initialised: Path, served: list[tuple[Any, dict[str, Any]]]) -> None:
    result = cli("serve", "--port", "8123", "--workers", "2")
    assert result.exit_code == 0, result.output
    [(app, options)] = served
    assert app == "custodian.app:app_from_settings" and options["factory"] is True and options["workers"] == 2
    assert options["port"] == 8123 and options["access_log"] is False
    assert isinstance(app_from_settings(), FastAPI)  # what each worker calls


def test_one_worker_serves_the_app_built_in_the_process(
        cli: Callable[..., Result], initialised: Path, served: list[tuple[Any, dict[str, Any]]]) -> None:
    assert cli("serve", "--port", "8124").exit_code == 0
    [(app, options)] = served
    assert isinstance(app, FastAPI) and "workers" not in options


def test_workers_without_a_master_key_stop_before_any_process_starts(
        cli: Callable[..., Result], data_dir: Path, served: list[tuple[Any, dict[str, Any]]]) -> None:
    result = cli("serve", "--workers", "2")
    assert result.exit_code != 0 and "master key" in result.output and served == []


def test_the_demos_outbox_needs_a_single_worker(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="single worker"):
        serve_cmd.serve_app("127.0.0.1", 8125, outbox=tmp_path, workers=2)
