"""The customer's preference centre (issue 16 §3): the choices the policy offers, per contact medium, recorded
in the consent ledger (channel `portal`); the history of choices with a Kantara receipt for each. A browser
sending Global Privacy Control opts the account out of sale and sharing (CPRA, Cal. Civ. Code 1798.135(b)(1))."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from custodian.audit import store as audit
from custodian.consent import service
from custodian.consent.preferences import MEDIUM_LABELS, changes_from, preference_view
from custodian.consent.web_choices import record_customer_gpc
from custodian.db.engine import transaction
from custodian.retention.service import policy_in_force
from custodian.runtime import Runtime
from custodian.web.portal.guard import CSRF_FIELD, Customer, require_customer
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal", tags=["Customer portal"])
signed_in = require_customer()
ACTOR = "customer"
CHANNEL_WORDS = {"portal": "In the portal", "representative": "With our representative", "phone_ivr": "By phone menu",
                 "sms_keyword": "By text message keyword", "web_banner": "On our website",
                 "gpc": "Global Privacy Control signal", "written_form": "On a written form",
                 "oral_call": "On a call", "privacy_request": "By a privacy request"}
CHOICE_WORDS = {"granted": "Yes", "denied": "No", "withdrawn": "Withdrawn"}


def _page(request: Request, customer: Customer, *, saved: str = "", problem: str = "", status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        policy = policy_in_force(conn, customer.now)
        if request.headers.get("sec-gpc", "").strip() == "1":
            saved = saved or ("Your browser's Global Privacy Control signal was honoured: we do not sell or share "
                              "your information." if record_customer_gpc(conn, policy, customer.account_id,
                                                                          now=customer.now) else "")
        snapshot = service.load_snapshot(conn, policy, customer.now, account_id=customer.account_id)
        view = preference_view(snapshot, policy, customer.account_id, customer.now)
        history = service.history(conn, customer.account_id)
        audit.append(conn, actor="customer:portal", action="consent.viewed", account_id=customer.account_id,
                     reason="the customer read their choices", detail={"channel": "portal"}, now=customer.now)
    descriptions = {name: p.description.rstrip(".") for name, p in policy.document.purposes.items()}
    return render_page(request, "portal/preferences.html", status=status, customer=customer, current="preferences",
                       view=view, history=history, descriptions=descriptions, channel_words=CHANNEL_WORDS,
                       choice_words=CHOICE_WORDS, medium_words=MEDIUM_LABELS, saved=saved, problem=problem)


@router.get("/preferences", response_class=HTMLResponse)
def preferences(request: Request, saved: str = "", customer: Customer = Depends(signed_in)) -> Response:
    """Each choice the policy offers and where it stands now; the history of choices."""
    return _page(request, customer, saved="Your choices were saved." if saved else "")


@router.post("/preferences", response_class=HTMLResponse)
async def save_preferences(request: Request, customer: Customer = Depends(signed_in)) -> Response:
    """Record the choices that differ from what the ledger decides now (nothing else)."""
    form = await request.form()
    answers = {key: str(value) for key, value in form.items() if key != CSRF_FIELD}
    return await run_in_threadpool(_save, request, customer, answers)  # the database work blocks: off the loop


def _save(request: Request, customer: Customer, answers: dict[str, str]) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            policy = policy_in_force(conn, customer.now)
            snapshot = service.load_snapshot(conn, policy, customer.now, account_id=customer.account_id)
            view = preference_view(snapshot, policy, customer.account_id, customer.now)
            for change in changes_from(view, answers):
                service.record(conn, policy, account_id=customer.account_id, purpose=change.purpose,
                               choice=change.choice, channel="portal", medium=change.medium, made_at=customer.now,
                               actor=ACTOR, now=customer.now)
    except ValueError as exc:
        return _page(request, customer, problem=f"We could not save your choices: {exc}", status=422)
    return RedirectResponse("/portal/preferences?saved=1", status_code=303)


@router.get("/preferences/receipts/{receipt_id}")
def receipt(request: Request, receipt_id: str, customer: Customer = Depends(signed_in)) -> Response:
    """The Kantara Consent Receipt of one of the customer's own choices, as a JSON download."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        entry = service.entry_by_receipt(conn, receipt_id)
        if entry is None or entry.account_id != customer.account_id:
            return Response(status_code=404)
        body = service.receipt_json(conn, entry, str(request.base_url))
    return Response(json.dumps(body, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="consent-receipt-{receipt_id}.json"'})

