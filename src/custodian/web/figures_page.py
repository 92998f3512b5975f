"""The privacy officer's figures page: what the record store holds right now, from row counts only
(drawing it reads and decrypts no personal data). The same figures are `GET /api/v1/figures`.

It lives beside the console package, not in it: the console reads subscriber records only through access,
and these are table counts (records.figures), not records."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from custodian.access.types import PRIVACY_OFFICER
from custodian.records.figures import store_figures
from custodian.runtime import Runtime
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))


@router.get("/figures", response_class=HTMLResponse)
def figures(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """Accounts, numbers, records, the last import and the audit chain head, counted now."""
    runtime: Runtime = request.app.state.runtime
    with runtime.reading_engine().connect() as conn:
        counted = store_figures(conn)
    return render_page(request, "console/officer/figures.html", staff=staff, figures=counted,
                       counted_at=datetime.now(UTC))
