"""`custodian audit`: chain verification and the head for external anchoring."""

from __future__ import annotations

import json
import sys

import typer

from custodian.audit import store as audit
from custodian.audit.checkpoints import verify_whole_chain
from custodian.cli.context import actor, database, failures
from custodian.cli.terminal import console, out
from custodian.kernel.clock import utcnow

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


@app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
           record: bool = typer.Option(
               True, "--record/--no-record",
               help="Record the outcome in the chain (the chain page then checks only what follows)."),
           workers: int = typer.Option(0, "--workers", min=0, help="Processes to verify with (0: one per CPU)."),
           ) -> None:
    """Check every event's hash and link up to the head; exit 1 naming the first bad event."""
    with failures():
        engine = database()
        try:
            (seq, digest), broken = verify_whole_chain(engine, actor=actor(), now=utcnow(), workers=workers or None,
                                                       record=record)
        finally:
            engine.dispose()
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
