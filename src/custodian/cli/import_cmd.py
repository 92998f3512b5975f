"""`custodian import KIND FILE`: stream a provider export into the record store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from custodian.cli.context import actor, database, failures, runtime
from custodian.cli.progress import track
from custodian.cli.terminal import console, out
from custodian.ingest import ledger
from custodian.ingest.parse import ParseOptions
from custodian.ingest.registry import kinds, lookup
from custodian.ingest.run_status import INTERRUPTED
from custodian.ingest.runner import ImportSummary, run_import
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import zone


def import_file(
    kind: str = typer.Argument(..., help="What the file holds: " + ", ".join(kinds()) + "; or `status`: the runs."),
    file: Path | None = typer.Argument(None, exists=True, dir_okay=False, readable=True, help="The CSV file."),
    fmt: str = typer.Option("", "--format", help="Source format for calls: asterisk, freeswitch, custodian."),
    timezone: str = typer.Option("UTC", help="Zone of the switch's naive timestamps (IANA name)."),
    region: str = typer.Option("US", help="Default region for numbers written without a country code."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Import FILE; bad rows are reported by line and the good rows still imported. `import status` lists
    the newest runs; a run whose process died is shown as interrupted (run the same import again to resume)."""
    if kind == "status":
        _status(as_json)
        return
    with failures():
        if file is None:
            raise ValueError(f"missing FILE: custodian import {kind} FILE")
        chosen = lookup(kind, fmt)
        options = ParseOptions(zone=zone(timezone), region=region.upper(), base_dir=file.parent.resolve())
        rt = runtime()
        with track(console, f"importing {kind}", file.stat().st_size, quiet=as_json) as advance:
            summary = run_import(rt.engine, rt.keyring(), rt.blobs, chosen, file, actor=actor(),
                                 options=options, on_progress=advance)
        _report(summary, as_json)


def _status(as_json: bool) -> None:
    with failures(), database().connect() as conn:
        found = ledger.runs(conn, utcnow())
    if as_json:
        sys.stdout.write(json.dumps([run.as_json() for run in found]) + "\n")
        return
    for run in found:
        hint = " (run the same import again to resume)" if run.status == INTERRUPTED else ""
        out.print(f"{run.id:>5}  {run.started_at:%Y-%m-%d %H:%M}  {run.kind}/{run.source_format}  {run.status}{hint}  "
                  f"imported {run.imported}, duplicates {run.duplicates}, rejected {run.rejected}  {run.file_name}",
                  highlight=False, markup=False)
    if not found:
        out.print("no imports yet")


def _report(summary: ImportSummary, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(summary.as_json()) + "\n")
        return
    out.print(f"imported {summary.imported}, duplicates {summary.duplicates}, rejected {summary.rejected}")
    for line, reason in sorted(summary.errors)[:50]:
        out.print(f"  line {line}: {reason}", highlight=False)
    if len(summary.errors) > 50:
        out.print(f"  … and {summary.rejected - 50} more (use --json for the full list)")
