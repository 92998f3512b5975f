"""`custodian legal letter|produce|invoice|pay|deliver|transparency`: what the desk sends out — letters,
the production package, invoices and payments, delivery, and the transparency report."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from custodian.cli.context import failures, writing_runtime
from custodian.cli.legal_shared import ACTOR, POLICY, emit, policy_for, send_notices
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import invoices, production, service, store
from custodian.legal.delivery import deliver
from custodian.legal.documents import invoice_pdf, letter_pdf
from custodian.legal.fees import dollars
from custodian.legal.letters import letter_text
from custodian.web.legal_documents import PAYMENT_NOTE, invoice_rows, render_invoice_html

app = typer.Typer()


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
    emit({"file": str(out_file), "accounts": list(made.accounts), "sha256": made.package.sha256,
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
    emit({"number": issued.number, "total_cents": issued.total_cents, "dir": str(out_dir)})


@app.command("pay")
def pay(request_id: int = typer.Argument(...), amount_cents: int = typer.Option(..., "--amount-cents"),
        method: str = typer.Option(..., help="check, ach or wire"), reference: str = typer.Option(...),
        actor: str = ACTOR) -> None:
    """Record a payment against the request's invoice."""
    with failures(), transaction(writing_runtime().engine) as conn:
        paid = invoices.record_payment(conn, request_id, amount_cents, method=method, reference=reference,
                                       actor=actor, now=utcnow())
    emit({"number": paid.number, "paid_cents": paid.paid_cents, "outstanding_cents": paid.outstanding_cents})


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
        counts = send_notices(request_id, actor, policy_file)
    emit({"file": str(out_file), "notices": counts})


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
        emit(report)
    elif output_format == "csv":
        write_csv(sys.stdout, ("section", "key", "value"), report_rows(report))
    else:
        sys.stdout.write(render_transparency_html(report))
