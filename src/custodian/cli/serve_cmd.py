"""`custodian serve`: run the web application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
import uvicorn

from custodian.app import app_from_settings
from custodian.cli.context import failures, runtime, settings
from custodian.cli.terminal import out
from custodian.web import workers as balanced


def serve_app(host: str, port: int, overrides: dict[str, object] | None = None, outbox: Path | None = None,
              workers: int = 1) -> None:
    """Serve the app on host:port until interrupted (the demo passes its mail settings and outbox).

    With `workers` > 1 that many processes start, each building the app from the environment
    (`app_from_settings` as a factory) and listening on its own socket of the port (`web.workers`), so
    `overrides` and `outbox` apply to one process only."""
    if workers > 1 and (overrides or outbox):
        raise ValueError("overrides and an outbox need a single worker")
    # No access log: request paths and query strings can carry identifiers (no personal data in logs).
    options: dict[str, Any] = {"host": host, "port": port, "log_level": settings().log_level.lower(),
                               "access_log": False, "proxy_headers": False, "server_header": False}
    out.print(f"Custodian on http://{host}:{port}  (Ctrl-C stops)")
    if workers > 1:
        runtime().engine.dispose()  # a missing key or a bad setting stops here with one line, not in each worker
        balanced.run(uvicorn.Config("custodian.app:app_from_settings", factory=True, workers=workers, **options))
    else:
        uvicorn.run(app_from_settings(overrides, outbox), **options)


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (PostgreSQL; SQLite has one writer)."),
) -> None:
    """Serve the web pages and the JSON API."""
    with failures():
        serve_app(host, port, workers=workers)
