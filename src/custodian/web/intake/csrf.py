"""CSRF protection for the public intake forms: a double-submit token. The form page sets a random token
in a SameSite=Strict, HttpOnly cookie and in a hidden field; a POST is accepted only when both match."""

from __future__ import annotations

import secrets

from fastapi import Request, Response

from custodian.api.errors import ApiError
from custodian.web.console.guard import tokens_match

COOKIE = "custodian_intake_csrf"
FIELD = "csrf_token"


def issue_token(request: Request) -> str:
    """The token of this browser (kept if it already has one)."""
    current = request.cookies.get(COOKIE, "")
    return current if len(current) >= 32 else secrets.token_urlsafe(32)


def set_token_cookie(response: Response, token: str, *, secure: bool) -> None:
    """Send the token cookie along with a form page (Secure when the public address is https)."""
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/legal")


def check_token(request: Request, submitted: str | None) -> None:
    """Refuse a form post whose token does not match the cookie (403 csrf_failed)."""
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or not submitted or not tokens_match(submitted, cookie):
        raise ApiError(403, "csrf_failed", "the form expired or did not come from this site; reload it and retry")
