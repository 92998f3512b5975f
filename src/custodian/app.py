"""The FastAPI application: JSON API under /api/v1 and the server-rendered web edge."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import text

from custodian import __version__
from custodian.runtime import Runtime


def create_app(runtime: Runtime) -> FastAPI:
    """Assemble the application around one runtime."""
    app = FastAPI(title="Custodian", version=__version__, docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    app.state.runtime = runtime

    @app.get("/healthz", tags=["system"])
    def healthz() -> dict[str, str]:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app


def app_from_settings() -> FastAPI:
    """The app configured from the environment (used by `custodian serve` and uvicorn --factory)."""
    from custodian.cli.context import runtime

    return create_app(runtime())
