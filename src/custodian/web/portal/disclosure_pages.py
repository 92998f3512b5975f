""""Who received my data" (issue 17 §3): the signed-in customer's accounting of disclosures, newest first, 25 to a
page; each read an audited self-access. A production a nondisclosure order still covers is not there at all."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from custodian.db.engine import transaction
from custodian.disclosures.accounting import page_of
from custodian.disclosures.accounting_store import read_own
from custodian.runtime import Runtime
from custodian.web.portal.guard import Customer, require_customer
from custodian.web.rendering import render_page

router = APIRouter(prefix="/portal", tags=["Customer portal"])
signed_in = require_customer()
PER_PAGE = 25


@router.get("/disclosures", response_class=HTMLResponse)
def disclosures_page(request: Request, page: int = 1, customer: Customer = Depends(signed_in)) -> Response:
    """Every disclosure of the customer's data to someone outside the provider, newest first."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        shown = read_own(conn, customer.account_id, customer.now)
    items, page, pages = page_of(shown, page, PER_PAGE)
    return render_page(request, "portal/disclosures.html", customer=customer, current="disclosures", items=items,
                       page=page, pages=pages)
