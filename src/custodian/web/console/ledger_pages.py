"""The privacy officer's promise ledger: every promise of the policy in force, its grade and what keeps it
(docs/policy.md "The ledger"). The policy file is the source; nothing here is personal data."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from custodian.access.types import PRIVACY_OFFICER
from custodian.policy import store as policy_store
from custodian.policy.ledger import LABELS, STATUSES, summarise
from custodian.runtime import Runtime
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.listing import ListQuery, list_page
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))


@router.get("/ledger", response_class=HTMLResponse)
def ledger(request: Request, grade: str = "", staff: StaffContext = Depends(officer_only)) -> Response:
    """The ledger of the policy in force, optionally only the promises of one grade."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, staff.now)
    if version is None:
        return render_page(request, "console/officer/ledger.html", staff=staff, version=None, grade="",
                           grades=STATUSES, labels=LABELS)
    document = version.compiled().document
    chosen = grade if grade in STATUSES else ""
    shown = [promise for promise in document.promises if not chosen or promise.status == chosen]
    sorts = {"promise": lambda p: p.id, "grade": lambda p: STATUSES.index(p.status)}
    query = ListQuery.from_params(request.query_params, sorts)
    listing = list_page(shown, query, keys=sorts, text=lambda p: f"{p.id} {p.quote}",
                        keep=(("grade", chosen),) if chosen else (), path="/console/officer/ledger")
    return render_page(request, "console/officer/ledger.html", staff=staff, version=version, grade=chosen,
                       grades=STATUSES, labels=LABELS, summary=summarise(document), promises=listing,
                       grade_options=[(status, LABELS[status].capitalize()) for status in STATUSES],
                       seed=document.seed_document)
