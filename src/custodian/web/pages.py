"""Public pages: the home page with live figures from the store."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from custodian.records.figures import store_figures
from custodian.runtime import Runtime
from custodian.web.rendering import render_page

router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """The public home page: what the record store holds right now."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        figures = store_figures(conn)
    return render_page(request, "home.html", figures=figures, counted_at=datetime.now(UTC))
