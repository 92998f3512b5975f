"""Aggregate releases (issue 17 §2): counts per group read from the record store, suppressed (aggregate.py), written
as one JSON report and recorded in the disclosure ledger through the gate's checks.

Metrics: `calls` and `minutes` (billed seconds / 60, rounded down per cell) from the call log, `messages` from the SMS
log, each in the month it happened; `accounts` counts accounts by the month they signed up. Groupings: `state` (of
the contact address, decrypted per account), `month`, `kind` (residential or business); one or two of them. Only
accounts whose recorded choice allows the purpose are counted (`consent.allowed`); the others are counted as
excluded. An aggregate report discloses no account: the ledger's release row counts none (`accounts_disclosed` 0) and
its audit event says how many accounts the counts cover.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from custodian import consent
from custodian.consent.snapshot import ConsentSnapshot
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.disclosures.aggregate import DEFAULT_MIN_GROUP_SIZE, Suppressed, suppress
from custodian.disclosures.gate import Ask, refuse
from custodian.disclosures.rules import refusal
from custodian.disclosures.store import Release, record_release
from custodian.policy.compiled import CompiledPolicy
from custodian.records import payload
from custodian.records.tables import account, call_log, postal_address, sms_log

METRICS = {"calls": "cpni.call_log", "minutes": "cpni.call_log", "messages": "cpni.sms_log",
           "accounts": "subscriber.basic"}
GROUPINGS = ("state", "month", "kind")


@dataclass(frozen=True)
class AggregateAsk:
    """An aggregate report asked for: to whom, why, which metric, grouped how, over which days [start, end)."""

    recipient: str
    purpose: str
    metric: str
    by: tuple[str, ...]
    start: date | None
    end: date | None
    actor: str

    def classes(self) -> tuple[str, ...]:
        """The record classes the report is computed from (the address and kind are subscriber details)."""
        needed = {METRICS[self.metric]} | ({"subscriber.basic"} if {"state", "kind"} & set(self.by) else set())
        return tuple(sorted(needed))


@dataclass(frozen=True)
class AggregateReleased:
    """The outcome: k, cells published and withheld, accounts counted and excluded, or why it was refused."""

    k: int | None
    cells: int
    suppressed_cells: int
    accounts_counted: int
    excluded_by_choice: int
    refused: str | None
    feed_sha256: str | None

    def as_json(self) -> dict[str, object]:
        """The CLI's answer."""
        return {"k": self.k, "cells": self.cells, "suppressed_cells": self.suppressed_cells,
                "accounts_counted": self.accounts_counted, "excluded_by_choice": self.excluded_by_choice,
                "refused": self.refused}


def validate(ask: AggregateAsk) -> None:
    """ValueError naming the flag that is wrong."""
    if ask.metric not in METRICS:
        raise ValueError(f"--metric: one of {', '.join(METRICS)}")
    if not 1 <= len(ask.by) <= 2 or any(name not in GROUPINGS for name in ask.by) or len(set(ask.by)) < len(ask.by):
        raise ValueError(f"--by: one or two of {', '.join(GROUPINGS)}")
    if ask.start and ask.end and ask.end <= ask.start:
        raise ValueError("--to: must be after --from")


def release_aggregate(engine: Engine, keyring: Keyring, policy: CompiledPolicy, snapshot: ConsentSnapshot,
                      ask: AggregateAsk, out: Path, now: datetime) -> AggregateReleased:
    """Count, suppress, write the report to `out` and record it; or refuse, naming the rule."""
    validate(ask)
    gate_ask = Ask(ask.recipient, ask.purpose, ask.classes(), "aggregate", ask.actor)
    found = refusal(policy, ask.recipient, ask.purpose, gate_ask.classes, "aggregate")
    if found is not None:
        refuse(engine, gate_ask, found, now)
        return AggregateReleased(None, 0, 0, 0, 0, str(found), None)
    k = policy.document.recipients[ask.recipient].min_group_size or DEFAULT_MIN_GROUP_SIZE
    part = out.with_name(out.name + ".part")
    try:
        with engine.connect() as conn, conn.begin():  # a reading transaction
            values, members, counted, excluded = _count(conn, keyring, snapshot, ask, now)
        table = suppress(values, k, members)
        data = json.dumps(_report(ask, table, counted), indent=2, sort_keys=True).encode("utf-8") + b"\n"
        part.write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        with transaction(engine) as conn:
            record_release(conn, Release(ask.recipient, ask.purpose, gate_ask.classes, "aggregate", excluded, sha,
                                         "json", accounts_counted=counted), [], actor=ask.actor, now=now)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, out)
    return AggregateReleased(k, len(table.cells), table.suppressed_count, counted, excluded, None, sha)


