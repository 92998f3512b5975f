"""Console sign-in: password, TOTP (enrolment shows a QR code and the secret), own password,
policy acknowledgement, sign-out."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access.in_force import notice_in_force
from custodian.api.client import client_address
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import credentials, throttle
from custodian.staff import service as staff_service
from custodian.staff import sign_in as staff_sign_in
from custodian.staff import store as staff_store
from custodian.staff.service import StaffError
from custodian.web.console.guard import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    StaffContext,
    check_login_csrf,
    login_csrf,
    require_staff,
    set_cookie,
)
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console", include_in_schema=False)
second_factor = require_staff(stage="password", acknowledged=False)
signed_in = require_staff(acknowledged=False, own_password=False)
signed_in_with_password = require_staff(acknowledged=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    """The sign-in form."""
    token = login_csrf(request)
    response = render_page(request, "console/login.html", csrf_token=token, failed=False)
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token)
    return response


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_login_csrf)])
def login(request: Request, username: str = Form(""), password: str = Form("")) -> Response:
    """Check the password; on success a session waits for the second factor. Attempts are rate-limited
    per client address and per username (429 with Retry-After) before any password is checked."""
    runtime: Runtime = request.app.state.runtime
    now, username = utcnow(), username.strip().lower()
    rates = runtime.throttle
    throttle.admit(runtime.engine, runtime.bucket_secret(),
                   [("sign_in.address", client_address(request), rates.sign_in_per_address),
                    ("sign_in.username", username, rates.sign_in_per_username)],
                   actor="console", action="staff.login_throttled", now=now)
    member = staff_sign_in.check_password(runtime.engine, username, password, now, runtime.sign_in)
    token = None
    if member is not None:
        with transaction(runtime.engine) as conn:
            token = staff_service.start_session(conn, member.id, now)
    if token is None:
        return render_page(request, "console/login.html", status=401, csrf_token=login_csrf(request), failed=True)
    response = RedirectResponse("/console/totp", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token)
    return response


@router.get("/totp", response_class=HTMLResponse)
def totp_page(request: Request, staff: StaffContext = Depends(second_factor)) -> Response:
    """The second-factor form; before enrolment it shows the QR code and the secret."""
    return _totp_page(request, staff, failed=False)


@router.post("/totp", response_class=HTMLResponse)
def totp(request: Request, code: str = Form(""), staff: StaffContext = Depends(second_factor)) -> Response:
    """Check the code; on success replace the half-way session with a full one (no fixation)."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        accepted = staff_sign_in.check_totp(conn, runtime.master_key, staff.member, code, staff.now, runtime.sign_in)
        token = None
        if accepted:
            staff_store.delete_sessions(conn, hashed=staff.session.token_hash)
            token = staff_service.start_session(conn, staff.member.id, staff.now)
            staff_store.touch_session(conn, staff_store.token_hash(token), staff.now, stage="full")
    if token is None:
        return _totp_page(request, staff, failed=True)
    response = RedirectResponse("/console/", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token)
    return response


def _totp_page(request: Request, staff: StaffContext, *, failed: bool) -> Response:
    runtime: Runtime = request.app.state.runtime
    secret = qr = ""
    if not staff.member.totp_enrolled:
        with runtime.engine.connect() as conn:
            _hash, sealed, _step = staff_store.secrets_of(conn, staff.member.id)
        secret = credentials.open_totp_secret(runtime.master_key, sealed)
        qr = credentials.qr_svg(credentials.provisioning_uri(secret, staff.member.username))
    return render_page(request, "console/totp.html", status=401 if failed else 200, staff=staff,
                       secret=secret, qr_svg=qr, failed=failed)


@router.get("/password", response_class=HTMLResponse)
def password_page(request: Request, saved: str = "", staff: StaffContext = Depends(signed_in)) -> Response:
    """The member's settings: replace the one-time password or change one's own; the time zone of the console."""
    return _settings_page(request, staff, problem="", saved=saved == "time_zone")


def _settings_page(request: Request, staff: StaffContext, *, problem: str = "", zone_problem: str = "",
                   saved: bool = False, status: int = 200) -> Response:
    return render_page(request, "console/password.html", status=status, staff=staff, problem=problem,
                       zone_problem=zone_problem, saved=saved,
                       zones=[(name, name.replace("_", " ")) for name in time_zones()],
                       default_zone=getattr(request.app.state, "time_zone", "UTC"))


@router.post("/settings/time-zone", response_class=HTMLResponse)
def time_zone(request: Request, zone_name: str = Form("", alias="time_zone"),
              staff: StaffContext = Depends(signed_in_with_password)) -> Response:
    """Store the zone the console shows this member's times in (empty: the provider's default)."""
    runtime: Runtime = request.app.state.runtime
    zone_name = zone_name.strip()
    if zone_name and zone_name not in time_zones():
        return _settings_page(request, staff, zone_problem=f"time zone: {zone_name[:64]!r} is not a known IANA zone",
                              status=422)
    with transaction(runtime.engine) as conn:
        staff_store.update_staff(conn, staff.member.id, time_zone=zone_name or None)
    return RedirectResponse("/console/password?saved=time_zone", status_code=303)


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """The IANA zones a member may choose (region/city names, and UTC), sorted."""
    return ("UTC", *sorted(name for name in available_timezones() if "/" in name and not name.startswith("Etc/")))


@router.post("/password", response_class=HTMLResponse)
def password(request: Request, current_password: str = Form(""), new_password: str = Form(""),
             repeat: str = Form(""), staff: StaffContext = Depends(signed_in)) -> Response:
    """Store the staff member's own password: the current one is needed, and other sessions end."""
    runtime: Runtime = request.app.state.runtime
    problem = "repeat: the two passwords differ" if new_password != repeat else ""
    if not problem:
        try:
            staff_sign_in.change_password(runtime.engine, staff.member, current_password, new_password,
                                          keep_session=staff.session.token_hash, now=staff.now,
                                          limits=runtime.sign_in)
        except StaffError as exc:
            problem = str(exc)
    if problem:
        return _settings_page(request, staff, problem=problem, status=422)
    return RedirectResponse("/console/", status_code=303)


@router.get("/acknowledge", response_class=HTMLResponse)
def acknowledge_page(request: Request, staff: StaffContext = Depends(signed_in_with_password)) -> Response:
    """The policy in force, to read and acknowledge."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        notice = notice_in_force(conn, staff.now)
    return render_page(request, "console/acknowledge.html", staff=staff, notice=notice)


@router.post("/acknowledge")
def acknowledge(request: Request, staff: StaffContext = Depends(signed_in_with_password)) -> Response:
    """Record the acknowledgement of the version in force."""
    runtime: Runtime = request.app.state.runtime
    if staff.rules is not None:
        with transaction(runtime.engine) as conn:
            staff_service.acknowledge(conn, staff.member, staff.rules.version, staff.now)
    return RedirectResponse("/console/", status_code=303)


@router.post("/logout")
def logout(request: Request, staff: StaffContext = Depends(second_factor)) -> Response:
    """End the session."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        staff_store.delete_sessions(conn, hashed=staff.session.token_hash)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response
