"""`custodian serve`: run the web application."""

from __future__ import annotations

from pathlib import Path

import typer
import uvicorn

from custodian.app import app_from_settings
from custodian.cli.context import failures, settings
from custodian.cli.terminal import out


def serve_app(host: str, port: int, overrides: dict[str, object] | None = None, outbox: Path | None = None) -> None:
    """Serve the app on host:port until interrupted (the demo passes its mail settings and outbox)."""
    app = app_from_settings(overrides, outbox)
    out.print(f"Custodian on http://{host}:{port}  (Ctrl-C stops)")
    # No access log: request paths and query strings can carry identifiers (no personal data in logs).
    uvicorn.run(app, host=host, port=port, log_level=settings().log_level.lower(), access_log=False,
                proxy_headers=False, server_header=False)


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
) -> None:
    """Serve the web pages and the JSON API."""
    with failures():
        serve_app(host, port)
