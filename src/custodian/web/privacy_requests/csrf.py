"""CSRF protection for the public privacy-request forms: the legal intake's double-submit token, with its
own cookie scoped to /privacy/requests."""

from __future__ import annotations

import secrets

from fastapi import Request, Response

from custodian.api.errors import ApiError
from custodian.web.console.guard import tokens_match
from custodian.web.intake.csrf import FIELD

COOKIE = "custodian_privacy_csrf"
PATH = "/privacy/requests"
__all__ = ["FIELD", "check_token", "issue_token", "set_token_cookie"]


def issue_token(request: Request) -> str:
    """The token of this browser (kept if it already has one)."""
    current = request.cookies.get(COOKIE, "")
    return current if len(current) >= 32 else secrets.token_urlsafe(32)


def set_token_cookie(response: Response, token: str, *, secure: bool) -> None:
    """Send the token cookie along with a form page (Secure when the public address is https)."""
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, path=PATH)


def check_token(request: Request, submitted: str | None) -> None:
    """Refuse a form post whose token does not match the cookie (403 csrf_failed)."""
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or not submitted or not tokens_match(submitted, cookie):
        raise ApiError(403, "csrf_failed", "the form expired or did not come from this site; reload it and retry")
