"""The public home page: the provider's privacy centre, named from the policy in force.

It links every public door that is mounted (the privacy notice, the customer portal, privacy requests,
the legal request intake, staff sign-in) and names the privacy contact; it shows no store figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.routing import BaseRoute, Match

from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.policy.document import Contact
from custodian.runtime import Runtime
from custodian.web.rendering import render_page

router = APIRouter(include_in_schema=False)
PORTAL_PATH = "/portal/"
PRIVACY_REQUESTS_PATH = "/privacy/requests"


@dataclass(frozen=True)
class PrivacyCentre:
    """What the home page says: the provider, its privacy contact, and which doors are open."""

    provider: str | None
    website: str
    privacy_contact: Contact | None
    notice: bool
    portal: bool
    privacy_requests: bool


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """The privacy centre: where customers, requesters and staff go."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, utcnow())
    provider = version.compiled().document.provider if version else None
    routes = request.app.routes
    centre = PrivacyCentre(
        provider=provider.name if provider else None,
        website=provider.website if provider else "",
        privacy_contact=next((c for c in provider.contacts if c.role == "privacy"), None) if provider else None,
        notice=version is not None,
        portal=is_mounted(routes, PORTAL_PATH),
        privacy_requests=is_mounted(routes, PRIVACY_REQUESTS_PATH))
    return render_page(request, "home.html", centre=centre)


def is_mounted(routes: list[BaseRoute], path: str) -> bool:
    """True when the application answers GET `path` (a door another package adds when it exists); asks each
    route whether it matches, so routes of an included router count too."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "path_params": {}}
    return any(route.matches(scope)[0] == Match.FULL for route in routes)
