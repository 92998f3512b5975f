"""`custodian hold`: place, list and release legal holds."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta

import typer
from rich.table import Table

from custodian.cli.context import actor, database, failures, writing_runtime
from custodian.cli.terminal import out
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import parse_instant
from custodian.records.store import account_id_by_ref
from custodian.retention import hold_service
from custodian.retention.holds import Hold, InvalidHold

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


def through_end_of(text: str) -> datetime:
    """An inclusive end: a bare date means through the end of that day (UTC)."""
    moment = parse_instant(text)
    return moment + timedelta(days=1) if len(text.strip()) == 10 else moment


@app.command("add")
def add(
    account_ref: str = typer.Option(..., "--account", help="The account reference."),
    classes: str = typer.Option("", "--classes", help="Comma-separated record classes (default: all)."),
    window_from: str = typer.Option("", "--from", help="Only records that occurred on or after DATE."),
    window_to: str = typer.Option("", "--to", help="Only records that occurred on or before DATE."),
    until: str = typer.Option(..., "--until", help="Hold through DATE (or until an ISO instant)."),
    reason: str = typer.Option(..., "--reason", help="Why the records are held."),
) -> None:
    """Place a hold on an account's records; print the hold id."""
    with failures():
        now = utcnow()
        with transaction(writing_runtime().engine) as conn:
            account_id = account_id_by_ref(conn, account_ref)
            if account_id is None:
                raise InvalidHold(f"account: no account {account_ref!r}")
            hold = hold_service.place_hold(
                conn, account_id=account_id, until=through_end_of(until), reason=reason, source="cli",
                actor=actor(), now=now, classes=[c.strip() for c in classes.split(",") if c.strip()],
                window_start=parse_instant(window_from) if window_from else None,
                window_end=through_end_of(window_to) if window_to else None)
        sys.stdout.write(f"{hold.id}\n")


@app.command("list")
def list_holds(
    include_ended: bool = typer.Option(False, "--all", help="Include released and expired holds."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the holds in effect (or all of them)."""
    with failures():
        now = utcnow()
        with database().connect() as conn:
            holds = hold_service.list_holds(conn, now, include_ended=include_ended)
            refs = hold_service.account_refs(conn, {h.account_id for h in holds})
        if as_json:
            sys.stdout.write(json.dumps([_as_json(h, refs[h.account_id], now) for h in holds]) + "\n")
            return
        table = Table("id", "account", "classes", "window", "until", "source", "state", "reason")
        for h in holds:
            table.add_row(str(h.id), refs[h.account_id], ",".join(sorted(h.classes)) or "all", _window(h),
                          h.until.isoformat(), h.source, "active" if h.active_at(now) else "ended", h.reason)
        out.print(table)


@app.command("release")
def release(
    hold_id: int = typer.Argument(..., help="The hold id."),
    reason: str = typer.Option(..., "--reason", help="Why the hold ends."),
) -> None:
    """Release a hold now."""
    with failures():
        with transaction(writing_runtime().engine) as conn:
            hold_service.release_hold(conn, hold_id, actor=actor(), reason=reason, now=utcnow())
        out.print(f"hold {hold_id} released")


def _window(hold: Hold) -> str:
    if hold.window_start is None and hold.window_end is None:
        return "all time"
    start = hold.window_start.isoformat() if hold.window_start else "…"
    end = hold.window_end.isoformat() if hold.window_end else "…"
    return f"{start} – {end}"


def _as_json(hold: Hold, ref: str, now: datetime) -> dict[str, object]:
    return {"id": hold.id, "account": ref, "classes": sorted(hold.classes),
            "window_start": hold.window_start.isoformat() if hold.window_start else None,
            "window_end": hold.window_end.isoformat() if hold.window_end else None,
            "until": hold.until.isoformat(), "reason": hold.reason, "source": hold.source,
            "placed_by": hold.placed_by, "placed_at": hold.placed_at.isoformat(), "active": hold.active_at(now),
            "released_at": hold.released_at.isoformat() if hold.released_at else None}
