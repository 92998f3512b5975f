"""`custodian import KIND FILE`: stream a provider export into the record store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from custodian.cli.context import actor, console, failures, out, runtime
from custodian.ingest.parse import ParseOptions
from custodian.ingest.registry import kinds, lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.kernel.timeparse import zone


def import_file(
    kind: str = typer.Argument(..., help="What the file holds: " + ", ".join(kinds()) + "."),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The CSV file."),
    fmt: str = typer.Option("", "--format", help="Source format for calls: asterisk, freeswitch, custodian."),
    timezone: str = typer.Option("UTC", help="Zone of the switch's naive timestamps (IANA name)."),
    region: str = typer.Option("US", help="Default region for numbers written without a country code."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Import FILE; bad rows are reported by line and the good rows still imported."""
    with failures():
        chosen = lookup(kind, fmt)
        options = ParseOptions(zone=zone(timezone), region=region.upper(), base_dir=file.parent.resolve())
        rt = runtime()
        progress = Progress(TextColumn(f"importing {kind}"), BarColumn(), DownloadColumn(),
                            TransferSpeedColumn(), TimeRemainingColumn(), console=console,
                            disable=as_json or not console.is_terminal, transient=True)
        with progress:
            task = progress.add_task("import", total=file.stat().st_size)
            summary = run_import(rt.engine, rt.keyring(), rt.blobs, chosen, file, actor=actor(),
                                 options=options, on_progress=lambda n: progress.advance(task, n))
        _report(summary, as_json)


def _report(summary: ImportSummary, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(summary.as_json()) + "\n")
        return
    out.print(f"imported {summary.imported}, duplicates {summary.duplicates}, rejected {summary.rejected}")
    for line, reason in sorted(summary.errors)[:50]:
        out.print(f"  line {line}: {reason}", highlight=False)
    if len(summary.errors) > 50:
        out.print(f"  … and {summary.rejected - 50} more (use --json for the full list)")
