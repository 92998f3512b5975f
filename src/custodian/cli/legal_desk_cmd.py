"""`custodian legal enter|show|queue|letter|resolve|callback|approve|reject|withdraw|produce|invoice|pay|
deliver|close|order-lifted`: the staff desk as commands (the console pages call the same service layer).

Customer notices queued by a command are sent after its transaction has committed (legal/notices.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from custodian.cli.context import failures, out, writing_runtime
from custodian.cli.legal_cmd import _read_model, app, policy_for
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import parse_instant
from custodian.legal import invoices, notices, production, service, store
from custodian.legal.delivery import deliver
from custodian.legal.documents import invoice_pdf, letter_pdf
from custodian.legal.fees import dollars
from custodian.legal.letters import letter_text
from custodian.legal.lifecycle import QueueEntry, queue_order
from custodian.legal.types import LegalRequest
from custodian.web.legal_documents import PAYMENT_NOTE, invoice_rows, render_invoice_html

ACTOR = typer.Option(..., "--actor", help="Who acts (recorded in the audit trail).")
POLICY = typer.Option(None, "--policy", help="Policy YAML (default: the version in force).")


def _emit(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, default=str) + "\n")


def _send_notices(request_id: int, actor: str, policy_file: Path | None = None) -> dict[str, int]:
    """Send the customer notices the committed change queued (a failed one is retried by the legal-notices job)."""
    rt = writing_runtime()
    try:
        policy = policy_for(policy_file)
    except ValueError:
        typer.echo("notices stay queued for `custodian jobs run legal-notices`: no policy is in force", err=True)
        return {}
    return notices.send_due(rt.engine, rt.keyring(), policy, rt.mailer, actor=actor, now=utcnow(),
                            request_id=request_id)


@app.command("enter")
def enter(file: Path = typer.Argument(..., help="Request document (JSON) received by mail or e-mail."),
          actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Enter a request received outside the portal; prints its tracking number, secret and problems."""
    document = _read_model(file, LegalRequest)
    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            done = service.submit(conn, rt.keyring(), policy, document, channel="staff", actor=actor, now=utcnow())
        sent = _send_notices(done.request_id, actor, policy_file)
    _emit({"id": done.request_id, "tracking_number": done.tracking_number, "secret": done.secret,
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
    _emit({"id": found.id, "tracking_number": found.tracking_number, "state": found.state, "kind": found.kind,
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


@app.command("letter")
def letter(request_id: int = typer.Argument(...), policy_file: Path | None = POLICY,
           pdf: Path | None = typer.Option(None, "--pdf", help="Also write the letter as PDF to this file.")) -> None:
    """Print the deficiency letter (dated today, addressed to the requester) listing what a request lacks."""
    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            found = service.letter_for(service.get(conn, rt.keyring(), request_id), policy, utcnow().date())
        if pdf is not None:
            pdf.write_bytes(letter_pdf(found))
    typer.echo(letter_text(found))


@app.command("resolve")
def resolve(request_id: int = typer.Argument(...), actor: str = ACTOR) -> None:
    """Resolve a request's targets to accounts and windows from the number history."""
    with failures():
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            service.scope(conn, rt.keyring(), request_id, actor=actor, now=utcnow())
            matches = store.matches_of(conn, request_id)
        _send_notices(request_id, actor)
    _emit({"matches": [{"account_id": m.account_id, "from": m.window.start, "to": m.window.end,
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
            _send_notices(request_id, actor)
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


@app.command("produce")
def produce(request_id: int = typer.Argument(...), out_file: Path = typer.Option(..., "--out"),
            custodian_name: str = typer.Option(..., "--custodian", help="The custodian of records signing."),
            actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Build the AES-256 production zip; the passphrase is printed once and never stored."""
    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            made = production.produce(conn, rt.keyring(), rt.blobs, policy, request_id,
                                      custodian_name=custodian_name, actor=actor, now=utcnow())
        out_file.write_bytes(made.package.data)
    _emit({"file": str(out_file), "accounts": list(made.accounts), "sha256": made.package.sha256,
           "passphrase": made.package.passphrase})


@app.command("invoice")
def invoice(request_id: int = typer.Argument(...), out_dir: Path = typer.Option(..., "--out"),
            paralegal_hours: float = 0, engineer_hours: float = 0, attorney_hours: float = 0,
            chat_engineer_hours: float = 0, pages: int = 0, notarized_documents: int = 0, signatures: int = 0,
            actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Issue the invoice from the fee schedule; writes invoice.html and invoice.pdf into --out."""
    work = {"paralegal_hours": paralegal_hours, "engineer_hours": engineer_hours, "attorney_hours": attorney_hours,
            "chat_engineer_hours": chat_engineer_hours, "pages": pages, "notarized_documents": notarized_documents,
            "signatures": signatures}
    with failures():
        policy, rt, now = policy_for(policy_file), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            issued = invoices.issue(conn, rt.keyring(), policy, request_id, work, actor=actor, now=now)
            tracking = service.get(conn, rt.keyring(), request_id).tracking_number
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "invoice.html").write_text(render_invoice_html(issued, policy, tracking), encoding="utf-8")
        (out_dir / "invoice.pdf").write_bytes(invoice_pdf(policy.document.provider.name, issued.number, tracking,
                                                          issued.issued_at, invoice_rows(issued, policy),
                                                          dollars(issued.total_cents), PAYMENT_NOTE))
    _emit({"number": issued.number, "total_cents": issued.total_cents, "dir": str(out_dir)})


@app.command("pay")
def pay(request_id: int = typer.Argument(...), amount_cents: int = typer.Option(..., "--amount-cents"),
        method: str = typer.Option(..., help="check, ach or wire"), reference: str = typer.Option(...),
        actor: str = ACTOR) -> None:
    """Record a payment against the request's invoice."""
    with failures(), transaction(writing_runtime().engine) as conn:
        paid = invoices.record_payment(conn, request_id, amount_cents, method=method, reference=reference,
                                       actor=actor, now=utcnow())
    _emit({"number": paid.number, "paid_cents": paid.paid_cents, "outstanding_cents": paid.outstanding_cents})


@app.command("deliver")
def deliver_cmd(request_id: int = typer.Argument(...), out_file: Path = typer.Option(..., "--out"),
                actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Release the production (a civil one refused while payment is outstanding); an emergency's customers are
    notified now."""
    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            deliver(conn, rt.keyring(), policy, request_id, actor=actor, now=utcnow())
            data = production.package_bytes(conn, rt.keyring(), rt.blobs, request_id)
        out_file.write_bytes(data)
        counts = _send_notices(request_id, actor, policy_file)
    _emit({"file": str(out_file), "notices": counts})


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
        counts = _send_notices(request_id, actor)
    _emit({"tracking_number": done.tracking_number, "lifted_on": lifted_on, "notices": counts})


@app.command("transparency")
def transparency(period: str = typer.Option(..., "--period", help="2026H1, 2026H2, 2026Q3 or 2026."),
                 output_format: str = typer.Option("json", "--format", help="json, csv or html."),
                 policy_file: Path | None = POLICY) -> None:
    """The transparency report of a period: counts by requester type, instrument and outcome."""
    from custodian.kernel.csv_text import write_csv
    from custodian.legal.desk_key import desk_cipher
    from custodian.legal.transparency import build_report, report_rows
    from custodian.web.legal_documents import render_transparency_html

    with failures():
        if output_format not in ("json", "csv", "html"):
            raise ValueError("--format: json, csv or html")
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            facts = store.transparency_facts(conn, desk_cipher(conn, rt.keyring()))
            refused = store.intake_rejection_days(conn)
        report = build_report(policy.document.provider.name, period, facts, refused,
                              policy.document.legal.national_security_band)
    if output_format == "json":
        _emit(report)
    elif output_format == "csv":
        write_csv(sys.stdout, ("section", "key", "value"), report_rows(report))
    else:
        sys.stdout.write(render_transparency_html(report))


@app.command("preserve")
def preserve(request_id: int = typer.Argument(...), actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Preserve a preservation request: a legal hold and an encrypted snapshot per matched account."""
    from custodian.legal import preservation

    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            done = preservation.preserve(conn, rt.keyring(), rt.blobs, policy, request_id, actor=actor,
                                         now=utcnow())
    _emit({"preserved": done})


@app.command("extend")
def extend(request_id: int = typer.Argument(...), actor: str = ACTOR, policy_file: Path | None = POLICY) -> None:
    """Extend a preservation once by the policy's renewal period."""
    from custodian.legal import preservation

    with failures():
        policy, rt = policy_for(policy_file), writing_runtime()
        with transaction(rt.engine) as conn:
            until = preservation.extend(conn, rt.keyring(), policy, request_id, actor=actor, now=utcnow())
    _emit({"until": until})


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
