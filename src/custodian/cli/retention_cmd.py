"""`custodian retention`: the plan, a run, and the receipts."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.table import Table

from custodian.cli.context import actor, failures, holding_job_lock, runtime, writing_runtime
from custodian.cli.progress import track
from custodian.cli.terminal import console, out
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import parse_instant
from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.retention.executor import run_retention
from custodian.retention.planner import build_plan, schedule_of
from custodian.retention.service import policy_in_force, receipts
from custodian.runtime import Runtime

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py
NOW_HELP = "Plan as of this ISO time (default: now)."


def _policy(conn: object, file: Path | None, now: object) -> CompiledPolicy:
    if file is None:
        return policy_in_force(conn, now)  # type: ignore[arg-type]
    result = check_file(file)
    if not result.valid or result.document is None:
        raise ValueError(f"{file} is not a valid policy; run `custodian policy check {file}`")
    return compile_policy(result.document, file.read_text(encoding="utf-8"))


@app.command("plan")
def plan(now_text: str = typer.Option("", "--now", help=NOW_HELP),
         policy_file: Path = typer.Option(None, "--policy", help="Plan with this policy file instead."),
         as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What a run would delete, and what holds keep."""
    with failures():
        now = parse_instant(now_text) if now_text else utcnow()
        with runtime().engine.connect() as conn:
            summary = build_plan(conn, schedule_of(_policy(conn, policy_file, now)), now)
        if as_json:
            sys.stdout.write(json.dumps(summary.as_json()) + "\n")
            return
        table = Table("record class", "deleted", "held")
        for name in sorted(set(summary.deletions) | set(summary.held)):
            table.add_row(name, str(summary.deletions.get(name, 0)), str(summary.held.get(name, 0)))
        out.print(table)
        out.print(f"accounts purged: {summary.accounts_purged}")


@app.command("run")
def run(now_text: str = typer.Option("", "--now", help=NOW_HELP),
        policy_file: Path = typer.Option(None, "--policy", help="Run with this policy file instead."),
        batch: int = typer.Option(20_000, "--batch", min=1, help="Rows per transaction.")) -> None:
    """Delete what the plan says; an interrupted run is finished first, at its own time (exit 75 while
    another run is live: it holds the `retention` job lock)."""
    with failures():
        now = parse_instant(now_text) if now_text else utcnow()
        rt = writing_runtime()
        with holding_job_lock(rt, "retention"):
            _run(rt, policy_file, now, batch)


def _run(rt: Runtime, policy_file: Path | None, now: datetime, batch: int) -> None:
    with rt.engine.connect() as conn:
        policy = _policy(conn, policy_file, now)
        total = sum(build_plan(conn, schedule_of(policy), now).deletions.values())
    with track(console, "retention", total) as advance:
        result = run_retention(rt.engine, rt.keyring(), rt.blobs, schedule_of(policy),
                               policy_hash=policy.version_hash, now=now, actor=actor(), batch=batch,
                               progress=advance)
    resumed = " (resumed an interrupted run)" if result.resumed else ""
    out.print(f"run {result.run_id}{resumed}: deleted {result.deleted} records; receipt is audit event "
              f"{result.audit_seq}", highlight=False)


@app.command("receipts")
def list_receipts(limit: int = typer.Option(20, "--limit", min=1),
                  as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The newest retention receipts from the audit chain."""
    with failures():
        with runtime().engine.connect() as conn:
            found = receipts(conn, limit)
        if as_json:
            sys.stdout.write(json.dumps([{"seq": r.seq, "recorded_at": r.recorded_at.isoformat(), "run": r.run_id,
                                          "now": r.now, "deleted": r.deleted, "accounts": r.accounts,
                                          "deidentified": r.deidentified}
                                         for r in found]) + "\n")
            return
        table = Table("audit seq", "recorded", "run", "as of", "deleted")
        for r in found:
            table.add_row(str(r.seq), r.recorded_at.isoformat(), str(r.run_id), r.now,
                          ", ".join(f"{k} {v}" for k, v in sorted(r.deleted.items())) or "nothing")
        out.print(table)
