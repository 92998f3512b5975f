"""The privacy officer's console pages: break-glass review queue, audit search, per-staff access
report with every issue of one-time credentials (and their approval by a second officer), and chain
verification status. They show audit events, which carry no personal data."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access import service as access
from custodian.access import store as access_store
from custodian.access.service import AccessError, NotFound
from custodian.access.types import PRIVACY_OFFICER
from custodian.audit import checkpoints
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.retention.hold_service import account_refs
from custodian.runtime import Runtime
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.web.console.audit_view import detail_pairs
from custodian.web.console.guard import ConsoleForbidden, StaffContext, require_staff
from custodian.web.console.staff_state import member_state, state_tone
from custodian.web.listing import ListQuery, list_page
from custodian.web.rendering import format_label, render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))
AUDIT_SHOWN = 1000  # the newest events a search pages through
REPORTED = ("access.permit", "access.deny", "break_glass.open", "ticket.open")


@router.get("/reviews", response_class=HTMLResponse)
def reviews(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """Break-glass accesses awaiting review, and the latest reviewed."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        pending = access_store.break_glasses(conn, reviewed=False)
        done = access_store.break_glasses(conn, reviewed=True, limit=25)
        names = {m.id: m.username for m in staff_store.all_staff(conn)}
    return render_page(request, "console/officer/reviews.html", staff=staff, pending=pending, done=done,
                       names=names, outcomes=access.OUTCOMES, problem="")


@router.post("/reviews/{access_id}")
def review(request: Request, access_id: int, outcome: str = Form(""), note: str = Form(""),
           staff: StaffContext = Depends(officer_only)) -> Response:
    """Record the outcome of one review."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            access.review_break_glass(conn, staff.actor, access_id, outcome=outcome, note=note, now=staff.now)
    except NotFound as exc:
        raise ConsoleForbidden("no such break-glass access") from exc
    except AccessError as exc:
        raise ConsoleForbidden(str(exc)) from exc
    return RedirectResponse("/console/officer/reviews", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_search(request: Request, actor: str = "", action: str = "", account: str = "",
                 staff: StaffContext = Depends(officer_only)) -> Response:
    """Search the audit trail by actor, action and account reference; events paged, details as fields."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        account_id = access_store.account_id_for_ref(conn, account.strip()) if account.strip() else None
        events = [] if account.strip() and account_id is None else audit.search(
            conn, actor=actor.strip(), action=action.strip(), account_id=account_id, limit=AUDIT_SHOWN)
        refs = account_refs(conn, [e.account_id for e in events if e.account_id is not None])
    keep = tuple((k, v) for k, v in (("actor", actor), ("action", action), ("account", account)) if v)
    query = ListQuery.from_params(request.query_params, ("seq",), "seq", default_descending=True)
    listing = list_page(events, query, text=lambda e: "", keys={"seq": lambda e: e.seq}, keep=keep)
    return render_page(request, "console/officer/audit.html", staff=staff, events=listing, actor=actor,
                       action=action, account=account, refs=refs, details=detail_pairs)


@router.get("/staff", response_class=HTMLResponse)
def staff_report(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """Per staff member: tickets opened, permits, denials and break-glass accesses; every credential issue."""
    return _staff_report(request, staff, problem="")


@router.post("/credentials/{issue_id}/approve", response_class=HTMLResponse)
def approve_credentials(request: Request, issue_id: int, staff: StaffContext = Depends(officer_only)) -> Response:
    """A second privacy officer lets one-time credentials be used (never their issuer, never their holder)."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            staff_service.approve_issue(conn, issue_id, staff.member, staff.now)
    except staff_service.StaffError as exc:
        return _staff_report(request, staff, problem=str(exc), status=422)
    return RedirectResponse("/console/officer/staff", status_code=303)


def _staff_report(request: Request, staff: StaffContext, *, problem: str, status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        members = staff_store.all_staff(conn)
        counts = audit.action_counts(conn, REPORTED)
        issues = staff_store.issues(conn)
    rows = [{"member": m, "state": member_state(m, staff.now),
             **{action: counts.get((f"staff:{m.username}", action), 0) for action in REPORTED}} for m in members]
    sorts = {"username": lambda r: r["member"].username, "role": lambda r: format_label(r["member"].role),
             **{action: lambda r, action=action: r[action] for action in REPORTED}}
    query = ListQuery.from_params(request.query_params, sorts, "username")
    listing = list_page(rows, query, keys=sorts, path="/console/officer/staff", text=lambda r: " ".join(
        (r["member"].username, r["member"].display_name, format_label(r["member"].role), r["state"])))
    return render_page(request, "console/officer/staff.html", status=status, staff=staff, rows=listing,
                       issues=issues, problem=problem, tone=state_tone)


@router.get("/chain", response_class=HTMLResponse)
def chain(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """The chain status: the last whole-chain verification on record, and the events since it checked now."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        found = checkpoints.status(conn)
    return render_page(request, "console/officer/chain.html", staff=staff, chain=found)


@router.post("/chain/verify")
def verify_chain(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """Verify the whole chain now and record the outcome in it."""
    runtime: Runtime = request.app.state.runtime
    checkpoints.verify_whole_chain(runtime.engine, actor=f"staff:{staff.member.username}", now=staff.now)
    return RedirectResponse("/console/officer/chain", status_code=303)
