"""The demo outbox: every e-mail the demo's mail catcher kept (customer notices, CPNI change notices, call
detail sent to an address of record), listed and opened in the console. Mounted only by `custodian demo`
(create_app's `outbox_dir`); elsewhere the paths do not exist (404). Any signed-in staff member may read
it: it stands in for the customers' mailboxes of a fictitious provider."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from custodian.mail.outbox import list_messages, read_message
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/outbox", include_in_schema=False)
signed_in = require_staff()


def _folder(request: Request) -> Path:
    folder: Path | None = getattr(request.app.state, "outbox_dir", None)
    if folder is None:
        raise HTTPException(404)
    return folder


@router.get("", response_class=HTMLResponse)
def outbox(request: Request, q: str = "", staff: StaffContext = Depends(signed_in)) -> Response:
    """Every caught message (to, subject, time), newest first; `q` keeps those that mention it."""
    messages = list_messages(_folder(request), q)
    return render_page(request, "console/outbox.html", staff=staff, messages=messages, q=q)


@router.get("/{message_id}", response_class=HTMLResponse)
def message(request: Request, message_id: str, staff: StaffContext = Depends(signed_in)) -> Response:
    """One message: its headers and its text, escaped."""
    found = read_message(_folder(request), message_id)
    if found is None:
        raise HTTPException(404)
    return render_page(request, "console/outbox_message.html", staff=staff, message=found)
