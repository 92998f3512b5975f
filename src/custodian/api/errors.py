"""The one place domain errors become HTTP: `{"error": {"code", "message"}}` with a stable code.

Pages outside /api/ get the same status and code, rendered as HTML by the web edge.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from custodian.crypto.blobs import BlobMissing
from custodian.crypto.envelope import DecryptionFailed
from custodian.crypto.keyring import AccountShredded, KeyMismatch
from custodian.kernel.money import InvalidAmount
from custodian.kernel.phone import InvalidPhoneNumber
from custodian.kernel.timeparse import InvalidTime
from custodian.legal.lifecycle import TransitionNotAllowed
from custodian.legal.service import DeskRuleBroken
from custodian.legal.submission import CustomerRequestRouted
from custodian.staff.throttle import Throttled

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorBody:
    """What a client is told: HTTP status, a stable machine code and a human message."""

    status: int
    code: str
    message: str
    fields: tuple[tuple[str, str], ...] = ()  # (field, message) of each field to correct, when known


class BodyTooLarge(Exception):
    """The request body passed the configured size while it was being read (api/limits.py)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is larger than the {limit:,} bytes accepted")


class ApiError(Exception):
    """Raised by a route to answer with a specific status and code (and, for a 422, the fields at fault)."""

    def __init__(self, status: int, code: str, message: str, fields: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.body = ErrorBody(status, code, message, fields)


# (exception, status, code, fixed message or None to show the exception's own message).
# Most specific first: AccountShredded is a LookupError, so it must precede it.
DOMAIN_ERRORS: tuple[tuple[type[Exception], int, str, str | None], ...] = (
    (AccountShredded, 410, "account_shredded", "this account's data was crypto-shredded"),
    (KeyMismatch, 500, "key_mismatch", "stored keys were wrapped by a different master key"),
    (DecryptionFailed, 500, "decryption_failed", "a stored value failed its integrity check"),
    (BlobMissing, 500, "blob_missing", "a stored file is missing from the blob store"),
    (OperationalError, 503, "database_unavailable", "the database is unreachable or busy"),
    (BodyTooLarge, 413, "payload_too_large", None),
    # Input the store cannot hold is the client's error, never a 500: an id beyond 64 bits, a year
    # 9999 plus a deadline, an infinite amount (OverflowError); text a column or driver refuses
    # (DataError: too long, out of range); a lone surrogate no encoder takes (UnicodeError).
    (OverflowError, 422, "out_of_range", "a number or date is out of the range this service handles"),
    (DataError, 422, "invalid_value", "a value does not fit what the store holds (too long or out of range)"),
    (UnicodeError, 422, "invalid_text", "a value is not valid text"),
    (InvalidPhoneNumber, 422, "invalid_phone_number", None),
    (InvalidTime, 422, "invalid_time", None),
    (InvalidAmount, 422, "invalid_amount", None),
    (TransitionNotAllowed, 409, "transition_not_allowed", None),
    (DeskRuleBroken, 422, "desk_rule_broken", None),
    (CustomerRequestRouted, 422, "customer_requests", None),
    (Throttled, 429, "too_many_requests", None),
    (LookupError, 404, "not_found", None),
)

# Plainer words than the bare HTTP phrases for the statuses the framework raises itself.
STATUS_MESSAGES = {
    404: "there is nothing at this address",
    405: "this address does not accept that method",
}

HtmlErrorRenderer = Callable[[Request, ErrorBody], Response]


def error_body_for(exc: Exception) -> ErrorBody:
    """Map any exception to what the client is told; unknown ones become a bare 500."""
    if isinstance(exc, ApiError):
        return exc.body
    if isinstance(exc, StarletteHTTPException):
        message = STATUS_MESSAGES.get(exc.status_code, str(exc.detail))
        if exc.detail != _phrase(exc.status_code):  # a route's own detail says more than the phrase
            message = str(exc.detail)
        return ErrorBody(exc.status_code, _code_of_status(exc.status_code), message)
    if isinstance(exc, RequestValidationError):
        return ErrorBody(422, "invalid_request", _validation_message(exc), _validation_fields(exc))
    for kind, status, code, message in DOMAIN_ERRORS:
        if isinstance(exc, kind):
            shown = message or str(exc).strip("'\"") or code.replace("_", " ")
            return ErrorBody(status, code, shown)
    return ErrorBody(500, "internal_error", "an unexpected error occurred")


def wants_json(request: Request) -> bool:
    """API and health paths always answer in JSON; pages answer in HTML."""
    path = request.url.path
    return path.startswith("/api/") or path == "/healthz"


def error_response(request: Request, body: ErrorBody, html: HtmlErrorRenderer | None) -> Response:
    """The response carrying `body`, JSON or HTML by path."""
    if html is not None and not wants_json(request):
        return html(request, body)
    error: dict[str, object] = {"code": body.code, "message": body.message}
    if body.fields:
        error["fields"] = [{"field": field, "message": message} for field, message in body.fields]
    return JSONResponse({"error": error}, status_code=body.status)


def install_error_handlers(app: FastAPI, html: HtmlErrorRenderer | None = None) -> None:
    """Register the mapping on `app`; `html` renders errors on page paths."""

    async def handle(request: Request, exc: Exception) -> Response:
        body = error_body_for(exc)
        if body.status >= 500:
            _log_failure(request, exc, body)
        response = error_response(request, body, html)
        if body.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="custodian"'  # RFC 6750 3
        return response

    async def throttled(request: Request, exc: Exception) -> Response:
        response = error_response(request, error_body_for(exc), html)
        response.headers["Retry-After"] = str(getattr(exc, "retry_after", 60))  # RFC 9110 15.5.21 / RFC 6585 4
        return response

    for kind in (ApiError, StarletteHTTPException, RequestValidationError,
                 *(entry[0] for entry in DOMAIN_ERRORS)):
        app.add_exception_handler(kind, handle)
    app.add_exception_handler(Throttled, throttled)
    app.add_middleware(UnexpectedErrorMiddleware, html=html)


class UnexpectedErrorMiddleware:
    """Answers an unexpected exception with the mapped 500 inside the middleware stack, so the
    security headers still apply. The exception is logged here by type, route and stack, and
    not re-raised: the server would log its message, which may hold personal data."""

    def __init__(self, app: ASGIApp, html: HtmlErrorRenderer | None = None) -> None:
        self.app = app
        self.html = html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def track(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, track)
        except Exception as exc:
            request = Request(scope, receive)
            body = error_body_for(exc)
            _log_failure(request, exc, body, with_stack=True)
            if not started:
                await error_response(request, body, self.html)(scope, receive, send)


def _log_failure(request: Request, exc: Exception, body: ErrorBody,
                 with_stack: bool = False) -> None:
    # The route template, never the concrete path, and the exception type and code locations,
    # never its message: either may carry personal data.
    route = getattr(request.scope.get("route"), "path", "?")
    stack = ""
    if with_stack:
        frames = traceback.extract_tb(exc.__traceback__)
        stack = "".join(f"\n  {f.filename}:{f.lineno} in {f.name}" for f in frames)
    log.error("%s %s failed: %s -> %s%s", request.method, route, type(exc).__name__, body.code,
              stack)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _code_of_status(status: int) -> str:
    phrase = _phrase(status)
    return phrase.lower().replace(" ", "_").replace("-", "_") if phrase else f"http_{status}"


def _validation_message(exc: RequestValidationError) -> str:
    first = next(iter(exc.errors()), None)
    if first is None:
        return "the request is invalid"
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'invalid')}"



def _validation_fields(exc: RequestValidationError) -> tuple[tuple[str, str], ...]:
    # The body's own path (without the leading "body"), so a client can point at the field.
    found = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ()) if part != "body"]
        found.append((".".join(loc) or "body", str(error.get("msg", "invalid"))))
    return tuple(found)
