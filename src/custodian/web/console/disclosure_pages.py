"""The privacy officer's totals of disclosures (issue 17 §3): per recipient and purpose per month over the last
twelve months, releases and accounts, as an inline SVG bar chart and the table that is its text alternative.
Officer only, checked on the route; the page shows counts, never an account."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from custodian.access.types import PRIVACY_OFFICER
from custodian.disclosures.accounting import find_recipient, monthly_totals
from custodian.disclosures.accounting_store import policy_documents, releases_in_last_months
from custodian.disclosures.totals_chart import month_label, totals_svg
from custodian.runtime import Runtime
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))
TABLE_ID = "disclosure-totals"


@router.get("/disclosures", response_class=HTMLResponse)
def disclosures(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """Disclosures per recipient and purpose per month: a chart and its table."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        totals = monthly_totals(releases_in_last_months(conn, staff.now), staff.now)
        documents = policy_documents(conn)
    rows = []
    for recipient, purpose, releases, accounts in totals.rows:
        found = find_recipient(documents, recipient)
        rows.append({"recipient": found.name if found else recipient, "purpose": purpose,
                     "releases": releases, "accounts": accounts})
    return render_page(request, "console/officer/disclosures.html", staff=staff, rows=rows,
                       months=[month_label(m) for m in totals.months], svg=totals_svg(totals, TABLE_ID),
                       table_id=TABLE_ID, accounts=totals.accounts_per_month(),
                       releases=totals.releases_per_month())
