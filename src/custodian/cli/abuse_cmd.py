"""`custodian abuse`: the abuse desk (issue 17 §6) — scan usage against peers, the queue, contacts, number blocks,
deletions, reports to the fraud exchange and 10DLC campaign registration. Actions name an open abuse ticket."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from custodian.cli.context import actor, failures, writing_runtime
from custodian.cli.legal_shared import policy_for

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py
campaign = typer.Typer(no_args_is_help=True, help="10DLC SMS campaigns of business accounts.")
app.add_typer(campaign, name="campaign")
TICKET = typer.Option(..., "--ticket", help="The open abuse ticket the action is taken on.")
REASON = typer.Option(..., "--reason", help="Why, in the analyst's words (no content).")
JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("scan")
def scan(as_json: bool = JSON) -> None:
    """Compare every open account's calls, minutes and messages per day with its peers (same kind, same size band)
    and put those above the policy's threshold in the analyst's queue."""
    from custodian.abuse.desk import scan as run_scan
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        policy, rt, now = policy_for(None), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            result = run_scan(conn, policy, actor=actor(), now=now)
    if as_json:
        sys.stdout.write(json.dumps(result.as_json()) + "\n")
    else:
        typer.echo(f"{result.compared} accounts compared ({result.uncompared} in peer groups too small to compare); "
                   f"{result.opened} new in the queue, {result.refreshed} refreshed")


@app.command("queue")
def queue(as_json: bool = JSON) -> None:
    """The open cases: each account's figures per day against its peers' typical level. Never content."""
    from custodian.abuse.store import cases
    from custodian.cli.context import runtime
    from custodian.db.engine import transaction

    with failures(), transaction(runtime().engine) as conn:
        found = cases(conn)
    if as_json:
        sys.stdout.write(json.dumps([{"case": c.id, "account": c.account_ref, "peer_group": f"{c.peer_kind}, "
                                      f"{c.peer_band}", "peers": c.peers,
                                      "figures": [f.__dict__ for f in c.figures]} for c in found]) + "\n")
        return
    for c in found:
        above = ", ".join(f"{f.metric} {f.per_day:.1f}/day (typical {f.threshold:.1f})" for f in c.figures if f.above)
        typer.echo(f"#{c.id} {c.account_ref} [{c.peer_kind}, {c.peer_band}, {c.peers} peers]: {above}")


@app.command("contact")
def contact(ticket: int = TICKET, method: str = typer.Option(..., "--method", help="phone, email or letter."),
            outcome: str = typer.Option(..., "--outcome", help="reached, no_answer, message_left or sent.")) -> None:
    """Record a contact with the customer on the ticket (needed before any block or deletion)."""
    from custodian.abuse.desk import abuse_ticket, record_contact
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        policy, rt, now = policy_for(None), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            record_contact(conn, abuse_ticket(conn, policy, ticket, now), method=method, outcome=outcome,
                           actor=actor(), now=now)
    typer.echo(f"ticket {ticket}: contact recorded")


@app.command("block")
def block(ticket: int = TICKET, number: str = typer.Option(..., "--number", help="The account's number to block."),
          reason: str = REASON) -> None:
    """Block one of the account's numbers from sending."""
    from custodian.abuse.desk import abuse_ticket, block_number
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        policy, rt, now = policy_for(None), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            block_id = block_number(conn, rt.keyring(), abuse_ticket(conn, policy, ticket, now), number=number,
                                    reason=reason, actor=actor(), now=now)
    typer.echo(f"block {block_id}: the number is blocked from sending")


@app.command("unblock")
def unblock(ticket: int = TICKET, block_id: int = typer.Option(..., "--block", help="The block to lift."),
            reason: str = REASON) -> None:
    """Lift a number block, where the policy lets blocks be undone."""
    from custodian.abuse.desk import abuse_ticket, lift_block
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        policy, rt, now = policy_for(None), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            lift_block(conn, policy, abuse_ticket(conn, policy, ticket, now), block_id=block_id, reason=reason,
                       actor=actor(), now=now)
    typer.echo(f"block {block_id}: lifted")


