"""The portal's session, CSRF and cookies: the staff console's rules (hashed sessions, idle and absolute
timeouts, a CSRF token per session, double-submit before a session exists), scoped to /portal."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from custodian.consent import policy_change
from custodian.consent.policy_change import PendingChange
from custodian.db.engine import reading_unless
from custodian.kernel.clock import utcnow
from custodian.portal import service, store
from custodian.portal.store import OnlineAccount, PortalSession
from custodian.runtime import Runtime
from custodian.web.console.guard import CSRF_FIELD, tokens_match

SESSION_COOKIE = "custodian_portal"
FORM_COOKIE = "custodian_portal_form"  # double-submit CSRF token of the forms before a session exists
FLOW_COOKIE = "custodian_portal_flow"  # names the one-time code this browser asked for
DEVICE_COOKIE = "custodian_portal_device"  # a remembered browser (30 days)
PATH = "/portal"


class PortalRedirect(Exception):
    """Send the browser to the portal step the request lacks."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class PortalForbidden(Exception):
    """A form without its CSRF token."""


@dataclass(frozen=True)
class Customer:
    """The signed-in customer: their online account, account reference, session, the time, and the country
    whose way of writing telephone numbers the pages use."""

    online: OnlineAccount
    account_ref: str
    session: PortalSession
    now: datetime
    region: str = "US"
    policy_change: PendingChange | None = None  # a material change of the notice the portal announces

    @property
    def account_id(self) -> int:
        """The customer's own account."""
        return self.online.account_id

    @property
    def csrf_token(self) -> str:
        """The token every form of this session carries."""
        return self.session.csrf_token


def require_customer(stage: str = "full") -> Callable[[Request], Awaitable[Customer]]:
    """A dependency admitting a customer whose session reached `stage`; checks the CSRF token of every POST."""

    async def guard(request: Request) -> Customer:
        runtime: Runtime = request.app.state.runtime
        now = utcnow()
        session, online, ref, region, change = await run_in_threadpool(
            _signed_in, runtime, request.cookies.get(SESSION_COOKIE, ""), now)
        if session is None or online is None:
            raise PortalRedirect("/portal/")
        if stage == "full" and session.stage != "full":
            raise PortalRedirect("/portal/verify")
        if request.method == "POST":
            await check_form(request, session.csrf_token)
        return Customer(online, ref, session, now, region, change)

    return guard


def _signed_in(runtime: Runtime, token: str, now: datetime
               ) -> tuple[PortalSession | None, OnlineAccount | None, str, str, PendingChange | None]:
    """The live session `token` names, its online account, the account's reference and region, and the
    policy-change banner. Blocking database work: the guard runs it in the thread pool. It only reads, unless
    the session has ended or its activity is due to be recorded (at most once a minute)."""

    def load(conn: Connection) -> tuple[PortalSession | None, OnlineAccount | None, str, str, PendingChange | None]:
        session = service.live_session(conn, token, now, runtime.sign_in)
        online = store.online_of(conn, online_id=session.portal_account_id) if session else None
        ref = store.account_ref(conn, online.account_id) if online else ""
        region = store.account_region(conn, online.account_id) if online else "US"
        change = policy_change.banner(conn, now) if online else None
        return session, online, ref, region, change

    def due(conn: Connection) -> bool:
        return service.session_needs_write(conn, token, now, runtime.sign_in)

    return reading_unless(runtime.engine, due, load)


async def check_form(request: Request, expected: str) -> None:
    """Refuse a POST whose form token does not match `expected`."""
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if not expected or not isinstance(given, str) or not tokens_match(given, expected):
        raise PortalForbidden("the form's security token is missing or wrong; reload the page and try again")


def form_token(request: Request) -> str:
    """The double-submit token of a form shown before any session exists."""
    return request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)


async def check_public_form(request: Request) -> None:
    """Refuse a POST before sign-in whose form token does not match its cookie."""
    await check_form(request, request.cookies.get(FORM_COOKIE, ""))


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    """A portal cookie: HTTP-only, same-site strict, scoped to /portal, Secure over HTTPS."""
    secure = request.url.scheme == "https" or bool(getattr(request.app.state, "secure_cookies", False))
    response.set_cookie(name, value, httponly=True, samesite="strict", path=PATH, secure=secure, max_age=max_age)


def install_guard(app: FastAPI) -> None:
    """Turn the guard's exceptions into a redirect (303) or a 403 page."""
    from custodian.web.rendering import render_page

    async def redirect(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PortalRedirect)
        return RedirectResponse(exc.location, status_code=303)

    async def forbidden(request: Request, exc: Exception) -> Response:
        return render_page(request, "portal/problem.html", status=403, message=str(exc))

    app.add_exception_handler(PortalRedirect, redirect)
    app.add_exception_handler(PortalForbidden, forbidden)
