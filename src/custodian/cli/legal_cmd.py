"""`custodian legal`: the legal data request desk. Checking a request (`validate`, `quote`) needs only the
policy file; the desk's commands (legal_desk_cmd, legal_output_cmd) load when one of them runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from custodian.cli.context import failures
from custodian.cli.lazy import LazyGroup
from custodian.cli.legal_shared import emit, policy_for, read_model
from custodian.legal.fees import quote
from custodian.legal.scope import Window
from custodian.legal.types import LegalRequest, QuoteRequest
from custodian.legal.validate import Problem, assess_request

app = typer.Typer(no_args_is_help=True,  # its help line is in cli/main.py
                  cls=LazyGroup.extended_by("custodian.cli.legal_desk_cmd:app", "custodian.cli.legal_output_cmd:app"))


@app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="The request document (JSON)."),
    policy_file: Path | None = typer.Option(None, "--policy", help="Policy YAML (default: the version in force)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Check a request against the policy; exit 0 whether or not it is valid, 2 when it cannot be read."""
    request = read_model(file, LegalRequest)
    with failures():
        result = assess_request(request, policy_for(policy_file))
    if as_json:
        emit({"valid": result.valid, "problems": [_as_dict(p) for p in result.problems],
               "warnings": [_as_dict(w) for w in result.warnings], "route": result.route})
        return
    if result.route:
        typer.echo(f"{file}: routed to {result.route} (not a legal-desk request)")
    elif result.valid:
        typer.echo(f"{file}: valid")
    for problem in result.problems:
        typer.echo(f"{file}: {problem.field}: {problem.code}: {problem.message}")
    for warning in result.warnings:
        typer.echo(f"{file}: warning: {warning.field}: {warning.code}: {warning.message}")


def _as_dict(problem: Problem) -> dict[str, str]:
    return {"code": problem.code, "field": problem.field, "message": problem.message}


@app.command("scope")
def scope(
    number: str = typer.Option(..., "--number", help="The telephone number."),
    first: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD)."),
    last: str = typer.Option(..., "--to", help="Last day (YYYY-MM-DD), inclusive."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Every account that held NUMBER between the days, with the overlap, from the number history."""
    with failures():
        window = Window.of_days(_day(first, "--from"), _day(last, "--to"))
        if window.end <= window.start:
            raise ValueError("--to is before --from")
        from sqlalchemy import select

        from custodian.cli.context import runtime
        from custodian.db.engine import transaction
        from custodian.legal.targets import scope_number
        from custodian.records.tables import account

        rt = runtime()
        with transaction(rt.engine) as conn:
            matches = scope_number(conn, rt.keyring(), number, window)
            refs = dict(conn.execute(select(account.c.id, account.c.ref)
                                     .where(account.c.id.in_({m.account_id for m in matches}))).all())
    rows = [{"account_ref": refs[m.account_id], "from": m.window.first_day().isoformat(),
             "to": m.window.last_day().isoformat()} for m in matches]
    if as_json:
        emit({"matches": rows})
    else:
        for row in rows:
            typer.echo(f"{row['account_ref']}\t{row['from']}\t{row['to']}")


@app.command("quote")
def quote_cmd(
    file: Path = typer.Argument(..., help="The quote input (JSON)."),
    policy_file: Path | None = typer.Option(None, "--policy", help="Policy YAML (default: the version in force)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """The fees the policy's schedule charges for a request."""
    request = read_model(file, QuoteRequest)
    with failures():
        result = quote(request, list(policy_for(policy_file).document.legal.fees))
    lines = [{"code": line.code, "quantity": line.quantity, "unit_cents": line.unit_cents,
              "amount_cents": line.amount_cents} for line in result.lines]
    if as_json:
        emit({"total_cents": result.total_cents, "lines": lines})
        return
    for line in lines:
        typer.echo(f"{line['code']}\t{line['quantity']} x {line['unit_cents']}\t{line['amount_cents']}")
    typer.echo(f"total\t{result.total_cents}")


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option}: not a date (YYYY-MM-DD): {text!r}") from None
