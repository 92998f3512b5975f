"""The privacy request queue in the staff console: deadlines with the days left, one request's file, and the
staff steps (extend once inside the first period; deny with a reason of the fixed list; fulfil a verified
request of a type dsr/fulfillers.py answers).

The `dsr_agent` role acts; the privacy officer sees every page but changes nothing. Opening a request is an
audited read of the requester's details; the queue shows no personal data. Mail to the requester goes out
after the change has committed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from custodian.access.types import PRIVACY_OFFICER
from custodian.api.legal import policy_in_force
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.deadlines import days_left
from custodian.dsr.minors import content_to_choose
from custodian.dsr.portal_first import PORTAL_TYPES, points_to_portal, showing_words
from custodian.dsr.store import PrivacyRequestNotFound, events, has_online_account
from custodian.dsr.types import DENY_REASONS, STATE_LABELS, TYPE_LABELS, PrivacyRequest
from custodian.policy import store as policy_store
from custodian.runtime import Runtime
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.console.legal_pages import actor_of
from custodian.web.rendering import render_page

DSR_AGENT = "dsr_agent"
router = APIRouter(prefix="/console/privacy-requests", include_in_schema=False)
viewers = require_staff(roles=(DSR_AGENT, PRIVACY_OFFICER))
agents_only = require_staff(roles=(DSR_AGENT,))
DONE = {"extended": "Extended; the notice was e-mailed to the requester",
        "denied": "Denied; the answer was e-mailed to the requester",
        "fulfilled": "Fulfilled; the answer was e-mailed to the requester"}
FULFILLABLE = {"access": "Builds the export ZIP and e-mails a download link that works for 7 days.",
               "cpni_copy": "Builds the export ZIP and e-mails a download link that works for 7 days.",
               "deletion": "Deletes the account's records that no legal obligation keeps; when nothing is kept, the "
                           "account's key is destroyed.",
               "correction": "Records the correction for staff to apply to the account.",
               "shine_the_light": "E-mails the third parties that received the customer's information for their own "
                                  "direct marketing last calendar year, from the policy's published recipients.",
               "minor_content_removal": "Removes the content items you pick below (those the requester identifies) "
                                        "and explains the limits of Cal. Bus. & Prof. Code 22581.",
               "child_data_report": "Marks the account as holding a child's information and deletes its records that "
                                    "no legal obligation keeps; the retention engine purges the rest of the account."}


@router.get("/", response_class=HTMLResponse)
def queue(request: Request, finished: str = "", staff: StaffContext = Depends(viewers)) -> Response:
    """Open requests, the earliest deadline first, with the days left."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        found = service.queue(conn, open_only=finished != "yes")
    today = staff.now.date()
    rows = [(r, days_left(r.due_on, today) if r.due_on else None) for r in found]
    return render_page(request, "console/privacy_requests/queue.html", staff=staff, rows=rows, types=TYPE_LABELS,
                       states=STATE_LABELS, finished=finished == "yes")


@router.get("/{reference}", response_class=HTMLResponse)
def request_page(request: Request, reference: str, done: str = "",
                 staff: StaffContext = Depends(viewers)) -> Response:
    """One request: the requester's details (an audited read), its deadline and history, and the staff steps."""
    return _show(request, staff, reference, done=DONE.get(done, ""))


