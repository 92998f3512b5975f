"""Uploads (multipart form posts: the signed legal process on the intake portal and the desk's entry page) are
limited while they stream in. A declared length over the limit is refused before the body is read; a body
without a declared length is counted as it arrives and refused as soon as it passes the limit. The limit is
the setting CUSTODIAN_MAX_UPLOAD_MB, which app.py reads and passes here."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from custodian.api.errors import ApiError, ErrorBody, HtmlErrorRenderer, error_response

# Room for the form's other fields around the file.
FORM_OVERHEAD = 256 * 1024


class UploadTooLarge(ApiError):
    """413: the upload is larger than the limit."""

    def __init__(self, limit_bytes: int) -> None:
        megabytes = limit_bytes // (1024 * 1024)
        super().__init__(413, "upload_too_large", f"the file is larger than the {megabytes} MB limit; send a "
                                                  "smaller PDF, or send the legal process by mail")


class UploadLimitMiddleware:
    """Refuse a multipart body larger than `max_bytes` (plus the form's overhead) with 413, early."""

    def __init__(self, app: ASGIApp, max_bytes: int, html: HtmlErrorRenderer | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.html = html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_upload(scope):
            await self.app(scope, receive, send)
            return
        allowed = self.max_bytes + FORM_OVERHEAD
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > allowed:
            body = UploadTooLarge(self.max_bytes).body
            await _refuse(scope, receive, send, body, self.html)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > allowed:
                    raise UploadTooLarge(self.max_bytes)
            return message

        await self.app(scope, counted, send)


def _is_upload(scope: Scope) -> bool:
    content_type = dict(scope["headers"]).get(b"content-type", b"")
    return scope.get("method") == "POST" and content_type.startswith(b"multipart/form-data")


async def _refuse(scope: Scope, receive: Receive, send: Send, body: ErrorBody,
                  html: HtmlErrorRenderer | None) -> None:
    response = error_response(Request(scope, receive), body, html)
    response.headers["Connection"] = "close"  # the unread body is not wanted
    await response(scope, receive, send)