@app.command("delete")
def delete(ticket: int = TICKET, record: str = typer.Option(..., "--record", help="The record key (hex)."),
           reason: str = REASON) -> None:
    """Delete a harmful stored communication of the ticket's account (final; a legal hold keeps it until it ends)."""
    from custodian.abuse.desk import abuse_ticket, delete_communication
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow
    from custodian.retention.customer_deletion import RecordNotFound

    with failures():
        policy, rt, now = policy_for(None), writing_runtime(), utcnow()
        try:
            key = bytes.fromhex(record)
            with transaction(rt.engine) as conn:
                done = delete_communication(conn, policy, abuse_ticket(conn, policy, ticket, now), record_key=key,
                                            reason=reason, actor=actor(), now=now)
        except RecordNotFound as error:
            raise ValueError(str(error)) from error
    typer.echo("deleted" if done.outcome == "deleted" else "kept under a legal hold: deleted when the hold ends")


@app.command("report")
def report(ticket: int = TICKET, classes: str = typer.Option("subscriber.basic", "--classes",
                                                             help="Record classes, comma-separated."),
           out: Path = typer.Option(..., "--out", help="The feed file to write.", dir_okay=False),
           fmt: str = typer.Option("csv", "--format", help="csv or jsonl.")) -> None:
    """Report the ticket's account to the fraud exchange, through the disclosure gate. Exit 1 when refused."""
    from custodian.abuse.outbound import Outbound, report_to_fraud_exchange
    from custodian.consent.service import load_snapshot
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow

    with failures():
        policy, rt, now = policy_for(None), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            snapshot = load_snapshot(conn, policy, now)
        wanted = tuple(part.strip() for part in classes.split(",") if part.strip())
        outcome = report_to_fraud_exchange(rt.engine, Outbound(rt.keyring(), policy, snapshot, out, fmt, rt.blobs),
                                           ticket_id=ticket, classes=wanted, actor=actor(), now=now)
    if outcome.refused is not None:
        typer.echo(f"refused: {outcome.refused}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{out}: reported to the fraud exchange, recorded in the disclosure ledger")


@campaign.command("register")
def register(account_ref: str = typer.Option(..., "--account", help="The business account's reference."),
             entity_type: str = typer.Option(..., "--entity-type", help="corporation, llc, partnership, "
                                             "sole_proprietor, nonprofit or government."),
             ein: str = typer.Option("", "--ein", help="The business's EIN (NN-NNNNNNN); required."),
             use_case: str = typer.Option(..., "--use-case", help="What the campaign sends."),
             numbers: str = typer.Option(..., "--numbers", help="Its numbers, comma-separated (at most 49)."),
             out: Path = typer.Option(..., "--out", help="The registration feed to write.", dir_okay=False)) -> None:
    """Register a 10DLC campaign: the EIN is required, sole proprietors without one are refused, at most 49
    numbers; the registration goes to the campaign registry through the disclosure gate."""
    from custodian.abuse.campaigns import CampaignAsk
    from custodian.abuse.outbound import Outbound, register_campaign
    from custodian.consent.service import load_snapshot
    from custodian.db.engine import transaction
    from custodian.disclosures.gate import account_ids_of
    from custodian.kernel.clock import utcnow

    with failures():
        policy, rt, now = policy_for(None), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            snapshot = load_snapshot(conn, policy, now)
            [account_id] = account_ids_of(conn, [account_ref])
        ask = CampaignAsk(entity_type, ein, use_case,
                          tuple(part.strip() for part in numbers.split(",") if part.strip()))
        campaign_id, _ = register_campaign(rt.engine, Outbound(rt.keyring(), policy, snapshot, out, "csv", rt.blobs),
                                           account_id=account_id, ask=ask, actor=actor(), now=now)
    typer.echo(f"campaign {campaign_id}: registered; {out} sent to the campaign registry through the gate")
