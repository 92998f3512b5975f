"""Who is at the other end of a request, for per-client limits."""

from __future__ import annotations

from fastapi import Request


def client_address(request: Request) -> str:
    """The client's address as the server saw it (the proxy's own when one is in front and its
    forwarded headers are not trusted)."""
    return request.client.host if request.client else "unknown"
