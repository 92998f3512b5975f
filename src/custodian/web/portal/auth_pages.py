"""The portal's door: enrolment (account reference, e-mail of record, e-mailed code, own password),
sign-in (password, then an e-mailed code on a new device, remembered 30 days), sign-out.

Enrolment answers the same whether or not the account exists; attempts are throttled per client address
and per account reference before any password is checked (the console's token buckets)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access.customer_mail import change_notice
from custodian.access.in_force import rules_in_force
from custodian.api.client import client_address
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.portal import authenticator, codes, service, store
from custodian.portal.messages import code_mail
from custodian.portal.rules import DEVICE_REMEMBERED
from custodian.runtime import Runtime
from custodian.staff import throttle
from custodian.web.portal.guard import (
    DEVICE_COOKIE,
    FLOW_COOKIE,
    FORM_COOKIE,
    SESSION_COOKIE,
    Customer,
    check_public_form,
    form_token,
    require_customer,
    set_cookie,
)
from custodian.web.portal.mailing import send
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal", tags=["Customer portal"])
# Each enrolment mails a new code with 5 tries: 5 an hour per account keeps guessing a code to 25 tries an hour.
ENROLMENTS_PER_ACCOUNT = throttle.Rate(5, timedelta(hours=1))
half_signed_in = require_customer(stage="password")


def _public(request: Request, name: str, status: int = 200, **context: object) -> Response:
    """A page before sign-in, with its form token (cookie and field)."""
    token = form_token(request)
    response = render_page(request, name, status=status, csrf_token=token, **context)
    set_cookie(request, response, FORM_COOKIE, token)
    return response


def _admit(request: Request, scope: str, value: str | None, now: datetime,
           per_account: throttle.Rate | None = None) -> None:
    """Take a token per client address and, when `value` names an account, per account (429 when empty)."""
    runtime: Runtime = request.app.state.runtime
    rates = runtime.throttle
    buckets = [(f"{scope}.address", client_address(request), rates.sign_in_per_address)]
    if value is not None:
        buckets.append((f"{scope}.account", value.strip().upper(), per_account or rates.sign_in_per_username))
    throttle.admit(runtime.engine, runtime.bucket_secret(), buckets, actor="portal", action="portal.throttled",
                   now=now)


def provider_name(runtime: Runtime, now: datetime) -> str:
    """The provider named in the policy in force."""
    with runtime.engine.connect() as conn:
        rules = rules_in_force(conn, now)
    return rules.provider if rules else "Your provider"


@router.get("/", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    """Sign in, or create the online account."""
    return _public(request, "portal/sign_in.html", failed=False)


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_public_form)])
def sign_in(request: Request, account_ref: str = Form(""), password: str = Form("")) -> Response:
    """Check the password; a remembered browser is signed in, a new one is sent a code by e-mail."""
    runtime: Runtime = request.app.state.runtime
    now = utcnow()
    _admit(request, "portal_sign_in", account_ref, now)
    online = service.check_password(runtime.engine, account_ref, password, now, runtime.sign_in)
    if online is None:
        return _public(request, "portal/sign_in.html", status=401, failed=True)
    with transaction(runtime.engine) as conn:
        if store.device_known(conn, online.id, request.cookies.get(DEVICE_COOKIE, ""), now):
            token = service.signed_in(conn, online, "password on a remembered device", now)
            response = RedirectResponse("/portal/account", status_code=303)
            set_cookie(request, response, SESSION_COOKIE, token)
            return response
        token = store.insert_session(conn, online.id, "password", now)
        if online.totp_enrolled:  # the authenticator app's code, no mail
            response = RedirectResponse("/portal/verify", status_code=303)
            set_cookie(request, response, SESSION_COOKIE, token)
            return response
        issued = codes.issue(conn, codes.code_key(runtime.master_key), purpose="sign_in",
                             account_id=online.account_id, now=now)
        ref, email = service.contact_of(conn, runtime.keyring(), online.account_id)
    send(runtime, code_mail(provider_name(runtime, now), ref, email, "sign_in", issued.code,
                            account_id=online.account_id), now, kind="code")
    response = RedirectResponse("/portal/verify", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token)
    set_cookie(request, response, FLOW_COOKIE, issued.flow)
    return response


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request, customer: Customer = Depends(half_signed_in)) -> Response:
    """The second factor of a new browser: the e-mailed code, or the authenticator app's."""
    return render_page(request, "portal/verify.html", customer=customer, failed=False)


