"""Staff administration in the console, for the privacy officer: add, reset and disable staff.

New credentials are shown once on the answer to the form (never stored in clear, never logged).
They open no session until a second privacy officer approves them on /console/officer/staff
(separation of duties, see `staff.service`).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from custodian.access.types import PRIVACY_OFFICER
from custodian.db.engine import transaction
from custodian.runtime import Runtime
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.service import NewCredentials, StaffError
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.console.staff_state import member_state, state_tone
from custodian.web.listing import ListQuery, list_page
from custodian.web.rendering import format_label, render_page

router = APIRouter(prefix="/console/admin", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))


@router.get("/staff", response_class=HTMLResponse)
def staff_list(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """Every staff member, with forms to add, reset and disable."""
    return _page(request, staff, problem="", issued=None)


@router.post("/staff", response_class=HTMLResponse)
def add(request: Request, username: str = Form(""), role: str = Form(""), name: str = Form(""),
        staff: StaffContext = Depends(officer_only)) -> Response:
    """Create a staff member and show their one-time credentials once."""
    runtime: Runtime = request.app.state.runtime
    roles = staff.rules.staff_roles() if staff.rules else (PRIVACY_OFFICER,)
    try:
        with transaction(runtime.engine) as conn:
            issued = staff_service.add_staff(conn, runtime.master_key, username=username.strip().lower(),
                                             display_name=name.strip(), role=role, roles=roles,
                                             actor=f"staff:{staff.member.username}", channel="console", now=staff.now,
                                             credentials_admin=_named_admin(staff))
    except StaffError as exc:
        return _page(request, staff, problem=str(exc), issued=None, status=422)
    return _page(request, staff, problem="", issued=issued)


@router.post("/staff/{username}/reset", response_class=HTMLResponse)
def reset(request: Request, username: str, staff: StaffContext = Depends(officer_only)) -> Response:
    """New one-time credentials for a staff member (shown once); their sessions end."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            issued = staff_service.reset_staff(conn, runtime.master_key, username,
                                               actor=f"staff:{staff.member.username}", channel="console",
                                               now=staff.now, credentials_admin=_named_admin(staff))
    except StaffError as exc:
        return _page(request, staff, problem=str(exc), issued=None, status=422)
    return _page(request, staff, problem="", issued=issued)


@router.post("/staff/{username}/disable", response_class=HTMLResponse)
def disable(request: Request, username: str, staff: StaffContext = Depends(officer_only)) -> Response:
    """Disable a staff member (not oneself)."""
    runtime: Runtime = request.app.state.runtime
    if username == staff.member.username:
        return _page(request, staff, problem="username: you cannot disable yourself", issued=None, status=422)
    try:
        with transaction(runtime.engine) as conn:
            staff_service.disable_staff(conn, username, actor=f"staff:{staff.member.username}", now=staff.now)
    except StaffError as exc:
        return _page(request, staff, problem=str(exc), issued=None, status=422)
    return _page(request, staff, problem="", issued=None)


def _named_admin(staff: StaffContext) -> str | None:
    """The policy's `staff.credentials_admin`, whose console issues need no second approval."""
    return staff.rules.credentials_admin if staff.rules else None


def _page(request: Request, staff: StaffContext, *, problem: str, issued: NewCredentials | None,
          status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        members = staff_store.all_staff(conn)
    roles = staff.rules.staff_roles() if staff.rules else (PRIVACY_OFFICER,)
    sorts = {"username": lambda m: m.username, "name": lambda m: m.display_name,
             "role": lambda m: format_label(m.role), "state": lambda m: member_state(m, staff.now)}
    query = ListQuery.from_params(request.query_params, sorts, "username")
    listing = list_page(members, query, keys=sorts, text=lambda m: " ".join(
        (m.username, m.display_name, format_label(m.role), member_state(m, staff.now))), path="/console/admin/staff")
    return render_page(request, "console/admin/staff.html", status=status, staff=staff, members=listing,
                       roles=roles, problem=problem, issued=issued, state_of=member_state, tone=state_tone)
