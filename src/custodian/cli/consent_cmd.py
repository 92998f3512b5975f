"""`custodian consent`: check, record, history, receipt, notify-cpni, approve-campaign (issue 16 §1-§2)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from custodian.cli.context import actor, database, failures, runtime, settings, writing_runtime
from custodian.cli.lazy import LazyGroup
from custodian.cli.terminal import out
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import parse_instant

app = typer.Typer(no_args_is_help=True,  # its help line is in cli/main.py
                  cls=LazyGroup.extended_by("custodian.cli.consent_suppression_cmd:app"))

# The service's field names, as the flags that set them.
FLAGS = {"purpose": "--purpose", "choice": "--choice", "channel": "--channel", "medium": "--medium",
         "valid_until": "--until", "made_at": "--at", "name": "--name", "supervisor": "--supervisor"}


def _flagged(exc: ValueError) -> ValueError:
    field, _, reason = str(exc).partition(": ")
    return ValueError(f"{FLAGS[field]}: {reason}") if field in FLAGS else exc


def _instant(text: str, flag: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError as exc:
        raise ValueError(f"{flag}: {exc}") from None


def _account(conn: Any, ref: str) -> int:
    from custodian.records.store import account_id_by_ref

    found = account_id_by_ref(conn, ref)
    if found is None:
        raise ValueError(f"--account: no account {ref!r}")
    return found


@app.command("check")
def check(
    account_ref: str = typer.Option(..., "--account", help="The account reference."),
    purpose: str = typer.Option(..., "--purpose", help="The policy purpose."),
    at: str = typer.Option("", "--at", help="When (ISO 8601; default now)."),
    medium: str = typer.Option("any", "--medium", help="Contact channel: any, email, sms, phone or post."),
    as_json: bool = typer.Option(False, "--json", help='Print {"allowed": bool, "basis": "..."}.'),
) -> None:
    """May the purpose use the account's data now (or at --at), and on what basis."""
    from custodian.consent import allowed, service
    from custodian.consent.types import MEDIA
    from custodian.retention.service import policy_in_force

    with failures():
        when = _instant(at, "--at") if at else utcnow()
        if medium not in MEDIA:
            raise ValueError(f"--medium: {medium!r} is not one of {', '.join(MEDIA)}")
        with database().connect() as conn:
            account_id = _account(conn, account_ref)
            policy = policy_in_force(conn, when)
            if purpose not in policy.document.purposes:
                raise ValueError(f"--purpose: the policy has no purpose {purpose!r}")
            snapshot = service.load_snapshot(conn, policy, when, account_id=account_id)
        decision = allowed(snapshot, account_id, purpose, when, medium)
        if as_json:
            sys.stdout.write(json.dumps({"allowed": decision.allowed, "basis": decision.basis}) + "\n")
        else:
            sys.stdout.write(f"{'allowed' if decision.allowed else 'not allowed'}: {decision.basis}\n")


@app.command("record")
def record(
    account_ref: str = typer.Option(..., "--account", help="The account reference."),
    purpose: str = typer.Option(..., "--purpose", help="The policy purpose."),
    choice: str = typer.Option(..., "--choice", help="granted, denied or withdrawn."),
    channel: str = typer.Option(..., "--channel", help="How it was collected, e.g. representative, written_form."),
    medium: str = typer.Option("any", "--medium", help="Contact channel covered: any, email, sms, phone, post."),
    at: str = typer.Option("", "--at", help="When the customer chose (ISO 8601; default now)."),
    until: str = typer.Option("", "--until", help="One-time oral approval: when the call ends (ISO 8601)."),
    ticket: int | None = typer.Option(None, "--ticket", help="The ticket it was recorded on."),
) -> None:
    """Record a customer's choice in the consent ledger; print its receipt id."""
    from custodian.consent import service
    from custodian.db.engine import transaction
    from custodian.retention.service import policy_in_force

    with failures():
        now = utcnow()
        made_at = _instant(at, "--at") if at else now
        valid_until = _instant(until, "--until") if until else None
        with transaction(writing_runtime().engine) as conn:
            account_id = _account(conn, account_ref)
            policy = policy_in_force(conn, now)
            try:
                entry = service.record(conn, policy, account_id=account_id, purpose=purpose, choice=choice,
                                       channel=channel, medium=medium, made_at=made_at, actor=actor(),
                                       ticket_id=ticket, valid_until=valid_until, now=now)
            except ValueError as exc:
                raise _flagged(exc) from None
        sys.stdout.write(f"{entry.receipt_id}\n")


