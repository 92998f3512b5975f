"""`custodian policy`: the provider's privacy program as a checked file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from custodian.cli.context import console, failures, out
from custodian.policy.check import check_file

app = typer.Typer(help="The privacy policy file.", no_args_is_help=True)


@app.command("check")
def check(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The policy YAML file."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Validate FILE; print every problem as FILE:LINE: field.path: message and exit 1 if any."""
    with failures():
        result = check_file(file)
        if as_json:
            sys.stdout.write(json.dumps({"valid": result.valid, "problems": [
                {"line": p.line, "path": p.path, "message": p.message} for p in result.problems]}) + "\n")
        elif result.valid and result.document is not None:
            doc = result.document
            out.print(f"{file}: valid — {doc.provider.name}: {len(doc.record_classes)} record classes, "
                      f"{len(doc.purposes)} purposes, {len(doc.staff.roles)} staff roles, "
                      f"{len(doc.recipients)} recipients, {len(doc.retention.rules)} retention rules",
                      highlight=False)
        else:
            for problem in result.problems:
                console.print(problem.render(str(file)), highlight=False, markup=False)
        if not result.valid:
            sys.exit(1)
