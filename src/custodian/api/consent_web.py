"""The cookie banner's record of a visitor's choice: `POST /api/v1/consent/web` (public, called by consent.js
from the provider's websites).

Cross-origin calls are allowed from the policy provider's `website` and from this service's own origin; a
browser call from any other origin is refused (403) and records nothing. A `Sec-GPC: 1` header counts as the
visitor's Global Privacy Control signal even when the body says otherwise. Rate-limited per client address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from custodian.api.client import client_address
from custodian.api.errors import ApiError
from custodian.api.legal import policy_in_force
from custodian.consent.web_banner import BannerAnswerInvalid
from custodian.consent.web_choices import banner_for, record_answer
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.policy.compiled import CompiledPolicy
from custodian.runtime import Runtime
from custodian.staff import throttle

router = APIRouter(prefix="/api/v1/consent", tags=["consent"])


class WebChoiceIn(BaseModel):
    """One answer of the banner."""

    consent_id: str = Field(description="the visitor's random consent id, kept on the provider's site")
    version: str = Field(description="the banner version the visitor answered (consent.js CONFIG.version)")
    choices: dict[str, str] = Field(default_factory=dict, description="purpose -> granted | denied")
    gpc: bool = Field(False, description="navigator.globalPrivacyControl was true")


class WebChoiceOut(BaseModel):
    """What was recorded."""

    recorded: int = Field(description="ledger entries made")
    gpc: bool = Field(description="whether a Global Privacy Control signal was honoured")


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-cased; "" when it has none."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def allowed_origins(request: Request, policy: CompiledPolicy) -> set[str]:
    """The provider's website and this service's own origin."""
    found = {origin_of(str(request.base_url)), origin_of(policy.document.provider.website)}
    return {origin for origin in found if origin}


def cors_headers(origin: str) -> dict[str, str]:
    """The answer's CORS headers for an allowed origin."""
    return {"access-control-allow-origin": origin, "access-control-allow-methods": "POST",
            "access-control-allow-headers": "Content-Type", "access-control-max-age": "600", "vary": "Origin"}


def checked_origin(request: Request, policy: CompiledPolicy) -> str | None:
    """The request's Origin when it is allowed, None without one (not a browser); 403 otherwise."""
    origin = request.headers.get("origin")
    if origin is None:
        return None
    if origin.lower() not in allowed_origins(request, policy):
        raise ApiError(403, "origin_not_allowed", "this origin may not record cookie choices")
    return origin


@router.options("/web", include_in_schema=False)
def web_choice_preflight(request: Request) -> Response:
    """The browser's CORS preflight."""
    origin = checked_origin(request, policy_in_force(request.app.state.runtime))
    return Response(status_code=204, headers=cors_headers(origin) if origin else {})


@router.post("/web", response_model=WebChoiceOut, status_code=201, responses={
    403: {"description": "called from a website the policy does not name"},
    409: {"description": "the banner changed since the visitor saw it; ask again"},
    422: {"description": "a field is not valid; `error.fields` names it"},
    429: {"description": "too many requests from this address; see Retry-After"}})
def record_web_choice(body: WebChoiceIn, request: Request, response: Response) -> WebChoiceOut:
    """Record a visitor's cookie choices under their anonymous consent id (the proof of consent)."""
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    origin = checked_origin(request, policy)
    throttle.admit(runtime.engine, runtime.bucket_secret(),
                   [("consent_web.address", client_address(request), runtime.throttle.consent_per_address)],
                   actor="web-banner", action="consent.web_throttled", now=utcnow())
    if body.version != banner_for(policy).version:
        raise ApiError(409, "banner_changed", "the cookie categories changed since this choice was asked; ask again")
    gpc = body.gpc or request.headers.get("sec-gpc", "").strip() == "1"
    now = utcnow()
    try:
        with transaction(runtime.engine) as conn:
            count = record_answer(conn, policy, consent_id=body.consent_id, choices=body.choices, gpc=gpc, now=now)
    except BannerAnswerInvalid as exc:
        raise ApiError(422, "invalid_choice", str(exc), ((exc.field, str(exc)),)) from None
    if origin:
        response.headers.update(cors_headers(origin))
    return WebChoiceOut(recorded=count, gpc=gpc)
