"""The customer correcting their details: name, postal address, contact phone, and the e-mail of record (a
code goes to the new address; the notice to the old one, never showing the new one, 47 CFR 64.2010(f))."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access import self_access
from custodian.access.customer_mail import change_notice
from custodian.access.in_force import rules_in_force
from custodian.db.engine import transaction
from custodian.dsr.portal_corrections import CorrectionRefused, needs_evidence, queue_correction
from custodian.policy import store as policy_store
from custodian.policy.document_requests import EvidencedChange
from custodian.portal import codes, corrections
from custodian.portal.display import shown_fields
from custodian.portal.messages import code_mail
from custodian.portal.service import PortalError
from custodian.runtime import Runtime
from custodian.web.portal.auth_pages import provider_name
from custodian.web.portal.guard import FLOW_COOKIE, Customer, require_customer, set_cookie
from custodian.web.portal.mailing import send
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal/details", tags=["Customer portal"])
signed_in = require_customer()
SAVED = {"name": "Your name was corrected.", "phone": "Your contact phone was corrected.",
         "address": "Your postal address was corrected; we sent a notice to your e-mail address of record.",
         "email": "Your e-mail address of record was changed; we sent a notice to the address you had before.",
         **{f"{change}-review": f"Your new {label} awaits review: our staff will check the evidence and may ask you "
                                f"for a document. Until then we keep the {label} we have."
            for change, label in (("name", "name"), ("address", "postal address"), ("phone", "contact phone"))}}


def _page(request: Request, customer: Customer, *, problem: str = "", saved: str = "", status: int = 200,
          email_sent: bool = False) -> Response:
    runtime: Runtime = request.app.state.runtime
    fields: dict[str, str] = {}
    with transaction(runtime.engine) as conn:
        rules = rules_in_force(conn, customer.now)
        if rules is not None:
            section = self_access.read_own(conn, runtime.keyring(), rules, customer.account_id,
                                           ("subscriber.basic",), customer.now).sections.get("subscriber.basic")
            fields = dict(shown_fields(section.fields, customer.region)) if section else {}
    return render_page(request, "portal/details.html", status=status, customer=customer, current="details",
                       fields=fields, problem=problem, saved=SAVED.get(saved, ""), email_sent=email_sent)


@router.get("", response_class=HTMLResponse)
def details_page(request: Request, saved: str = "", customer: Customer = Depends(signed_in)) -> Response:
    """The customer's details, each with its correction form."""
    return _page(request, customer, saved=saved)


@router.post("/name", response_class=HTMLResponse)
def name(request: Request, first_name: str = Form(""), last_name: str = Form(""),
         customer: Customer = Depends(signed_in)) -> Response:
    """Correct the account holder's name (or, where the policy asks for evidence, ask staff to)."""
    review = _review(request, customer, "name", f"{first_name} {last_name}")
    if review is not None:
        return review
    return _apply(request, customer, "name",
                  lambda conn, keyring: corrections.correct_name(conn, keyring, customer.account_id, first_name,
                                                                 last_name, customer.now))


@router.post("/phone", response_class=HTMLResponse)
def phone(request: Request, contact_phone: str = Form(""), customer: Customer = Depends(signed_in)) -> Response:
    """Correct the contact phone (or, where the policy asks for evidence, ask staff to)."""
    review = _review(request, customer, "phone", contact_phone)
    if review is not None:
        return review
    return _apply(request, customer, "phone",
                  lambda conn, keyring: corrections.correct_phone(conn, keyring, customer.account_id, contact_phone,
                                                                  customer.now))


@router.post("/address", response_class=HTMLResponse)
def address(request: Request, street: str = Form(""), city: str = Form(""), state: str = Form(""),
            postal_code: str = Form(""), country: str = Form("US"),
            customer: Customer = Depends(signed_in)) -> Response:
    """Correct the postal address (the address of record: the customer is notified, 64.2010(f)); or, where the
    policy asks for evidence, ask staff to."""
    review = _review(request, customer, "address", ", ".join(p for p in (street, city, state, postal_code,
                                                                         country) if p.strip()))
    if review is not None:
        return review
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            to = corrections.correct_address(conn, runtime.keyring(), customer.account_id,
                                             street=street, city=city, state=state, postal_code=postal_code,
                                             country=country, now=customer.now)
    except PortalError as exc:
        return _page(request, customer, problem=str(exc), status=422)
    send(runtime, change_notice(provider_name(runtime, customer.now), customer.account_ref, "address_of_record", to,
                                customer.now, account_id=customer.account_id), customer.now, kind="account_change")
    return RedirectResponse("/portal/details?saved=address", status_code=303)


def _review(request: Request, customer: Customer, change: EvidencedChange, value: str) -> Response | None:
    """A correction the policy holds for evidence: queued for staff with the new value sealed, nothing applied;
    None when the policy lets the customer make it at once."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            version = policy_store.in_force(conn, customer.now)
            if version is None or not needs_evidence(version.compiled(), change):
                return None
            queue_correction(conn, runtime.keyring(), version.compiled(), customer.account_id, change, value,
                             customer.now)
    except CorrectionRefused as exc:
        return _page(request, customer, problem=str(exc), status=422)
    return RedirectResponse(f"/portal/details?saved={change}-review", status_code=303)


def _apply(request: Request, customer: Customer, saved: str, change: Callable[..., None]) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            change(conn, runtime.keyring())
    except PortalError as exc:
        return _page(request, customer, problem=str(exc), status=422)
    return RedirectResponse(f"/portal/details?saved={saved}", status_code=303)


@router.post("/email", response_class=HTMLResponse)
def email(request: Request, new_email: str = Form(""), customer: Customer = Depends(signed_in)) -> Response:
    """Send a code to the new address; it becomes the e-mail of record when the code comes back."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            issued, address = corrections.ask_new_email(conn, runtime.keyring(), codes.code_key(runtime.master_key),
                                                        customer.account_id, new_email, customer.now)
    except PortalError as exc:
        return _page(request, customer, problem=str(exc), status=422)
    send(runtime, code_mail(provider_name(runtime, customer.now), customer.account_ref, address, "new_email",
                            issued.code, account_id=customer.account_id), customer.now, kind="code")
    response = _page(request, customer, email_sent=True)
    set_cookie(request, response, FLOW_COOKIE, issued.flow)
    return response


@router.post("/email/confirm", response_class=HTMLResponse)
def confirm_email(request: Request, code: str = Form(""), customer: Customer = Depends(signed_in)) -> Response:
    """Check the code sent to the new address; change the e-mail of record and notify the old one."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:  # commits the counted try whatever the outcome
        to = corrections.confirm_new_email(conn, runtime.keyring(), codes.code_key(runtime.master_key),
                                           customer.account_id, request.cookies.get(FLOW_COOKIE, ""), code,
                                           customer.now)
    if to is None:
        return _page(request, customer, status=422, email_sent=True,
                     problem="code: wrong, used or expired; after 5 tries or 10 minutes, ask for a new code")
    send(runtime, change_notice(provider_name(runtime, customer.now), customer.account_ref, "address_of_record", to,
                                customer.now, account_id=customer.account_id), customer.now, kind="account_change")
    response = RedirectResponse("/portal/details?saved=email", status_code=303)
    response.delete_cookie(FLOW_COOKIE, path="/portal")
    return response