@router.post("/verify", response_class=HTMLResponse)
def verify(request: Request, code: str = Form(""), remember: str = Form(""),
           customer: Customer = Depends(half_signed_in)) -> Response:
    """Check the code; on success replace the half-way session with a full one (no fixation)."""
    runtime: Runtime = request.app.state.runtime
    now = utcnow()
    _admit(request, "portal_code", None, now)
    locked = customer.online.locked_until is not None and customer.online.locked_until > now
    with transaction(runtime.engine) as conn:
        if locked:
            right = False
        elif customer.online.totp_enrolled:
            right = authenticator.check(conn, runtime.master_key, customer.online, code, now)
        else:
            accepted = codes.check(conn, codes.code_key(runtime.master_key),
                                   flow=request.cookies.get(FLOW_COOKIE, ""), purpose="sign_in", code=code, now=now)
            right = accepted is not None and accepted.account_id == customer.account_id
        if not right:
            service.count_failure(conn, customer.online, "locked out" if locked else "wrong second-factor code", now,
                                  runtime.sign_in)
            token = device = ""
        else:
            store.delete_sessions(conn, hashed=customer.session.token_hash)
            token = service.signed_in(conn, customer.online, "password and " + (
                "authenticator code" if customer.online.totp_enrolled else "e-mailed code"), now)
            device = store.remember_device(conn, customer.online.id, now, DEVICE_REMEMBERED) if remember else ""
    if not token:
        return render_page(request, "portal/verify.html", status=401, customer=customer, failed=True)
    response = RedirectResponse("/portal/account", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token)
    response.delete_cookie(FLOW_COOKIE, path="/portal")
    if device:
        set_cookie(request, response, DEVICE_COOKIE, device, max_age=int(DEVICE_REMEMBERED.total_seconds()))
    return response


@router.get("/enrol", response_class=HTMLResponse)
def enrol_page(request: Request) -> Response:
    """Start the online account: account reference and e-mail of record."""
    return _public(request, "portal/enrol.html")


@router.post("/enrol", response_class=HTMLResponse, dependencies=[Depends(check_public_form)])
def enrol(request: Request, background: BackgroundTasks, account_ref: str = Form(""),
          email: str = Form("")) -> Response:
    """Mail a code to the e-mail of record when the two match an account without an online account; answer
    the same either way (a code no one can know stands in for the missing account), and as fast: the mail is
    sent after the answer."""
    runtime: Runtime = request.app.state.runtime
    now = utcnow()
    _admit(request, "portal_enrol", account_ref, now, ENROLMENTS_PER_ACCOUNT)
    with transaction(runtime.engine) as conn:
        account_id = service.enrolment_account(conn, runtime.keyring(), account_ref, email)
        issued = codes.issue(conn, codes.code_key(runtime.master_key), purpose="enrol", account_id=account_id,
                             now=now)
        ref = account_ref.strip()
    if account_id is not None:
        background.add_task(send, runtime, code_mail(provider_name(runtime, now), ref, email.strip().lower(),
                                                     "enrol", issued.code, account_id=account_id), now, kind="code")
    response = RedirectResponse("/portal/enrol/code", status_code=303)
    set_cookie(request, response, FLOW_COOKIE, issued.flow)
    return response


@router.get("/enrol/code", response_class=HTMLResponse)
def enrol_code_page(request: Request) -> Response:
    """The code and the customer's own password."""
    return _public(request, "portal/enrol_code.html", problem="")


@router.post("/enrol/code", response_class=HTMLResponse, dependencies=[Depends(check_public_form)])
def enrol_code(request: Request, code: str = Form(""), password: str = Form(""), repeat: str = Form("")) -> Response:
    """Create the online account when the code is right and the password follows the rules; notify the
    customer at the address of record (47 CFR 64.2010(f)) and sign them in on this browser."""
    runtime: Runtime = request.app.state.runtime
    now, key, flow = utcnow(), codes.code_key(runtime.master_key), request.cookies.get(FLOW_COOKIE, "")
    _admit(request, "portal_code", None, now)
    problem = ""
    with transaction(runtime.engine) as conn:  # commits the counted try whatever the outcome
        accepted = codes.check(conn, key, flow=flow, purpose="enrol", code=code, now=now, consume=False)
        if accepted is None:
            problem = "code: wrong, used or expired; after 5 tries or 10 minutes, start again"
        elif password != repeat:
            problem = "repeat: the two passwords differ"
        else:
            problem = service.password_refusal(conn, runtime.keyring(), accepted.account_id, password) or ""
    if problem or accepted is None:
        return _public(request, "portal/enrol_code.html", status=422, problem=problem)
    password_hash = service.hash_password(password)  # outside any transaction
    with transaction(runtime.engine) as conn:
        if not codes.use(conn, accepted, now):
            return _public(request, "portal/enrol_code.html", status=422, problem="code: already used")
        online_id = service.enrol(conn, accepted.account_id, password_hash, now)
        online = store.online_of(conn, online_id=online_id)
        assert online is not None
        token = service.signed_in(conn, online, "enrolled with an e-mailed code", now)
        device = store.remember_device(conn, online_id, now, DEVICE_REMEMBERED)
        ref = store.account_ref(conn, accepted.account_id)
        to = service.notice_to(conn, runtime.keyring(), accepted.account_id, now)
    send(runtime, change_notice(provider_name(runtime, now), ref, "online_account", to, now,
                                account_id=accepted.account_id), now, kind="account_change")
    response = RedirectResponse("/portal/account", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, token)
    set_cookie(request, response, DEVICE_COOKIE, device, max_age=int(DEVICE_REMEMBERED.total_seconds()))
    response.delete_cookie(FLOW_COOKIE, path="/portal")
    return response


@router.post("/logout")
def logout(request: Request, customer: Customer = Depends(half_signed_in)) -> Response:
    """End the session."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        store.delete_sessions(conn, hashed=customer.session.token_hash)
    response = RedirectResponse("/portal/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/portal")
    return response
