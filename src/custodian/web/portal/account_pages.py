"""What a signed-in customer sees of their own account: every class the policy lets them see, labelled as
the notice labels it, each read an audited self-access (access.self_access); lists 25 a page with a date
filter; voice messages, faxes and recordings to download; single messages and faxes to delete."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from custodian.access import self_access
from custodian.access.in_force import rules_in_force
from custodian.access.rules import AccessRules
from custodian.access.sections import Section
from custodian.db.engine import transaction
from custodian.policy.vocabulary import CLASS_LABELS
from custodian.portal.display import shown_fields, shown_rows
from custodian.retention.customer_deletion import CUSTOMER_DELETABLE, RecordNotFound, delete_for_customer
from custodian.retention.executor import flush_blobs
from custodian.runtime import Runtime
from custodian.web.console.record_window import window_form
from custodian.web.pages import is_mounted
from custodian.web.portal.guard import Customer, require_customer
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal", tags=["Customer portal"])
signed_in = require_customer()
EXPORT_PATH = "/portal/export"
# Types served as they are; anything else (an imported text/html, say) downloads as bytes, never rendered here.
SAFE_MEDIA = ("audio/", "image/", "video/", "application/pdf")


def _rules(runtime: Runtime, customer: Customer) -> AccessRules | None:
    with runtime.engine.connect() as conn:
        return rules_in_force(conn, customer.now)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, done: str = "", customer: Customer = Depends(signed_in)) -> Response:
    """The customer's details and the list of their records, by the notice's labels."""
    runtime: Runtime = request.app.state.runtime
    rules = _rules(runtime, customer)
    classes = self_access.own_classes(rules) if rules else ()
    details = None
    if rules is not None and "subscriber.basic" in classes:
        with transaction(runtime.engine) as conn:
            details = self_access.read_own(conn, runtime.keyring(), rules, customer.account_id,
                                           ("subscriber.basic",), customer.now).sections.get("subscriber.basic")
    details = _shown(details, customer)
    mounted = is_mounted(request.app.routes, EXPORT_PATH)
    return render_page(request, "portal/account.html", customer=customer, details=details,
                       classes=[(name, CLASS_LABELS[name]) for name in classes if name != "subscriber.basic"],
                       withheld=[(CLASS_LABELS.get(n, n), why) for n, why in
                                 (self_access.withheld(rules) if rules else {}).items()],
                       elsewhere=[CLASS_LABELS.get(n, n) for n in (self_access.elsewhere(rules) if rules else ())],
                       export=mounted, done=done)


@router.get("/records/{record_class}", response_class=HTMLResponse)
def records_page(request: Request, record_class: str, customer: Customer = Depends(signed_in)) -> Response:
    """One class of the customer's records: a page of 25 inside the dates asked for, newest first."""
    runtime: Runtime = request.app.state.runtime
    rules = _rules(runtime, customer)
    if rules is None or record_class not in self_access.own_classes(rules):
        return render_page(request, "portal/problem.html", status=404, message="There is no such list of records.")
    form = window_form(request.query_params, "UTC")
    section = content = None
    total = 0
    with transaction(runtime.engine) as conn:
        if record_class in self_access.CONTENT_CLASSES:
            found = self_access.own_content(conn, runtime.keyring(), rules, customer.account_id, record_class,
                                            customer.now, form.window)
            content, total = found if found else ([], 0)
        else:
            section = self_access.read_own(conn, runtime.keyring(), rules, customer.account_id, (record_class,),
                                           customer.now, form.window).sections.get(record_class)
            section = _shown(section, customer)
    page = form.window.page(record_class)
    pages = max(1, -(-total // form.window.per_page)) if content is not None else (section.pages if section else 1)
    return render_page(request, "portal/records.html", customer=customer, record_class=record_class,
                       label=CLASS_LABELS[record_class], form=form, section=section, content=content, total=total,
                       page=min(page, pages), pages=pages, deletable=record_class in CUSTOMER_DELETABLE)


@router.get("/records/{record_class}/{key}")
def download(request: Request, record_class: str, key: str, customer: Customer = Depends(signed_in)) -> Response:
    """One voice message, fax or recording of the customer's own, in its original format."""
    runtime: Runtime = request.app.state.runtime
    rules = _rules(runtime, customer)
    record_key = _key(key)
    found = None
    if rules is not None and record_key is not None:
        with transaction(runtime.engine) as conn:
            found = self_access.own_file(conn, runtime.keyring(), runtime.blobs, rules, customer.account_id,
                                         record_key, customer.now)
    if found is None or found[0] != record_class:
        return render_page(request, "portal/problem.html", status=404, message="There is no such file.")
    _class, media_type, chunks = found
    safe = media_type if media_type.startswith(SAFE_MEDIA) else "application/octet-stream"
    return StreamingResponse(chunks, media_type=safe, headers={
        "cache-control": "no-store",  # personal content: no shared or browser cache keeps it
        "content-disposition": f'attachment; filename="{record_class.split(".")[-1]}-{key[:8]}"'})


@router.post("/records/{record_class}/{key}/delete", response_class=HTMLResponse)
def delete(request: Request, record_class: str, key: str, confirm: str = Form(""),
           customer: Customer = Depends(signed_in)) -> Response:
    """Delete one voice message, fax or SMS: immediate and final (a record the law requires us to keep is
    deleted when it no longer has to be kept)."""
    runtime: Runtime = request.app.state.runtime
    record_key = _key(key)
    if record_class not in CUSTOMER_DELETABLE or record_key is None or confirm != "yes":
        return render_page(request, "portal/problem.html", status=404, message="There is no such record to delete.")
    try:
        with transaction(runtime.engine) as conn:
            delete_for_customer(conn, account_id=customer.account_id, record_key=record_key, actor="customer",
                                now=customer.now)
    except RecordNotFound:
        return render_page(request, "portal/problem.html", status=404, message="There is no such record to delete.")
    flush_blobs(runtime.engine, runtime.blobs)
    return RedirectResponse(f"/portal/records/{record_class}?deleted=1", status_code=303)


def _shown(section: Section | None, customer: Customer) -> Section | None:
    """The section as the customer reads it: labels for stored words, numbers as written in their country."""
    if section is None:
        return None
    return replace(section, fields=shown_fields(section.fields, customer.region),
                   rows=shown_rows(section.rows, customer.region))


def _key(text: str) -> bytes | None:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) == 16 else None
