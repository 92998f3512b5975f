"""Who may call a staff-only API route: a fully signed-in privacy officer's console session, or a client
presenting the operator's API token (`Authorization: Bearer TOKEN`, CUSTODIAN_API_TOKEN).

Anyone else is answered 401 `unauthenticated` with `WWW-Authenticate: Bearer`; a signed-in staff member
of another role gets 403 `forbidden`. The token is compared by its SHA-256 digest in constant time, so
neither its value nor its length leaks through timing; it never reaches a log or an audit event.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from custodian.access.types import PRIVACY_OFFICER
from custodian.api.errors import ApiError
from custodian.db.engine import reading_unless
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.store import Session, StaffMember

CONSOLE_SESSION_COOKIE = "custodian_console"  # the console's session cookie (web.console.guard)
API_READER_ROLES = (PRIVACY_OFFICER,)


def token_digest(token: str) -> bytes:
    """What the app keeps of the configured API token: its SHA-256 digest."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer ...` header, or None."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _staff_session(runtime: Runtime, session_token: str) -> tuple[Session | None, StaffMember | None]:
    """The live console session and its member (blocking database work, run in the thread pool; it writes only
    when the session ended or its activity is due to be recorded)."""
    now = utcnow()

    def load(conn: Connection) -> tuple[Session | None, StaffMember | None]:
        session = staff_service.live_session(conn, session_token, now, runtime.sign_in)
        return session, staff_store.staff_by_id(conn, session.staff_id) if session else None

    def due(conn: Connection) -> bool:
        return staff_service.session_needs_write(conn, session_token, now, runtime.sign_in)

    return reading_unless(runtime.engine, due, load)


async def require_staff_or_token(request: Request) -> str:
    """A FastAPI dependency: the caller ("token" or "staff:NAME"), else 401 (anonymous) or 403 (other role)."""
    given = bearer_token(request)
    expected: bytes | None = getattr(request.app.state, "api_token_digest", None)
    if given is not None:
        if expected is not None and hmac.compare_digest(token_digest(given), expected):
            return "token"
        raise ApiError(401, "unauthenticated", "the API token is not valid")
    session_token = request.cookies.get(CONSOLE_SESSION_COOKIE, "")
    if session_token:
        session, member = await run_in_threadpool(_staff_session, request.app.state.runtime, session_token)
        if session is not None and member is not None and member.disabled_at is None and session.stage == "full" \
                and not member.password_must_change:
            if member.role not in API_READER_ROLES:
                raise ApiError(403, "forbidden", "this endpoint is for the privacy officer")
            return f"staff:{member.username}"
    raise ApiError(401, "unauthenticated", "sign in to the staff console or send an API token "
                                           "(Authorization: Bearer TOKEN)")
