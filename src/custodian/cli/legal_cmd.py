"""`custodian legal`: the legal data request desk (issue #4)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from custodian.cli.context import console, failures, runtime
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal.fees import quote
from custodian.legal.scope import Window
from custodian.legal.targets import scope_number
from custodian.legal.types import LegalRequest, QuoteRequest
from custodian.legal.validate import Problem, assess_request
from custodian.policy import store as policy_store
from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.records.tables import account

app = typer.Typer(help="The legal data request desk.", no_args_is_help=True)
UNREADABLE = 2


def _emit(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")


def _read_model(file: Path, model: type[BaseModel]) -> Any:
    """FILE parsed as `model`, or exit 2 with a one-line reason naming the field."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return model.model_validate(data)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = f"cannot read {file}: {exc}"
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(document)"
        reason = f"{file}: {where}: {first['msg']}"
    console.print(f"[red]error:[/red] {reason}", highlight=False, markup=False)
    sys.exit(UNREADABLE)


def policy_for(policy_file: Path | None) -> CompiledPolicy:
    """The policy of --policy FILE, else the version in force; ValueError when there is none."""
    if policy_file is not None:
        result = check_file(policy_file)
        if not result.valid or result.document is None:
            raise ValueError(f"{policy_file} is not a valid policy; run `custodian policy check {policy_file}`")
        return compile_policy(result.document, policy_file.read_text(encoding="utf-8"))
    with transaction(runtime().engine) as conn:
        version = policy_store.in_force(conn, utcnow())
    if version is None:
        raise ValueError("no policy is in force; pass --policy FILE or run `custodian policy activate FILE`")
    return version.compiled()


@app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="The request document (JSON)."),
    policy_file: Path | None = typer.Option(None, "--policy", help="Policy YAML (default: the version in force)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Check a request against the policy; exit 0 whether or not it is valid, 2 when it cannot be read."""
    request = _read_model(file, LegalRequest)
    with failures():
        result = assess_request(request, policy_for(policy_file))
    if as_json:
        _emit({"valid": result.valid, "problems": [_as_dict(p) for p in result.problems],
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
        rt = runtime()
        with transaction(rt.engine) as conn:
            matches = scope_number(conn, rt.keyring(), number, window)
            refs = dict(conn.execute(select(account.c.id, account.c.ref)
                                     .where(account.c.id.in_({m.account_id for m in matches}))).all())
    rows = [{"account_ref": refs[m.account_id], "from": m.window.first_day().isoformat(),
             "to": m.window.last_day().isoformat()} for m in matches]
    if as_json:
        _emit({"matches": rows})
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
    request = _read_model(file, QuoteRequest)
    with failures():
        result = quote(request, list(policy_for(policy_file).document.legal.fees))
    lines = [{"code": line.code, "quantity": line.quantity, "unit_cents": line.unit_cents,
              "amount_cents": line.amount_cents} for line in result.lines]
    if as_json:
        _emit({"total_cents": result.total_cents, "lines": lines})
        return
    for line in lines:
        typer.echo(f"{line['code']}\t{line['quantity']} x {line['unit_cents']}\t{line['amount_cents']}")
    typer.echo(f"total\t{result.total_cents}")


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option}: not a date (YYYY-MM-DD): {text!r}") from None
