"""The FastAPI application: JSON API under /api/v1 and the server-rendered web edge."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from custodian import __version__
from custodian.api import consent_suppression as consent_suppression_api
from custodian.api import consent_web as consent_web_api
from custodian.api import legal as legal_api
from custodian.api import privacy_requests as privacy_requests_api
from custodian.api import sms_inbound as sms_inbound_api
from custodian.api import system
from custodian.api.auth import token_digest
from custodian.api.errors import install_error_handlers
from custodian.api.limits import RequestLimitMiddleware, RequestLimits
from custodian.runtime import Runtime
from custodian.web import api_docs, consent_banner, pages, privacy
from custodian.web.console import mount_console
from custodian.web.intake import routes as intake
from custodian.web.portal import mount_portal
from custodian.web.privacy_requests import routes as privacy_requests
from custodian.web.rendering import STATIC_DIR, render_error_page
from custodian.web.security import SecurityHeadersMiddleware


def create_app(runtime: Runtime, *, secure_cookies: bool = False,
               max_upload_bytes: int | None = None, limits: RequestLimits | None = None,
               api_token: str | None = None, outbox_dir: Path | None = None,
               time_zone: str = "UTC", sms_gateway_secret: str | None = None, threads: int | None = None) -> FastAPI:
    """Assemble the application around one runtime; `secure_cookies` marks cookies Secure even when
    the request arrived as plain HTTP (a TLS-terminating proxy in front); `max_upload_bytes` limits an
    uploaded file (CUSTODIAN_MAX_UPLOAD_MB); `limits` bounds requests (body size, field length, targets);
    `api_token` opens the staff-only API routes to scripts (CUSTODIAN_API_TOKEN); `outbox_dir` (the demo
    only) adds the console's Outbox of the mail the demo's catcher kept; `time_zone` is the console's default
    zone for showing times (CUSTODIAN_STAFF_TIME_ZONE); `sms_gateway_secret` opens /api/v1/sms/inbound to the SMS
    gateway that signs with it (CUSTODIAN_SMS_GATEWAY_SECRET); `threads` bounds the threads that run the requests'
    blocking work (CUSTODIAN_WEB_THREADS; None keeps anyio's 40)."""
    app = FastAPI(
        lifespan=_thread_limit(threads),
        title="Custodian",
        version=__version__,
        summary="Privacy operations for communications providers.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by web.api_docs from local files, under the strict CSP
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.runtime = runtime
    app.state.secure_cookies = secure_cookies
    app.state.time_zone = time_zone
    limits = limits or RequestLimits()
    if max_upload_bytes is not None:
        limits = replace(limits, max_upload_bytes=max_upload_bytes)
    app.state.limits = limits
    app.state.api_token_digest = token_digest(api_token) if api_token else None
    app.state.outbox_dir = outbox_dir
    app.state.sms_gateway_secret = sms_gateway_secret
    install_error_handlers(app, html=render_error_page)
    app.add_middleware(RequestLimitMiddleware, limits=limits, html=render_error_page)
    # Added last, so it is the outermost middleware and also marks the error handlers' answers.
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    api_docs.mount_api_docs(app)
    app.include_router(system.router)
    app.include_router(legal_api.router)
    app.include_router(privacy_requests_api.router)
    app.include_router(consent_web_api.router)
    app.include_router(consent_suppression_api.router)
    app.include_router(sms_inbound_api.router)
    app.include_router(consent_banner.router)
    app.include_router(pages.router)
    app.include_router(privacy.router)
    app.include_router(intake.router)
    app.include_router(privacy_requests.router)
    mount_console(app)
    mount_portal(app)
    if outbox_dir is not None:
        from custodian.web.console import outbox_pages

        app.include_router(outbox_pages.router)
    return app


def _thread_limit(threads: int | None) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that caps the process's thread pool at `threads` while the app serves.

    Every request's database work runs in that pool (sync routes and `run_in_threadpool`). Dozens of threads
    in one process take turns at the interpreter lock, and a thread holding a database lock (the audit chain's
    head) waits its turn among them before it can commit; measured with `bench/web_load.py` on two cores, 8
    threads per worker answered more requests per second than anyio's default 40, with a lower p95."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if threads is not None:
            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


def app_from_settings(overrides: dict[str, object] | None = None, outbox_dir: Path | None = None) -> FastAPI:
    """The app configured from the environment (used by `custodian serve` and uvicorn --factory); the demo
    passes `overrides` (its mail catcher as the SMTP server) and its `outbox_dir`."""
    from custodian.cli.context import runtime, settings

    s = settings().model_copy(update=overrides or {})
    return create_app(runtime(s), secure_cookies=s.public_base_url.startswith("https://"),
                      max_upload_bytes=s.max_upload_mb * 1024 * 1024,
                      limits=RequestLimits(s.max_request_bytes, s.max_field_chars, s.max_request_targets),
                      api_token=s.api_token.get_secret_value() if s.api_token else None, outbox_dir=outbox_dir,
                      time_zone=s.staff_time_zone, threads=s.web_threads,
                      sms_gateway_secret=s.sms_gateway_secret.get_secret_value() if s.sms_gateway_secret else None)
