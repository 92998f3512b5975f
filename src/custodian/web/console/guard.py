"""The console's login, session, CSRF and role guard, as one reusable FastAPI dependency.

Any console page mounts on it: `staff: StaffContext = Depends(require_staff())` admits a
signed-in staff member who passed both factors and acknowledged the policy in force, and checks
the CSRF token of every POST; `require_staff(roles=("privacy_officer",))` narrows it to roles.
A request that fails is redirected to the step it lacks (login, second factor, own password,
acknowledgement) or refused with 403.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from custodian.access.in_force import rules_in_force
from custodian.access.rules import AccessRules
from custodian.access.types import Actor
from custodian.db.engine import reading_unless
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.policy.document import PolicyDocument
from custodian.runtime import Runtime
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.store import Session, StaffMember

SESSION_COOKIE = "custodian_console"
LOGIN_CSRF_COOKIE = "custodian_login_csrf"
CSRF_FIELD = "csrf_token"


class ConsoleRedirect(Exception):
    """Send the browser to the console step the request lacks."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class ConsoleForbidden(Exception):
    """Signed in, but not allowed here (wrong role or a bad CSRF token)."""


@dataclass(frozen=True)
class StaffContext:
    """Who is asking, through which session, under which rules, at what time."""

    member: StaffMember
    session: Session
    rules: AccessRules | None
    acknowledged: bool
    now: datetime
    token: str
    time_zone: str = "UTC"  # the member's own zone, else the provider's default

    @property
    def actor(self) -> Actor:
        """The staff member as the decision point sees them."""
        version = self.rules.version if self.rules and self.acknowledged else None
        return Actor(self.member.id, self.member.username, self.member.role, version)

    @property
    def csrf_token(self) -> str:
        """The token every form of this session carries."""
        return self.session.csrf_token


def require_staff(*, stage: str = "full", acknowledged: bool = True, roles: tuple[str, ...] | None = None,
                  own_password: bool = True) -> Callable[[Request], Awaitable[StaffContext]]:
    """A dependency admitting a staff member at `stage` ("password" or "full"), optionally only `roles`."""

    async def guard(request: Request) -> StaffContext:
        runtime: Runtime = request.app.state.runtime
        token = request.cookies.get(SESSION_COOKIE, "")
        now = utcnow()
        session, member, rules, acked = await run_in_threadpool(_signed_in, runtime, token, now)
        if session is None or member is None or member.disabled_at is not None:
            raise ConsoleRedirect("/console/login")
        if stage == "full" and session.stage != "full":
            raise ConsoleRedirect("/console/totp")
        if request.method == "POST":
            await _check_csrf(request, session.csrf_token)
        zone_name = member.time_zone or str(getattr(request.app.state, "time_zone", None) or "UTC")
        staff = StaffContext(member, session, rules, acked, now, token, zone_name)
        if stage == "full" and own_password and member.password_must_change:
            raise ConsoleRedirect("/console/password")
        if acknowledged and rules is not None and rules.acknowledgement_required and not acked:
            raise ConsoleRedirect("/console/acknowledge")
        if roles is not None and member.role not in roles:
            raise ConsoleForbidden("this page is for " + ", ".join(roles))
        return staff

    return guard


def _signed_in(runtime: Runtime, token: str, now: datetime
               ) -> tuple[Session | None, StaffMember | None, AccessRules | None, bool]:
    """The session `token` names (kept alive), its member, the rules in force and whether the member acknowledged
    them. Blocking database work: the guard runs it in the thread pool, never on the event loop. It only reads,
    unless the session has ended or its activity is due to be recorded (at most once a minute)."""

    def load(conn: Connection) -> tuple[Session | None, StaffMember | None, AccessRules | None, bool]:
        session = staff_service.live_session(conn, token, now, runtime.sign_in)
        member = staff_store.staff_by_id(conn, session.staff_id) if session else None
        rules = rules_in_force(conn, now)
        acked = bool(member and rules and staff_store.has_acknowledged(conn, member.id, rules.version))
        return session, member, rules, acked

    def due(conn: Connection) -> bool:
        return staff_service.session_needs_write(conn, token, now, runtime.sign_in)

    return reading_unless(runtime.engine, due, load)


async def _check_csrf(request: Request, expected: str) -> None:
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if not isinstance(given, str) or not tokens_match(given, expected):
        raise ConsoleForbidden("the form's CSRF token is missing or wrong; reload the page")


def policy_in_force(request: Request, staff: StaffContext, needed_for: str) -> PolicyDocument:
    """The policy document in force, or the 403 page saying what needs one (`needed_for`: "the recipients")."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, staff.now)
    if version is None:
        raise ConsoleForbidden(f"no policy is in force: {needed_for} come from the policy")
    return version.compiled().document


def tokens_match(given: str, expected: str) -> bool:
    """Constant-time comparison of a submitted token with the expected one, for any text submitted
    (`hmac.compare_digest` refuses non-ASCII text with a TypeError; bytes it compares)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def login_csrf(request: Request) -> str:
    """The double-submit token of the login form (before any session exists)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


async def check_login_csrf(request: Request) -> None:
    """Refuse a login POST whose form token does not match its cookie."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie:
        raise ConsoleForbidden("the login form's CSRF cookie is missing; reload the page")
    await _check_csrf(request, cookie)


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """A console cookie: HTTP-only, same-site strict, scoped to /console, Secure over HTTPS or when the
    public address is https:// (behind a TLS-terminating proxy)."""
    secure = request.url.scheme == "https" or bool(getattr(request.app.state, "secure_cookies", False))
    response.set_cookie(name, value, httponly=True, samesite="strict", path="/console", secure=secure)


def install_guard(app: FastAPI) -> None:
    """Turn the guard's exceptions into a redirect (303) or a 403 page."""
    from custodian.web.rendering import render_page

    async def redirect(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleRedirect)
        return RedirectResponse(exc.location, status_code=303)

    async def forbidden(request: Request, exc: Exception) -> Response:
        return render_page(request, "console/forbidden.html", status=403, message=str(exc))

    app.add_exception_handler(ConsoleRedirect, redirect)
    app.add_exception_handler(ConsoleForbidden, forbidden)
