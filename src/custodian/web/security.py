"""Security headers on every response, as a plain ASGI middleware (it also sees streamed and error
responses, which a BaseHTTPMiddleware would buffer or miss)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages load only their own stylesheet, images and scripts: no inline script, no inline style,
# nothing from another origin, and they cannot be framed.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

# Pages and API answers may carry personal data: no shared or browser cache may keep them.
NO_STORE_TYPES = ("text/html", "application/json")


class SecurityHeadersMiddleware:
    """Adds SECURITY_HEADERS to every HTTP response, and `Cache-Control: no-store` to pages and
    JSON; a header a route set itself (a narrower CSP, say) is kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_security_headers(headers: MutableHeaders) -> None:
    """Set every missing security header on `headers`."""
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    content_type = headers.get("content-type", "")
    if content_type.startswith(NO_STORE_TYPES):
        headers.setdefault("cache-control", "no-store")
