"""`custodian dsr export`: the customer's own copy of their data as a ZIP (issue 15 §4)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from custodian.cli.context import actor, failures, writing_runtime
from custodian.cli.legal_shared import policy_for

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


@app.callback()
def group() -> None:
    """Data-subject requests (a group even with one command, so `dsr export` keeps its name)."""


@app.command("export")
def export(
    account_ref: str = typer.Option(..., "--account", help="The account reference."),
    out: Path = typer.Option(..., "--out", help="The ZIP file to write.", dir_okay=False),
    policy_file: Path | None = typer.Option(None, "--policy", help="Use this policy file, not the one in force."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows per record class, files and size as JSON."),
) -> None:
    """Write one account's export ZIP: a CSV and a JSON per record class the customer may see, their content
    files, a README and a manifest of checksums. Recorded in the audit trail as a self-access."""
    from custodian.cli.progress import PhaseProgress
    from custodian.cli.terminal import console
    from custodian.db.engine import transaction
    from custodian.dsr.export.service import account_id_of, export_account
    from custodian.kernel.clock import utcnow

    with failures():
        policy = policy_for(policy_file)
        rt = writing_runtime()
        with transaction(rt.engine) as conn, PhaseProgress(console, transient=True) as progress:
            summary = export_account(conn, rt.keyring(), rt.blobs, policy.document, account_id_of(conn, account_ref),
                                     out, actor=actor(), now=utcnow(), progress=progress)
        if as_json:
            sys.stdout.write(json.dumps(summary.as_json()) + "\n")
            return
        rows = sum(summary.files.values())
        typer.echo(f"{out}: {rows:,} records in {len(summary.files)} record classes, "
                   f"{summary.content_files:,} content files, {summary.bytes:,} bytes")
