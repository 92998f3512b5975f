"""`custodian audit`: chain verification and the head for external anchoring."""

from __future__ import annotations

import json
import sys

import typer

from custodian.audit import store as audit
from custodian.cli.context import console, database, failures, out

app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)


@app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json", help="Print a JSON result.")) -> None:
    """Check every event's hash and link; exit 1 naming the first bad event."""
    with failures():
        with database().connect() as conn:
            broken = audit.verify(conn)
            seq, digest = audit.head(conn)
        if as_json:
            out.print_json(json.dumps({"intact": broken is None, "head": {"seq": seq, "hash": digest},
                                       "first_bad": None if broken is None else
                                       {"seq": broken.seq, "problem": broken.problem}}))
        elif broken is None:
            out.print(f"audit chain intact: {seq} events, head {digest}")
        else:
            console.print(f"[red]audit chain broken at event {broken.seq}:[/red] {broken.problem}")
        if broken is not None:
            sys.exit(1)


@app.command("head")
def head(as_json: bool = typer.Option(False, "--json", help="Print a JSON result.")) -> None:
    """Print the chain head (sequence number and hash) to anchor it outside Custodian."""
    with failures():
        with database().connect() as conn:
            seq, digest = audit.head(conn)
        if as_json:
            out.print_json(json.dumps({"seq": seq, "hash": digest}))
        else:
            out.print(f"{seq} {digest}")
