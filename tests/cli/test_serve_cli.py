"""`custodian serve --workers N`: N uvicorn processes, each building the app from the environment and listening
on its own socket of the port, so the kernel spreads connections over them."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import Result
from fastapi import FastAPI

from custodian.app import app_from_settings
from custodian.cli import serve_cmd
from custodian.web import workers


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    monkeypatch.setattr(workers, "run", lambda config: calls.append((config.app, {
        "factory": config.factory, "workers": config.workers, "port": config.port,
        "access_log": config.access_log})))
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_each_worker_slot_has_its_own_socket_bound_to_the_same_port() -> None:
    port = _free_port()
    sockets = workers.reuse_port_sockets("127.0.0.1", port, 3)
    try:
        assert len({s.fileno() for s in sockets}) == 3
        assert {s.getsockname() for s in sockets} == {("127.0.0.1", port)}
        assert all(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for s in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_the_supervisor_gives_each_worker_and_its_replacement_only_its_slots_socket(
        monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[Any]] = []

    class Recorded:
        def __init__(self, _config: Any, sockets: list[Any]) -> None:
            self.sockets, self.exitcode = sockets, 1

        def start(self) -> None:
            started.append(self.sockets)

        def is_alive(self, timeout: float = 5) -> bool:
            return self.sockets != ["b"]  # the second worker died

        def kill(self) -> None: ...

        def join(self) -> None: ...

    monkeypatch.setattr(workers, "Process", Recorded)
    supervisor = workers.BalancedWorkers(uvicorn.Config("custodian.app:app_from_settings", workers=2),
                                         ["a", "b"])  # type: ignore[list-item]
    supervisor.init_processes()
    assert started == [["a"], ["b"]]
    supervisor.keep_subprocess_alive()
    assert started == [["a"], ["b"], ["b"]]


def test_a_port_in_use_by_another_program_is_refused_and_no_socket_is_left_open() -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(OSError):
            workers.reuse_port_sockets("127.0.0.1", other.getsockname()[1], 2)
