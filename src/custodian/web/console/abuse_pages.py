"""The abuse analyst's console (issue 17 §6): the queue of accounts above their peers (figures, never content), a
case's figures with the analyst's abuse tickets on the account, and the actions on a ticket — record a contact,
block or unblock a number, delete a harmful communication, close the case. Only roles whose policy topics include
the desk's topic; each action on the member's own open abuse ticket of the case's account; CSRF on every form."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from custodian.abuse import store
from custodian.abuse.desk import (
    CONTACT_METHODS,
    CONTACT_OUTCOMES,
    DeskRefused,
    abuse_ticket,
    block_number,
    communications,
    delete_communication,
    lift_block,
    record_contact,
)
from custodian.access import store as access_store
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.policy import store as policy_store
from custodian.policy.compiled import CompiledPolicy
from custodian.retention.customer_deletion import RecordNotFound
from custodian.runtime import Runtime
from custodian.web.console.guard import ConsoleForbidden, StaffContext, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/abuse", include_in_schema=False)
staff_only = require_staff()
METRIC_LABELS = {"calls": "Calls a day", "minutes": "Minutes a day", "messages": "Messages a day"}


def _desk(request: Request, staff: StaffContext) -> CompiledPolicy:
    """The policy in force, if the member's role works on its abuse topic; 403 otherwise."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, staff.now)
    if version is None or staff.rules is None:
        raise ConsoleForbidden("no policy is in force")
    policy = version.compiled()
    if policy.document.abuse.topic not in staff.rules.topics_of_role.get(staff.member.role, ()):
        raise ConsoleForbidden("the abuse desk is for roles that work on abuse tickets")
    return policy


@router.get("", response_class=HTMLResponse)
def queue(request: Request, staff: StaffContext = Depends(staff_only)) -> Response:
    """Open cases: the account, its peer group and the figures above their typical level."""
    policy = _desk(request, staff)
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        cases = store.cases(conn)
    return render_page(request, "console/abuse/queue.html", staff=staff, cases=cases, labels=METRIC_LABELS,
                       settings=policy.document.abuse)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, staff: StaffContext = Depends(staff_only)) -> Response:
    """One case: its figures against the peer group, the member's abuse tickets on the account, the actions."""
    return _case_page(request, staff, case_id, problem="", done="", status=200)


def _case_page(request: Request, staff: StaffContext, case_id: int, *, problem: str, done: str,
               status: int) -> Response:
    policy = _desk(request, staff)
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:  # listing the communications is an audited read
        case = _case(conn, case_id)
        tickets = [t for t in access_store.tickets_of(conn, staff.member.id, limit=2000)
                   if t.grant.account_id == case.account_id and t.grant.topic == policy.document.abuse.topic
                   and t.grant.closed_at is None and t.grant.expires_at > staff.now]
        contacts = {t.grant.ticket_id: store.contacts_on(conn, t.grant.ticket_id) for t in tickets}
        blocks = store.blocks_of(conn, case.account_id)
        stored = (communications(conn, policy, tickets[0], actor=f"staff:{staff.member.username}", now=staff.now)
                  if tickets else [])
    return render_page(request, "console/abuse/case.html", status=status, staff=staff, case=case, labels=METRIC_LABELS,
                       tickets=tickets, contacts=contacts, blocks=blocks, topic=policy.document.abuse.topic,
                       methods=CONTACT_METHODS, outcomes=CONTACT_OUTCOMES, problem=problem, done=done,
                       reversible=policy.document.abuse.blocks_reversible,
                       stored=[(item.key, f"{item.label}, {'received' if item.direction == 'in' else 'sent'} "
                                          f"{item.occurred_at:%Y-%m-%d %H:%M} UTC") for item in stored])


def _case(conn: Connection, case_id: int) -> store.Case:
    found = store.cases(conn, case_id=case_id)
    if not found:
        raise ConsoleForbidden("no such case")
    return found[0]