def _count(conn: Connection, keyring: Keyring, snapshot: ConsentSnapshot, ask: AggregateAsk,
           now: datetime) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], frozenset[int]], int, int]:
    values: dict[tuple[str, str], int] = {}
    members: dict[tuple[str, str], set[int]] = {}
    groups: dict[int, dict[str, str] | None] = {}  # per account: its state and kind, None when left out
    excluded = 0
    for account_id, month, amount in _amounts(conn, ask):
        if account_id not in groups:
            allowed = consent.allowed(snapshot, account_id, ask.purpose, now).allowed
            excluded += not allowed
            groups[account_id] = _groups(conn, keyring, ask, account_id) if allowed else None
        found = groups[account_id]
        if found is None:
            continue
        keys = [{**found, "month": month}[name] for name in ask.by]
        cell = (keys[0], keys[1] if len(keys) > 1 else "")
        values[cell] = values.get(cell, 0) + amount
        members.setdefault(cell, set()).add(account_id)
    if ask.metric == "minutes":
        values = {cell: seconds // 60 for cell, seconds in values.items()}
    counted = len({account_id for account_id, found in groups.items() if found is not None})
    return values, {cell: frozenset(ids) for cell, ids in members.items()}, counted, excluded


def _groups(conn: Connection, keyring: Keyring, ask: AggregateAsk, account_id: int) -> dict[str, str] | None:
    """The account's state and kind, or None when its key is shredded."""
    kind = conn.execute(select(account.c.kind).where(account.c.id == account_id)).scalar_one()
    if "state" not in ask.by:
        return {"kind": kind, "state": ""}
    sealed = conn.execute(select(postal_address.c.state_enc).where(
        postal_address.c.account_id == account_id, postal_address.c.purpose == "contact")).scalar()
    try:
        cipher = keyring.cipher(conn, account_id)
    except AccountShredded:
        return None
    state = cipher.open(sealed, payload.aad("postal_address", "state", account_id)) if sealed else ""
    return {"kind": kind, "state": state.upper() or "unknown"}


def _amounts(conn: Connection, ask: AggregateAsk) -> Iterator[tuple[int, str, int]]:
    """(account, month, amount) per account and month, from the store (grouped by the database)."""
    if ask.metric == "accounts":
        query = select(account.c.id, account.c.signup_on).order_by(account.c.id)
        for account_id, signed in conn.execute(query):
            if _inside(signed, ask):
                yield account_id, signed.strftime("%Y-%m") if signed else "unknown", 1
        return
    table, column = (sms_log, "sent_at") if ask.metric == "messages" else (call_log, "started_at")
    when = table.c[column]
    month = (func.strftime("%Y-%m", when) if conn.dialect.name == "sqlite"
             else func.to_char(func.timezone("UTC", when), "YYYY-MM"))
    amount = func.sum(call_log.c.billsec_s) if ask.metric == "minutes" else func.count()
    query = select(table.c.account_id, month, amount).group_by(table.c.account_id, month)
    if ask.start:
        query = query.where(when >= datetime.combine(ask.start, time(), UTC))
    if ask.end:
        query = query.where(when < datetime.combine(ask.end, time(), UTC))
    for account_id, group_month, total in conn.execute(query.order_by(table.c.account_id)):
        yield account_id, group_month, int(total or 0)


def _inside(day: date | None, ask: AggregateAsk) -> bool:
    if day is None:
        return ask.start is None and ask.end is None
    return (ask.start is None or day >= ask.start) and (ask.end is None or day < ask.end)


def _report(ask: AggregateAsk, table: Suppressed, counted: int) -> dict[str, Any]:
    def named(cell: tuple[str, str]) -> dict[str, str]:
        return dict(zip(ask.by, cell, strict=False))

    return {
        "recipient": ask.recipient, "purpose": ask.purpose, "metric": ask.metric, "by": list(ask.by),
        "from": ask.start.isoformat() if ask.start else None, "to": ask.end.isoformat() if ask.end else None,
        "k": table.k, "suppressed_cells": table.suppressed_count, "accounts_counted": counted,
        "cells": [{**named(cell), "value": value} for cell, value in sorted(table.cells.items())],
        "withheld": [named(cell) for cell in sorted(table.withheld)],
        "row_totals": table.row_totals if len(ask.by) == 2 else {},
        "column_totals": table.column_totals if len(ask.by) == 2 else {},
        "total": table.total,
        "about": (f"Groups of fewer than {table.k} accounts are withheld, and enough others that no withheld figure "
                  "follows from a published total; totals include withheld cells and are published only for groups "
                  f"of at least {table.k} accounts."),
    }
