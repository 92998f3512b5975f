"""`custodian legal enter|show|queue|resolve|callback|approve|review|reject|withdraw|close|order-lifted|
preserve|extend|link`: a request's life at the staff desk (the console pages call the same service layer).

Customer notices queued by a command are sent after its transaction has committed (legal/notices.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from custodian.cli.context import failures, writing_runtime
from custodian.cli.legal_shared import ACTOR, POLICY, emit, policy_for, read_model, send_notices
from custodian.cli.terminal import out
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import parse_instant
from custodian.legal import invoices, service, store, submission
from custodian.legal.lifecycle import QueueEntry, queue_order
from custodian.legal.types import LegalRequest

app = typer.Typer()


@app.command("enter")
def enter(file: Path = typer.Argument(..., help="Request document (JSON) received by mail or e-mail."),
          actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Enter a request received outside the portal; prints its tracking number, secret and problems."""
    document = read_model(file, LegalRequest)
    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            done = submission.submit(conn, rt.keyring(), policy, document, channel="staff", actor=actor, now=utcnow())
        sent = send_notices(done.request_id, actor, policy_file)
    emit({"id": done.request_id, "tracking_number": done.tracking_number, "secret": done.secret,
           "state": done.state, "problems": [p.__dict__ for p in done.problems],
           "warnings": [w.__dict__ for w in done.warnings], "notices": sent})


@app.command("show")
def show(request_id: int = typer.Argument(...), policy_file: Path | None = POLICY) -> None:
    """A request's state, dates, approvals, matched accounts, warnings and the desk's answer (JSON)."""
    with failures():
        rt, policy = writing_runtime(), policy_for(policy_file)
        with transaction(rt.engine) as conn:
            found = service.get(conn, rt.keyring(), request_id)
            approved = store.approved_classes(conn, request_id)
            matches = store.matches_of(conn, request_id)
            invoice = invoices.invoice_of(conn, request_id)
        notes = service.review_notes(found.document, policy)
    emit({"id": found.id, "tracking_number": found.tracking_number, "state": found.state, "kind": found.kind,
           "requester_type": found.requester_type, "instrument": found.instrument_type,
           "received_on": found.received_on, "due_on": found.due_on, "inquiry_on": found.inquiry_on,
           "problems": [p.__dict__ for p in found.problems], "warnings": [w.__dict__ for w in notes.warnings],
           "answer": notes.answer, "actual_cost": list(notes.actual_cost_items), "approved_classes": approved,
           "accounts": [{"account_id": m.account_id, "from": m.window.start, "to": m.window.end,
                         "target": "account" if m.line is None else "line"} for m in matches],
           "invoice": None if invoice is None else {"number": invoice.number, "total_cents": invoice.total_cents,
                                                     "paid_cents": invoice.paid_cents}})


@app.command("queue")
def queue() -> None:
    """Open requests in working order: emergencies, law enforcement, expedited, then order received."""
    with failures(), transaction(writing_runtime().engine) as conn:
        rows = {row.id: row for row in store.open_requests(conn)}
    ordered = queue_order(QueueEntry(r.id, r.requester_type, r.kind, r.expedite, r.received_at) for r in rows.values())
    for entry in ordered:
        row = rows[entry.request_id]
        out.print(f"{row.id}\t{row.tracking_number}\t{row.state}\t{row.requester_type}\t{row.kind}\t"
                  f"due {row.due_on.isoformat()}", highlight=False)


@app.command("resolve")
def resolve(request_id: int = typer.Argument(...), actor: str = ACTOR) -> None:
    """Resolve a request's targets to accounts and windows from the number history."""
    with failures():
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            service.scope(conn, rt.keyring(), request_id, actor=actor, now=utcnow())
            matches = store.matches_of(conn, request_id)
        send_notices(request_id, actor)
    emit({"matches": [{"account_id": m.account_id, "from": m.window.start, "to": m.window.end,
                        "target": "account" if m.line is None else "line"} for m in matches]})