@router.post("/{reference}/extend", response_class=HTMLResponse)
def extend(request: Request, reference: str, reason: str = Form(""),
           staff: StaffContext = Depends(agents_only)) -> Response:
    """Extend once, inside the first period; the templated notice goes to the requester."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            mail = service.extend(conn, runtime.keyring(), policy_in_force(runtime), reference, reason=reason,
                                  actor=actor_of(staff), now=staff.now, today=staff.now.date())
    except service.StepNotAllowed as exc:
        return _show(request, staff, reference, error=("extend", str(exc)), status=422)
    service.send_all(runtime.mailer, [mail])
    return RedirectResponse(f"/console/privacy-requests/{reference}?done=extended", status_code=303)


@router.post("/{reference}/deny", response_class=HTMLResponse)
def deny(request: Request, reference: str, reason: str = Form(""),
         staff: StaffContext = Depends(agents_only)) -> Response:
    """Deny with a reason of the fixed list; the answer goes to the requester."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            mail = service.deny(conn, runtime.keyring(), policy_in_force(runtime), reference, reason=reason,
                                actor=actor_of(staff), now=staff.now)
    except service.StepNotAllowed as exc:
        return _show(request, staff, reference, error=("deny", str(exc)), status=422)
    service.send_all(runtime.mailer, [mail])
    return RedirectResponse(f"/console/privacy-requests/{reference}?done=denied", status_code=303)


@router.post("/{reference}/fulfil", response_class=HTMLResponse)
def fulfil(request: Request, reference: str, item: Annotated[list[str] | None, Form()] = None,
           staff: StaffContext = Depends(agents_only)) -> Response:
    """Fulfil a verified request; the final response goes to the requester once the change has committed."""
    from custodian.dsr.fulfillers import Desk, answer
    from custodian.dsr.fulfilment import FulfilmentNotWired
    from custodian.retention.executor import flush_blobs

    runtime: Runtime = request.app.state.runtime
    desk = Desk(runtime.blobs, policy_in_force(runtime), str(request.base_url), chosen=tuple(item or ()))
    try:
        with transaction(runtime.engine) as conn:
            answered = answer(conn, runtime.keyring(), desk, reference, actor=actor_of(staff), now=staff.now)
    except (service.StepNotAllowed, FulfilmentNotWired, PrivacyRequestNotFound) as exc:
        return _show(request, staff, reference, error=("fulfil", str(exc)), status=422)
    flush_blobs(runtime.engine, runtime.blobs)
    service.send_all(runtime.mailer, [answered.mail])
    return RedirectResponse(f"/console/privacy-requests/{reference}?done=fulfilled", status_code=303)


def _show(request: Request, staff: StaffContext, reference: str, *, done: str = "",
          error: tuple[str, str] | None = None, status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            found = service.read(conn, runtime.keyring(), reference, actor=actor_of(staff), now=staff.now)
            history = events(conn, found.id)
            portal = _portal_showing(conn, found, staff.now)
            content = (content_to_choose(conn, found, actor=actor_of(staff), now=staff.now)
                       if staff.member.role == DSR_AGENT and found.state == "in_progress" else [])
    except PrivacyRequestNotFound:
        return render_page(request, "console/privacy_requests/missing.html", 404, staff=staff)
    left = days_left(found.due_on, staff.now.date()) if found.due_on else None
    return render_page(request, "console/privacy_requests/request.html", status, staff=staff, r=found,
                       history=history, left=left, types=TYPE_LABELS, states=STATE_LABELS, reasons=DENY_REASONS,
                       can_act=staff.member.role == DSR_AGENT, done=done, error=error,
                       fulfillable=FULFILLABLE, portal=portal, content=content)


def _portal_showing(conn: Connection, found: PrivacyRequest, now: datetime) -> dict[str, Any] | None:
    """Seed 002 P154 as the queue shows it: the requester's showing, the online account, and whether the answer
    will point to the portal; None where the policy does not put the portal first or the type is not concerned."""
    version = policy_store.in_force(conn, now)
    if version is None or not version.compiled().document.privacy_requests.portal_first:
        return None
    if found.request_type not in PORTAL_TYPES:
        return None
    online = found.account_id is not None and has_online_account(conn, found.account_id)
    return {"showing": showing_words(found.portal_showing), "online": online,
            "to_portal": points_to_portal(portal_first=True, request_type=found.request_type,
                                          showing=found.portal_showing, online_account=online, due_on=found.due_on)}
