"""Files of one legal request in the console: the signed legal process as received (viewed in the browser or
downloaded, each time audited) and the deficiency letter as PDF or text.

The legal desk and the privacy officer, who oversees the desk's disclosures, may open them (the guard checks
the role server-side); every other role is refused. Neither is cached by the browser."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from custodian.api.legal import policy_in_force
from custodian.db.engine import transaction
from custodian.legal import service
from custodian.legal.documents import letter_pdf
from custodian.legal.letters import Letter, letter_text
from custodian.runtime import Runtime
from custodian.web.console.guard import ConsoleForbidden, StaffContext
from custodian.web.console.legal_pages import NO_STORE, actor_of, desk_viewers

router = APIRouter(prefix="/console/legal/requests", include_in_schema=False)


@router.get("/{request_id}/instrument.pdf")
def instrument(request: Request, request_id: int, download: str = "",
               staff: StaffContext = Depends(desk_viewers)) -> Response:
    """The signed legal process PDF, shown inline (or as an attachment with ?download=1); audited."""
    runtime: Runtime = request.app.state.runtime
    downloaded = download == "1"
    try:
        with transaction(runtime.engine) as conn:
            found, data = service.read_instrument(conn, runtime.keyring(), runtime.blobs, request_id,
                                                  actor=actor_of(staff), downloaded=downloaded, now=staff.now)
    except service.RequestNotFound as exc:
        raise ConsoleForbidden(str(exc)) from exc
    disposition = "attachment" if downloaded else "inline"
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'{disposition}; filename="{found.tracking_number}-legal-process.pdf"',
        "X-Content-Type-Options": "nosniff", **NO_STORE})


@router.get("/{request_id}/letter.pdf")
def letter_as_pdf(request: Request, request_id: int, staff: StaffContext = Depends(desk_viewers)) -> Response:
    """The deficiency letter as PDF, dated today."""
    found, letter = _letter(request, staff, request_id)
    return Response(letter_pdf(letter), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{found.tracking_number}-deficiency-letter.pdf"', **NO_STORE})


@router.get("/{request_id}/letter.txt")
def letter_as_text(request: Request, request_id: int, staff: StaffContext = Depends(desk_viewers)) -> Response:
    """The deficiency letter as plain text (to paste into an e-mail)."""
    found, letter = _letter(request, staff, request_id)
    return Response(letter_text(letter), media_type="text/plain; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{found.tracking_number}-deficiency-letter.txt"', **NO_STORE})


def _letter(request: Request, staff: StaffContext, request_id: int) -> tuple[service.StoredRequest, Letter]:
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    with runtime.engine.connect() as conn:
        try:
            found = service.get(conn, runtime.keyring(), request_id)
        except service.RequestNotFound as exc:
            raise ConsoleForbidden("no such legal request") from exc
    if not found.problems:
        raise ConsoleForbidden("this request lacks nothing: there is no deficiency letter")
    return found, service.letter_for(found, policy, staff.now.date())
