"""The cookie banner a provider embeds on its own websites (`/consent.js`) and the Global Privacy Control
declaration (`/.well-known/gpc.json`). Both are public and carry no personal data.

Custodian's own pages set only essential cookies (the portal's and console's session cookies, CSRF), so they
embed no banner: a banner there would ask about nothing.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from custodian.api.legal import policy_in_force
from custodian.consent.web_banner import gpc_declaration, script_config
from custodian.consent.web_choices import banner_for
from custodian.runtime import Runtime
from custodian.web.rendering import STATIC_DIR

router = APIRouter(include_in_schema=False)

PLACEHOLDER = "/*CONFIG*/null"
# Another site loads the script: the default same-origin resource policy would block it.
CROSS_ORIGIN = {"cross-origin-resource-policy": "cross-origin", "cache-control": "public, max-age=300",
                "vary": "Sec-GPC"}


@lru_cache(maxsize=1)
def script_source() -> str:
    """consent.js as shipped, with its CONFIG placeholder."""
    return (STATIC_DIR / "consent.js").read_text(encoding="utf-8")


def own_origin(request: Request) -> str:
    """The origin this service answers on (scheme, host and port of the request)."""
    parts = urlsplit(str(request.base_url))
    return f"{parts.scheme}://{parts.netloc}"


@router.get("/consent.js")
def consent_script(request: Request) -> Response:
    """The banner script with the categories of the policy in force (503 when none is)."""
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    banner = banner_for(policy)
    base = own_origin(request)
    config = script_config(banner, provider=policy.document.provider.name, endpoint=f"{base}/api/v1/consent/web",
                           privacy_url=f"{base}/privacy",
                           gpc_header=request.headers.get("sec-gpc", "").strip() == "1")
    # `</` never appears in the JSON, so a policy's text cannot close a script element around it.
    text = json.dumps(config, ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
    body = script_source().replace(PLACEHOLDER, text, 1)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=CROSS_ORIGIN)


@router.get("/.well-known/gpc.json")
def gpc_json(request: Request) -> JSONResponse:
    """`{"gpc": true, "lastUpdate": "<the policy's effective date>"}` (GPC specification §3.4)."""
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    return JSONResponse(gpc_declaration(policy.document.provider.effective_on),
                        headers={"cross-origin-resource-policy": "cross-origin",
                                 "access-control-allow-origin": "*"})
