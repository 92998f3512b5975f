"""The customer's settings: each number's 911 location (history kept), how long chat is kept (where the
policy lets the customer choose), the online password, and closing the account."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access.customer_mail import change_notice
from custodian.access.in_force import rules_in_force
from custodian.db.engine import transaction
from custodian.kernel.phone import national_format
from custodian.portal import authenticator, closing, service, settings
from custodian.portal.service import PortalError
from custodian.retention.service import InvalidInterval, policy_in_force, set_customer_interval
from custodian.runtime import Runtime
from custodian.web.portal.auth_pages import provider_name
from custodian.web.portal.guard import DEVICE_COOKIE, SESSION_COOKIE, Customer, require_customer
from custodian.web.portal.mailing import send
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal", tags=["Customer portal"])
signed_in = require_customer()
SAVED = {"totp": "Your authenticator app is in use: a new browser asks for its code.",
         "totp_removed": "Your authenticator app was removed: a new browser gets a code by e-mail.",
         "e911": "The 911 location was registered.", "chat": "How long chat is kept was saved.",
         "password": "Your online password was changed; other browsers were signed out."}


def _page(request: Request, customer: Customer, *, problem: str = "", saved: str = "", status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        policy = policy_in_force(conn, customer.now)
        rules = rules_in_force(conn, customer.now)
        lines = settings.lines_of(conn, runtime.keyring(), rules, customer.account_id, customer.now) if rules else []
        chat_minimum = settings.chat_minimum(conn, policy, customer.account_id)
        chat_hours = settings.chat_hours(conn, customer.account_id)
        pending = authenticator.pending_secret(conn, runtime.master_key, customer.online)
    options = [(str(line.assignment_id), national_format(line.number, customer.region)) for line in lines]
    return render_page(request, "portal/settings.html", status=status, customer=customer, current="settings",
                       lines=lines, line_options=options,
                       chat_minimum=chat_minimum, chat_hours=chat_hours, problem=problem,
                       totp_secret=pending,
                       totp_qr=authenticator.qr_of(pending, customer.account_ref) if pending else "",
                       saved=SAVED.get(saved, ""))


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, saved: str = "", customer: Customer = Depends(signed_in)) -> Response:
    """The settings of the customer's account."""
    return _page(request, customer, saved=saved)


@router.post("/settings/e911", response_class=HTMLResponse)
def e911(request: Request, line: int = Form(0), street: str = Form(""), city: str = Form(""), state: str = Form(""),
         postal_code: str = Form(""), country: str = Form("US"), customer: Customer = Depends(signed_in)) -> Response:
    """Register where one number's device is now."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            settings.register_location(conn, runtime.keyring(), customer.account_id, line,
                                       {"street": street, "city": city, "state": state, "postal_code": postal_code},
                                       country, customer.now)
    except PortalError as exc:
        return _page(request, customer, problem=str(exc), status=422)
    return RedirectResponse("/portal/settings?saved=e911", status_code=303)


@router.post("/settings/chat", response_class=HTMLResponse)
def chat(request: Request, hours: int = Form(0), customer: Customer = Depends(signed_in)) -> Response:
    """How long chat messages are kept, in hours (the retention engine deletes older ones)."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            set_customer_interval(conn, policy_in_force(conn, customer.now), account_id=customer.account_id,
                                  record_class="content.chat", hours=hours, actor="customer", now=customer.now)
    except InvalidInterval as exc:
        return _page(request, customer, problem=str(exc), status=422)
    return RedirectResponse("/portal/settings?saved=chat", status_code=303)


@router.post("/settings/password", response_class=HTMLResponse)
def password(request: Request, current_password: str = Form(""), new_password: str = Form(""),
             repeat: str = Form(""), customer: Customer = Depends(signed_in)) -> Response:
    """Change the online password: the current one is needed; other sessions and remembered browsers end; the
    customer is notified at the address of record (64.2010(f))."""
    runtime: Runtime = request.app.state.runtime
    now = customer.now
    online = service.check_password(runtime.engine, customer.account_ref, current_password, now, runtime.sign_in)
    problem = "current_password: that is not your current password" if online is None else (
        "repeat: the two passwords differ" if new_password != repeat else "")
    if not problem:
        with runtime.engine.connect() as conn:
            problem = service.password_refusal(conn, runtime.keyring(), customer.account_id, new_password) or ""
    if problem or online is None:
        return _page(request, customer, problem=problem, status=422)
    password_hash = service.hash_password(new_password)
    with transaction(runtime.engine) as conn:
        service.change_password(conn, online, password_hash, customer.session.token_hash, now)
        to = service.notice_to(conn, runtime.keyring(), customer.account_id, now)
    send(runtime, change_notice(provider_name(runtime, now), customer.account_ref, "online_account", to, now,
                                account_id=customer.account_id), now, kind="account_change")
    response = RedirectResponse("/portal/settings?saved=password", status_code=303)
    response.delete_cookie(DEVICE_COOKIE, path="/portal")
    return response


@router.post("/settings/totp", response_class=HTMLResponse)
def totp_start(request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """A new authenticator secret, shown with its QR code until the customer confirms it with a code."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            authenticator.start(conn, runtime.master_key, customer.online)
    except ValueError as exc:
        return _page(request, customer, problem=f"authenticator: {exc}", status=409)
    return RedirectResponse("/portal/settings#totp-heading", status_code=303)


@router.post("/settings/totp/confirm", response_class=HTMLResponse)
def totp_confirm(request: Request, code: str = Form(""), customer: Customer = Depends(signed_in)) -> Response:
    """Put the authenticator in use once it shows a right code."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        confirmed = authenticator.confirm(conn, runtime.master_key, customer.online, code, customer.now)
    if not confirmed:
        return _page(request, customer, problem="code: not the code your authenticator app shows now", status=422)
    return RedirectResponse("/portal/settings?saved=totp", status_code=303)


@router.post("/settings/totp/remove", response_class=HTMLResponse)
def totp_remove(request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """Stop using the authenticator app."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        authenticator.remove(conn, customer.online, customer.now)
    return RedirectResponse("/portal/settings?saved=totp_removed", status_code=303)


@router.get("/close", response_class=HTMLResponse)
def close_page(request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """What closing the account means, and the dates it would bring, before the customer confirms."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        dates = closing.closure_dates(policy_in_force(conn, customer.now), customer.now.date())
    return render_page(request, "portal/close.html", customer=customer, dates=dates, closed=False)


@router.post("/close", response_class=HTMLResponse)
def close(request: Request, confirm: str = Form(""), customer: Customer = Depends(signed_in)) -> Response:
    """Close the account: the closure date and the purge or de-identification date of the policy's closure rule."""
    runtime: Runtime = request.app.state.runtime
    if confirm != "yes":
        return RedirectResponse("/portal/close", status_code=303)
    try:
        with transaction(runtime.engine) as conn:
            dates = closing.close_account(conn, policy_in_force(conn, customer.now), customer.account_id,
                                          customer.online.id, customer.now)
    except PortalError as exc:
        return render_page(request, "portal/problem.html", status=409, message=str(exc))
    response = render_page(request, "portal/close.html", dates=dates, closed=True, account_ref=customer.account_ref)
    response.delete_cookie(SESSION_COOKIE, path="/portal")
    response.delete_cookie(DEVICE_COOKIE, path="/portal")
    return response
