"""`custodian db`: schema migrations and partition upkeep."""

from __future__ import annotations

import json
import sys

import typer

from custodian.cli.context import database, failures, runtime
from custodian.cli.progress import PhaseProgress
from custodian.cli.terminal import console, out
from custodian.db import schema
from custodian.db.engine import transaction
from custodian.db.partitions import ensure_ahead
from custodian.kernel.clock import utcnow
from custodian.records import own_lines
from custodian.runtime import Runtime

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    with failures():
        rt = runtime()
        before = schema.current_revision(rt.engine)
        schema.upgrade(rt.engine, revision)
        with transaction(rt.engine) as conn:
            ensure_ahead(conn, utcnow())
        out.print(f"schema: {before or 'empty'} -> {schema.current_revision(rt.engine)}")
        report_lines(fill_lines(rt))


def fill_lines(rt: Runtime) -> own_lines.BackfillReport:
    """Fill the line of records stored before it existed, with progress per account."""
    with PhaseProgress(console, transient=True) as progress:
        return own_lines.backfill(rt.engine, rt.keyring(), progress)


def report_lines(report: own_lines.BackfillReport) -> None:
    """Print what the line backfill did (only when it had rows to look at)."""
    filled, unknown = sum(report.filled.values()), sum(report.unknown.values())
    if filled or unknown:
        out.print(f"record lines: {filled} filled, {unknown} unknown (withheld from number-targeted productions)")


@app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Print a JSON result.")) -> None:
    """Show the schema revision the database is at and the newest one known."""
    with failures():
        engine = database()
        current, newest = schema.current_revision(engine), schema.head_revision(engine)
        if as_json:
            sys.stdout.write(json.dumps({"current": current, "newest": newest, "up_to_date": current == newest}) + "\n")
        else:
            out.print(f"database: {current or 'empty'}; newest: {newest}")