def _act(request: Request, staff: StaffContext, case_id: int, ticket_id: int, action: str, **fields: str) -> Response:
    policy = _desk(request, staff)
    runtime: Runtime = request.app.state.runtime
    actor = f"staff:{staff.member.username}"
    try:
        with transaction(runtime.engine) as conn:
            case = _case(conn, case_id)
            ticket = abuse_ticket(conn, policy, ticket_id, staff.now, staff.member.id)
            if ticket.grant.account_id != case.account_id:
                raise DeskRefused(f"ticket {ticket_id}: about another account")
            done = _do(conn, runtime, policy, ticket, action, actor, staff, fields)
    except (DeskRefused, ValueError, RecordNotFound) as error:
        return _case_page(request, staff, case_id, problem=str(error), done="", status=422)
    return _case_page(request, staff, case_id, problem="", done=done, status=200)


def _do(conn: Connection, runtime: Runtime, policy: CompiledPolicy, ticket: access_store.Ticket, action: str,
        actor: str, staff: StaffContext, fields: dict[str, str]) -> str:
    if action == "contact":
        record_contact(conn, ticket, method=fields["method"], outcome=fields["outcome"],
                       actor=actor, now=staff.now)
        return "Contact recorded on the ticket."
    if action == "block":
        block_id = block_number(conn, runtime.keyring(), ticket, number=fields["number"],
                                reason=fields["reason"], actor=actor, now=staff.now)
        return f"Block {block_id}: the number is blocked from sending."
    if action == "unblock":
        lift_block(conn, policy, ticket, block_id=int(fields["block"]), reason=fields["reason"],
                   actor=actor, now=staff.now)
        return f"Block {fields['block']} lifted."
    outcome = delete_communication(conn, policy, ticket, record_key=bytes.fromhex(fields["record"]),
                                   reason=fields["reason"], actor=actor, now=staff.now)
    return ("The communication is deleted." if outcome.outcome == "deleted"
            else "The communication is under a legal hold: it will be deleted when the hold ends.")


@router.post("/cases/{case_id}/contact", response_class=HTMLResponse)
def contact(request: Request, case_id: int, ticket: int = Form(0), method: str = Form(""), outcome: str = Form(""),
            staff: StaffContext = Depends(staff_only)) -> Response:
    """Record a contact with the customer on the ticket."""
    return _act(request, staff, case_id, ticket, "contact", method=method, outcome=outcome)


@router.post("/cases/{case_id}/block", response_class=HTMLResponse)
def block(request: Request, case_id: int, ticket: int = Form(0), number: str = Form(""), reason: str = Form(""),
          staff: StaffContext = Depends(staff_only)) -> Response:
    """Block one of the account's numbers from sending."""
    return _act(request, staff, case_id, ticket, "block", number=number, reason=reason)


@router.post("/cases/{case_id}/unblock", response_class=HTMLResponse)
def unblock(request: Request, case_id: int, ticket: int = Form(0), block: str = Form("0"), reason: str = Form(""),
            staff: StaffContext = Depends(staff_only)) -> Response:
    """Lift a block, where the policy allows it."""
    return _act(request, staff, case_id, ticket, "unblock", block=block, reason=reason)


@router.post("/cases/{case_id}/delete", response_class=HTMLResponse)
def delete(request: Request, case_id: int, ticket: int = Form(0), record: str = Form(""), reason: str = Form(""),
           staff: StaffContext = Depends(staff_only)) -> Response:
    """Delete a harmful stored communication of the account."""
    return _act(request, staff, case_id, ticket, "delete", record=record, reason=reason)


@router.post("/cases/{case_id}/close")
def close(request: Request, case_id: int, staff: StaffContext = Depends(staff_only)) -> Response:
    """Close the case (the usage was explained or dealt with); the next scan reopens it if it is still above."""
    _desk(request, staff)
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        case = _case(conn, case_id)
        if store.close_case(conn, case_id, by=f"staff:{staff.member.username}", now=staff.now):
            audit.append(conn, actor=f"staff:{staff.member.username}", action="abuse.case_closed",
                         account_id=case.account_id, now=staff.now, detail={"case": case_id})
    return RedirectResponse("/console/abuse", status_code=303)
