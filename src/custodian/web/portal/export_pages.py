""""Download everything": the signed-in customer's own export ZIP (dsr/export), prepared on request and kept
behind a link that works for 7 days (dsr/export_links; the `export-expiry` job deletes the file then).
Seed 002: customers "download that data through their Admin Portal". The build is an audited self-access
(`dsr.export`), as is each download through the link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from custodian.access.self_access import SELF_ACTOR
from custodian.db.engine import transaction
from custodian.dsr.export_links import DOWNLOAD_PATH, store_export
from custodian.policy import store as policy_store
from custodian.runtime import Runtime
from custodian.web.portal.guard import Customer, require_customer
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal", include_in_schema=False)
signed_in = require_customer()


@dataclass(frozen=True)
class Ready:
    """A prepared export as the page shows it once: its link, size and when the link stops working."""

    link: str
    size: str
    expires_at: datetime


@router.get("/export", response_class=HTMLResponse)
def export_page(request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """What the download holds, and the button that prepares it."""
    return render_page(request, "portal/export.html", customer=customer, ready=None)


@router.post("/export", response_class=HTMLResponse)
def prepare_export(request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """Build the customer's export and show its 7-day link (once: the token is not stored)."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        version = policy_store.in_force(conn, customer.now)
        if version is None:
            return render_page(request, "portal/problem.html", status=503,
                               message="Your records cannot be exported right now; please try again later.")
        stored = store_export(conn, runtime.keyring(), runtime.blobs, version.compiled().document,
                              customer.account_id, request_id=None, actor=SELF_ACTOR, now=customer.now)
    ready = Ready(DOWNLOAD_PATH + stored.token, _size(stored.bytes), stored.expires_at)
    return render_page(request, "portal/export.html", customer=customer, ready=ready)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{max(1, count // 1000)} kB"
