"""Suppression lists for the provider's marketing tools: `GET /api/v1/consent/suppression?purpose=P&channel=C`
(staff only: the privacy officer's console session or the API token, see api/auth.py), as CSV.

The CSV has one column, `contact`. What the list is travels in headers: `X-Custodian-List` (suppressed or
permitted), `X-Custodian-Choice` (the purpose's effective choice), `X-Custodian-Note` (for an opt-in purpose:
use the permission list instead, `permitted=true`). Each pull is audited.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from custodian.api.auth import require_staff_or_token
from custodian.api.errors import ApiError
from custodian.api.legal import policy_in_force
from custodian.consent.suppression import CHANNELS, csv_rows, pull
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime

router = APIRouter(prefix="/api/v1/consent", tags=["consent"])


@router.get("/suppression", response_class=StreamingResponse, summary="Suppression list for one purpose and channel",
            responses={200: {"content": {"text/csv": {}}, "description": "one `contact` per line"},
                       401: {"description": "No API token and no privacy officer's console session"},
                       403: {"description": "A signed-in staff member who is not the privacy officer"},
                       422: {"description": "purpose or channel missing or not valid; `error.fields` names it"}})
def suppression_list(request: Request, purpose: str = Query("", description="a purpose of the policy"),
                     channel: str = Query("", description="email, sms, phone or post"),
                     permitted: bool = Query(False, description="the complement: who MAY be contacted"),
                     caller: str = Depends(require_staff_or_token)) -> StreamingResponse:
    """The contact points that must not be contacted for `purpose` by `channel` (or, with `permitted=true`,
    those that may be)."""
    for name, value in (("purpose", purpose), ("channel", channel)):
        if not value:
            raise ApiError(422, "invalid_parameter", f"{name}: required", ((name, "required"),))
    if channel not in CHANNELS:
        raise ApiError(422, "invalid_parameter", f"channel: one of {', '.join(CHANNELS)}",
                       (("channel", f"one of {', '.join(CHANNELS)}"),))
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    try:
        with transaction(runtime.engine) as conn:
            found = pull(conn, runtime.keyring(), policy, purpose=purpose, channel=channel,
                         actor=caller if caller.startswith("staff:") else "api:token", now=utcnow(),
                         permitted=permitted)
    except ValueError as exc:
        field = str(exc).partition(":")[0]
        raise ApiError(422, "invalid_parameter", str(exc), ((field, str(exc)),)) from None
    header = found.header()
    headers = {"x-custodian-list": header["list"], "x-custodian-choice": header["choice"],
               "x-custodian-count": str(header["count"]),
               "content-disposition": f'attachment; filename="{header["list"]}-{purpose}-{channel}.csv"'}
    if found.note:
        headers["x-custodian-note"] = found.note
    return StreamingResponse(csv_rows(found), media_type="text/csv; charset=utf-8", headers=headers)