@app.command("callback")
def callback(request_id: int = typer.Argument(...), who: str = typer.Option(..., help="Who answered."),
             number: str = typer.Option(..., help="The agency's published number called."),
             at: str = typer.Option("", help="When (ISO 8601; default now)."),
             failed: bool = typer.Option(False, "--failed", help="The call did not verify the request."),
             actor: str = ACTOR) -> None:
    """Record the emergency call-back to the agency (required before any emergency disclosure)."""
    with failures():
        rt, now = writing_runtime(), utcnow()
        called = parse_instant(at) if at else now
        with transaction(rt.engine) as conn:
            service.record_callback(conn, rt.keyring(), request_id, who=who, number=number, called_at=called,
                                    passed=not failed, actor=actor, now=now)
    out.print(f"call-back recorded for request {request_id}")


@app.command("approve")
def approve(request_id: int = typer.Argument(...),
            classes: list[str] = typer.Option(..., "--class", help="A record class to approve (repeat)."),
            rationale: str = typer.Option(..., help="Why these classes are approved."),
            actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Approve record classes; refused for a class the request's instrument does not reach."""
    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            done = service.approve(conn, rt.keyring(), policy, request_id, classes, rationale=rationale,
                                   actor=actor, now=utcnow())
    out.print(f"{done.tracking_number}: approved {', '.join(classes)}", highlight=False)


def _move(request_id: int, target: str, reason: str, actor: str) -> None:
    with failures():
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            done = service.transition(conn, request_id, rt.keyring(), target, actor=actor, reason=reason,
                                      now=utcnow())
        if target == "in_review":
            send_notices(request_id, actor)
    out.print(f"{done.tracking_number}: {done.state}", highlight=False)


@app.command("review")
def review(request_id: int = typer.Argument(...), reason: str = typer.Option(...), actor: str = ACTOR) -> None:
    """Take a request needing information into review anyway (the reason is recorded)."""
    _move(request_id, "in_review", reason, actor)


@app.command("reject")
def reject(request_id: int = typer.Argument(...), reason: str = typer.Option(...), actor: str = ACTOR) -> None:
    """Reject a request (objection, improper service, overbreadth...)."""
    _move(request_id, "rejected", reason, actor)


@app.command("withdraw")
def withdraw(request_id: int = typer.Argument(...), reason: str = typer.Option("withdrawn by the requester"),
             actor: str = ACTOR) -> None:
    """Record that the requester withdrew the request."""
    _move(request_id, "withdrawn", reason, actor)


@app.command("close")
def close(request_id: int = typer.Argument(...), actor: str = ACTOR) -> None:
    """Close a delivered request."""
    _move(request_id, "closed", "request closed", actor)


@app.command("order-lifted")
def order_lifted(request_id: int = typer.Argument(...),
                 on: str = typer.Option(..., "--on", help="The day the order was lifted or overturned (YYYY-MM-DD)."),
                 actor: str = ACTOR) -> None:
    """Record that the request's nondisclosure order was lifted or overturned; its withheld notices are sent."""
    from datetime import date

    with failures():
        lifted_on = date.fromisoformat(on)
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            done = service.record_order_lifted(conn, rt.keyring(), request_id, lifted_on, actor=actor, now=utcnow())
        counts = send_notices(request_id, actor)
    emit({"tracking_number": done.tracking_number, "lifted_on": lifted_on, "notices": counts})


@app.command("preserve")
def preserve(request_id: int = typer.Argument(...), actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Preserve a preservation request: a legal hold and an encrypted snapshot per matched account."""
    from custodian.legal import preservation

    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            done = preservation.preserve(conn, rt.keyring(), rt.blobs, policy, request_id, actor=actor,
                                         now=utcnow())
    emit({"preserved": done})


@app.command("extend")
def extend(request_id: int = typer.Argument(...), actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Extend a preservation once by the policy's renewal period."""
    from custodian.legal import preservation

    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            until = preservation.extend(conn, rt.keyring(), policy, request_id, actor=actor, now=utcnow())
    emit({"until": until})


@app.command("link")
def link(preservation_id: int = typer.Argument(...), data_request_id: int = typer.Argument(...),
         actor: str = ACTOR) -> None:
    """Link a preservation to the formal data request that followed it."""
    from custodian.legal import preservation

    with failures():
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            preservation.link(conn, rt.keyring(), preservation_id, data_request_id, actor=actor, now=utcnow())
    out.print(f"preservation {preservation_id} linked to request {data_request_id}")
