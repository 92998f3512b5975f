"""`custodian consent suppression`: the suppression list of one purpose and channel for a marketing tool, as CSV
(issue 16 §3), with the opt-outs no list has carried within the policy's limit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from custodian.cli.context import actor, failures, writing_runtime

app = typer.Typer(no_args_is_help=True)  # joined to `custodian consent` (cli/consent_cmd.py)

CHANNEL_FLAGS = {"purpose": "--purpose", "channel": "--channel"}


@app.callback()
def group() -> None:
    """Suppression lists (a group even with one command, so `consent suppression` keeps its name)."""


@app.command("suppression")
def suppression(
    purpose: str = typer.Option(..., "--purpose", help="The policy purpose the marketing tool works for."),
    channel: str = typer.Option(..., "--channel", help="email, sms, phone or post."),
    out: Path = typer.Option(..., "--out", help="The CSV file to write (one `contact` column).", dir_okay=False),
    permitted: bool = typer.Option(False, "--permitted", help="Write who MAY be contacted instead (the complement)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written and the overdue opt-outs as JSON."),
) -> None:
    """Write the contact points that must not be contacted for PURPOSE by CHANNEL. Every opt-out is in the list
    from the moment it is recorded; `overdue_opt_outs` lists those no list has carried within the policy's limit
    (`consent.opt_out_business_days`, default 10 business days). For an opt-in purpose, prefer --permitted."""
    from custodian.consent.suppression import csv_rows, overdue, pull
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow
    from custodian.retention.service import policy_in_force

    with failures():
        rt = writing_runtime()
        now = utcnow()
        try:
            with transaction(rt.engine) as conn:
                policy = policy_in_force(conn, now)
                found = pull(conn, rt.keyring(), policy, purpose=purpose, channel=channel, actor=actor(), now=now,
                             permitted=permitted)
                late = overdue(conn, policy, now)
        except ValueError as exc:
            field, _, reason = str(exc).partition(": ")
            raise ValueError(f"{CHANNEL_FLAGS[field]}: {reason}" if field in CHANNEL_FLAGS else str(exc)) from None
        with out.open("w", encoding="utf-8", newline="") as written:
            for chunk in csv_rows(found):
                written.write(chunk)
        out.chmod(0o600)  # personal data: readable by its owner only
        summary = {**found.header(), "out": str(out), "overdue_opt_outs": [o.as_json() for o in late]}
        if as_json:
            sys.stdout.write(json.dumps(summary, indent=2) + "\n")
            return
        kind = "may be contacted" if permitted else "must not be contacted"
        typer.echo(f"{found.header()['count']} contact points that {kind} for {purpose} by {channel}: {out}")
        if found.note:
            typer.echo(f"note: {found.note}")
        if late:
            typer.echo(f"{len(late)} opt-outs past the policy's limit with no list pulled since (see --json)")