@app.command("history")
def history(
    account_ref: str = typer.Option(..., "--account", help="The account reference."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Every choice recorded for the account, newest first."""
    from custodian.consent import service

    with failures():
        with database().connect() as conn:
            entries = service.history(conn, _account(conn, account_ref))
        rows = [{"receipt_id": e.receipt_id, "purpose": e.purpose, "medium": e.medium, "choice": e.choice,
                 "channel": e.channel, "made_at": e.made_at.isoformat(),
                 "valid_until": e.valid_until.isoformat() if e.valid_until else None, "recorded_by": e.recorded_by}
                for e in entries]
        if as_json:
            sys.stdout.write(json.dumps(rows) + "\n")
            return
        table = Table("made", "purpose", "medium", "choice", "channel", "recorded by", "receipt")
        for row in rows:
            table.add_row(str(row["made_at"]), str(row["purpose"]), str(row["medium"]), str(row["choice"]),
                          str(row["channel"]), str(row["recorded_by"]), str(row["receipt_id"]))
        out.print(table)


@app.command("receipt")
def receipt(receipt_id: str = typer.Option(..., "--id", help="The receipt id.")) -> None:
    """Print the Kantara Consent Receipt 1.1 JSON of one recorded choice."""
    from custodian.consent import service

    with failures():
        with database().connect() as conn:
            entry = service.entry_by_receipt(conn, receipt_id)
            if entry is None:
                raise ValueError(f"--id: no consent receipt {receipt_id!r}")
            try:
                body = service.receipt_json(conn, entry, settings().public_base_url)
            except ValueError as exc:
                raise ValueError(f"--id: {exc}") from exc
        sys.stdout.write(json.dumps(body, indent=2) + "\n")


@app.command("notify-cpni")
def notify_cpni(
    letters: Path | None = typer.Option(None, "--letters", help="Write postal letters here (default: <data>/letters)."),
) -> None:
    """Send the CPNI opt-out notices due (e-mail, or a postal letter with no e-mail of record)."""
    from custodian.consent.cpni import notify

    with failures():
        rt = writing_runtime()
        counts = notify(rt.engine, rt.keyring(), rt.mailer, letters_dir=letters or settings().data_dir / "letters",
                        public_base_url=settings().public_base_url, actor=actor(), now=utcnow())
        sys.stdout.write(f"{counts['email']} notices e-mailed, {counts['post']} letters written, "
                         f"{counts['not_sent']} not sent\n")


@app.command("approve-campaign")
def approve_campaign(
    name: str = typer.Option(..., "--name", help="The campaign's name."),
    purpose: str = typer.Option(..., "--purpose", help="The policy purpose it uses CPNI for."),
    supervisor: str = typer.Option(..., "--supervisor", help="The approving supervisor's staff username."),
    description: str = typer.Option(..., "--description", help="What the campaign does."),
) -> None:
    """Record a supervisor's approval of an outbound marketing campaign that uses CPNI (47 CFR 64.2009(d))."""
    from custodian.consent import cpni, service
    from custodian.db.engine import transaction
    from custodian.retention.service import policy_in_force

    with failures():
        now = utcnow()
        with transaction(runtime().engine) as conn:
            rules = service.purpose_rules(conn, policy_in_force(conn, now), now)
            try:
                campaign = cpni.approve_campaign(conn, rules, name=name, purpose=purpose, description=description,
                                                 supervisor=supervisor, actor=actor(), now=now)
            except ValueError as exc:
                raise _flagged(exc) from None
        sys.stdout.write(f"{campaign}\n")
