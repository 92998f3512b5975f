"""Request limits, each a setting: body size (413, counted while the body streams in), uploaded file
size (413 `upload_too_large`), text field length and well-formed JSON values (422 naming the field),
targets per legal request (422).

A declared length over the limit is refused before the body is read. Forms and JSON bodies are read whole
(they are at most `max_body_bytes`) and checked before any route sees them; other bodies (multipart
uploads: the signed legal process on the intake portal and the desk's entry page) are counted as the route
reads them, so a large upload is refused at the limit without being held in memory.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from custodian.api.errors import ApiError, BodyTooLarge, ErrorBody, HtmlErrorRenderer, error_response


@dataclass(frozen=True)
class RequestLimits:
    """The limits one application enforces (read from settings by the edge that builds it)."""

    max_body_bytes: int = 32 * 1024 * 1024  # above the 20 MiB signed instrument a requester may upload
    max_field_chars: int = 20_000  # a pasted request document (JSON) is one field
    max_targets: int = 100
    max_upload_bytes: int = 20 * 1024 * 1024  # CUSTODIAN_MAX_UPLOAD_MB: one uploaded file

    def body_limit(self, method: str, content_type: str) -> tuple[int, ErrorBody]:
        """The most bytes this request's body may carry, and the answer when it carries more: every body is
        held to `max_body_bytes`, an upload also to its file limit (plus room for the form's other fields)."""
        upload = self.max_upload_bytes + FORM_OVERHEAD
        if method == "POST" and content_type.startswith("multipart/form-data") and upload <= self.max_body_bytes:
            megabytes = self.max_upload_bytes // (1024 * 1024)
            return upload, ErrorBody(
                413, "upload_too_large", f"the file is larger than the {megabytes} MB limit; send a smaller "
                                         "PDF, or send the legal process by mail")
        return self.max_body_bytes, ErrorBody(413, "payload_too_large", str(BodyTooLarge(self.max_body_bytes)))

    def check_targets(self, count: int) -> None:
        """Refuse a legal request naming more targets than one request may (422 `too_many_targets`)."""
        if count > self.max_targets:
            raise ApiError(422, "too_many_targets",
                           f"targets: at most {self.max_targets} targets in one request (found {count}); "
                           "split the request")


# Room for an upload form's other fields around the file.
FORM_OVERHEAD = 256 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
_CHECKED_TYPES = ("application/x-www-form-urlencoded", "application/json")


class RequestLimitMiddleware:
    """Enforces `RequestLimits` on every HTTP request before (or, for uploads, while) the app reads it."""

    def __init__(self, app: ASGIApp, limits: RequestLimits, html: HtmlErrorRenderer | None = None) -> None:
        self.app, self.limits, self.html = app, limits, html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        content_type = request.headers.get("content-type", "")
        limit, too_large = self.limits.body_limit(request.method, content_type)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, too_large)
            return
        if content_type.split(";")[0].strip().lower() not in _CHECKED_TYPES:
            await self.app(scope, _counted(receive, limit, too_large), send)
            return
        try:
            body = await _read_all(receive, limit)
        except BodyTooLarge:
            await self._refuse(scope, send, too_large)
            return
        problem = field_problem(body, request.headers.get("content-type", ""), self.limits.max_field_chars)
        if problem is not None:
            await self._refuse(scope, send, ErrorBody(422, "invalid_field", problem))
            return
        await self.app(scope, _replay(body, receive), send)

    async def _refuse(self, scope: Scope, send: Send, body: ErrorBody) -> None:
        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        request = Request(scope, nothing)
        response = error_response(request, body, self.html)
        response.headers["Connection"] = "close"  # the unread body is not wanted
        await response(scope, nothing, send)


def _counted(receive: Receive, limit: int, too_large: ErrorBody) -> Receive:
    seen = 0

    async def counting() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise ApiError(too_large.status, too_large.code, too_large.message)
        return message

    return counting


async def _read_all(receive: Receive, limit: int) -> bytes:
    chunks, seen, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        seen += len(chunk)
        if seen > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def field_problem(body: bytes, content_type: str, max_chars: int) -> str | None:
    """What is wrong with a form's or JSON body's fields, naming the field, or None."""
    if content_type.startswith("application/json"):
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            return None  # the route's own validation says what is wrong with the JSON
        return next(_json_problems(document, "body", max_chars), None)
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        if len(value) > max_chars:
            return f"{name[:80]}: longer than {max_chars:,} characters"
    return None


def _json_problems(value: Any, where: str, max_chars: int) -> Iterator[str]:
    if isinstance(value, str):
        if len(value) > max_chars:
            yield f"{where}: longer than {max_chars:,} characters"
        elif _SURROGATE.search(value):
            yield f"{where}: not valid text (a lone UTF-16 surrogate)"
    elif isinstance(value, float) and not math.isfinite(value):
        yield f"{where}: not a finite number"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_problems(key, where, max_chars)
            yield from _json_problems(item, f"{where}.{key[:80]}", max_chars)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_problems(item, f"{where}.{index}", max_chars)
