"""`custodian disclose`: a release of data through the disclosure gate (issue 17 §1), `custodian disclose
aggregate`: an aggregate report with small groups suppressed (§2), and `custodian disclose business-transfer`: the
policy's business_transfer rule run for a successor (§5). Exit 1 when the gate refuses."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TypeVar

import typer

from custodian.cli.context import actor, failures, writing_runtime
from custodian.cli.legal_shared import policy_for

app = typer.Typer(no_args_is_help=False)  # its help line is in cli/main.py
T = TypeVar("T")
POLICY = typer.Option(None, "--policy", help="Use this policy file, not the one in force.")


@app.callback(invoke_without_command=True)
def disclose(
    ctx: typer.Context,
    recipient: str | None = typer.Option(None, "--recipient", help="The recipient, as the policy names it."),
    purpose: str | None = typer.Option(None, "--purpose", help="The purpose, as the policy names it."),
    classes: str | None = typer.Option(None, "--classes", help="Record classes, comma-separated."),
    accounts_file: Path | None = typer.Option(None, "--accounts", help="A file of account references, one a line.",
                                              exists=True, dir_okay=False),
    all_accounts: bool = typer.Option(False, "--all", help="Every account (whose data key still exists)."),
    out: Path | None = typer.Option(None, "--out", help="The feed file to write.", dir_okay=False),
    fmt: str = typer.Option("csv", "--format", help="csv or jsonl."),
    form: str = typer.Option("identifiable", "--form", help="identifiable or de_identified."),
    policy_file: Path | None = POLICY,
    as_json: bool = typer.Option(False, "--json", help='Print {"disclosed", "excluded_by_choice", "refused"}.'),
) -> None:
    """Release record classes of accounts to a recipient, if the policy allows it: the accounts whose choices do
    not allow the purpose are left out, the feed holds only the permitted fields, and each account disclosed is
    recorded in the disclosure ledger. Exit 1, naming the rule, when the gate refuses."""
    if ctx.invoked_subcommand is not None:
        return
    from custodian.consent.service import load_snapshot
    from custodian.db.engine import transaction
    from custodian.disclosures.gate import ALL, Ask, account_ids_of, release
    from custodian.kernel.clock import utcnow

    with failures():
        ask = Ask(_required(recipient, "--recipient"), _required(purpose, "--purpose"),
                  _class_list(_required(classes, "--classes")), form, actor())
        target = _required(out, "--out")
        if all_accounts == (accounts_file is not None):
            raise ValueError("--accounts FILE or --all: give exactly one")
        policy, rt, now = policy_for(policy_file), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            snapshot = load_snapshot(conn, policy, now)
            accounts = ALL if all_accounts else account_ids_of(conn, _refs(accounts_file))
        outcome = release(rt.engine, rt.keyring(), policy, snapshot, ask, accounts, target, fmt, now, rt.blobs)
    _answer(outcome.as_json(), as_json, outcome.refused,
            f"{target}: {outcome.disclosed} accounts disclosed, {outcome.excluded_by_choice} left out by their "
            "choice")


@app.command("aggregate")
def aggregate(
    recipient: str = typer.Option(..., "--recipient", help="The recipient, as the policy names it."),
    purpose: str = typer.Option(..., "--purpose", help="The purpose, as the policy names it."),
    metric: str = typer.Option(..., "--metric", help="calls, minutes, messages or accounts."),
    by: str = typer.Option(..., "--by", help="One or two of state, month, kind (comma-separated)."),
    start: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Day after the last (YYYY-MM-DD)."),
    out: Path = typer.Option(..., "--out", help="The JSON report to write.", dir_okay=False),
    policy_file: Path | None = POLICY,
    as_json: bool = typer.Option(False, "--json", help="Print k, cells, suppressed cells and counts as JSON."),
) -> None:
    """Counts per group for an aggregate recipient: every group smaller than k withheld, with complementary
    suppression so no withheld cell follows from a row or column total. Says k and how many cells were withheld."""
    from custodian.consent.service import load_snapshot
    from custodian.db.engine import transaction
    from custodian.disclosures.report import AggregateAsk, release_aggregate
    from custodian.kernel.clock import utcnow

    with failures():
        ask = AggregateAsk(recipient, purpose, metric, tuple(part.strip() for part in by.split(",") if part.strip()),
                           _day(start, "--from"), _day(end, "--to"), actor())
        policy, rt, now = policy_for(policy_file), writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            snapshot = load_snapshot(conn, policy, now)
        outcome = release_aggregate(rt.engine, rt.keyring(), policy, snapshot, ask, out, now)
    _answer(outcome.as_json(), as_json, outcome.refused,
            f"{out}: k = {outcome.k}, {outcome.cells} cells published, {outcome.suppressed_cells} suppressed; "
            f"{outcome.accounts_counted} accounts counted, {outcome.excluded_by_choice} left out by their choice")


@app.command("business-transfer")
def business_transfer(
    successor: str = typer.Option(..., "--successor", help="The successor the customer information passes to."),
    classes: str = typer.Option(..., "--classes", help="Record classes, comma-separated."),
    out: Path | None = typer.Option(None, "--out", help="Write the transfer's feed and record into this folder.",
                                    file_okay=False),
    batch: int = typer.Option(200, min=1, max=10_000, help="Customers told per batch."),
    policy_file: Path | None = POLICY,
    as_json: bool = typer.Option(False, "--json", help="Print the plan, the release and the notices as JSON."),
) -> None:
    """Run the policy's business_transfer rule: the classes that pass (and those that do not, with why), what the
    successor must honour, one release to the successor in the disclosure ledger, and the customers told by e-mail
    as the policy says. Safe to re-run: no second release, and only customers not yet told are written to."""
    from custodian.cli.progress import PhaseProgress
    from custodian.cli.terminal import console
    from custodian.consent.policy_change import sender
    from custodian.disclosures.rules import Refusal
    from custodian.disclosures.transfer import Mailing, plan_or_refuse, run_transfer
    from custodian.kernel.clock import utcnow
    from custodian.settings import Settings

    with failures():
        policy, rt, now, who = policy_for(policy_file), writing_runtime(), utcnow(), actor()
        plan = plan_or_refuse(rt.engine, policy, successor, _class_list(classes), actor=who, now=now)
        if isinstance(plan, Refusal):
            _answer({"successor": successor.strip(), "refused_transfer": str(plan)}, as_json, str(plan), "")
            return
        mailing = None if rt.mailer is None else Mailing(sender(rt.mailer), Settings().public_base_url, batch)
        with PhaseProgress(console, transient=True, quiet=as_json) as progress:
            done = run_transfer(rt.engine, rt.keyring(), policy, plan, actor=who, now=now, progress=progress,
                                mailing=mailing, out_dir=out, blobs=rt.blobs)
    if as_json:
        sys.stdout.write(json.dumps(done.as_json()) + "\n")
        return
    typer.echo(f"to {plan.successor}: {', '.join(plan.passes)} pass")
    for name, why in plan.refused:
        typer.echo(f"  {name} does not pass: {why}")
    for line in plan.binding:
        typer.echo(f"  binding: {line}")
    typer.echo(f"release {done.release_id} ({'recorded now' if done.recorded_now else 'recorded before'}): "
               f"{done.accounts} accounts")
    if done.told is None:
        typer.echo("customers: the policy says they are not told")
    else:
        typer.echo(f"customers told: {done.told.sent}; failed {done.told.failed} (retried next run), "
                   f"{done.told.no_address} without an e-mail address, {done.told.already} told before")


def _answer(answer: dict[str, object], as_json: bool, refused: str | None, words: str) -> None:
    if as_json:
        sys.stdout.write(json.dumps(answer) + "\n")
    elif refused is None:
        typer.echo(words)
    if refused is not None:
        if not as_json:
            typer.echo(f"refused: {refused}", err=True)
        raise typer.Exit(1)


def _required(value: T | None, flag: str) -> T:
    if value is None:
        raise ValueError(f"{flag} is required")
    return value


def _class_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _refs(path: Path | None) -> list[str]:
    lines = (path.read_text(encoding="utf-8") if path else "").splitlines()
    refs = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if not refs:
        raise ValueError("--accounts: the file names no account")
    return refs


def _day(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag}: a day as YYYY-MM-DD") from None
