"""`CUSTODIAN_WEB_THREADS` caps the thread pool that runs each worker's request work (issue 19 §2): fewer
threads contend for the interpreter lock, so a thread holding the audit chain's head commits sooner."""

from __future__ import annotations

import anyio.to_thread
from fastapi import FastAPI
from fastapi.testclient import TestClient

from custodian.app import create_app
from custodian.runtime import Runtime


def _pool_size_while_serving(app: FastAPI) -> float:
    seen: list[float] = []

    @app.get("/__pool")
    async def pool() -> dict[str, float]:
        seen.append(anyio.to_thread.current_default_thread_limiter().total_tokens)
        return {}

    with TestClient(app) as http:
        assert http.get("/__pool").status_code == 200
    return seen[0]


def test_the_app_runs_its_blocking_work_on_the_configured_number_of_threads(runtime: Runtime) -> None:
    assert _pool_size_while_serving(create_app(runtime, threads=3)) == 3


def test_without_a_setting_the_pool_keeps_anyios_default(runtime: Runtime) -> None:
    assert _pool_size_while_serving(create_app(runtime)) == 40
