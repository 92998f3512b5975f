"""Building the demo provider: write ordinary export files, load them through the real importers.

The files in `<data dir>/demo/` double as examples of every import format. Importing is
idempotent (rows already present count as duplicates), and a store that already holds accounts
is left alone unless a rebuild is asked for.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.demo.activity import call_records, iso_stamp, sms_messages
from custodian.demo.content import content_items
from custodian.demo.population import DemoAccount, DemoPlan, NumberHolding, build_plan
from custodian.demo.statements import billing_rows, comment_rows
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.kernel.progress import Progress, SilentProgress
from custodian.records.tables import account

GENERATING = "generating"
TICK_ROWS = 5_000
# kind -> (file name, import format name, header; "" = headerless Asterisk Master.csv)
FILES: dict[str, tuple[str, str, str]] = {
    "accounts": ("accounts.csv", "", "account_ref,kind,profile,status,company,first_name,last_name,"
                 "email,contact_phone,street,city,state,postal_code,country,signup_on,closed_on,"
                 "controller"),
    "numbers": ("numbers.csv", "",
                "number,account_ref,extension,assigned_from,assigned_to,carrier"),
    "e911": ("e911.csv", "", "number,account_ref,street,city,state,postal_code,country,registered_at"),
    "calls": ("Master.csv", "asterisk", ""),
    "sms": ("sms.csv", "", "account_ref,direction,from_number,to_number,sent_at,segments,body"),
    "billing": ("billing.csv", "", "account_ref,occurred_at,reference,amount_cents,currency,method,"
                "card_brand,card_last4,state"),
    "comments": ("comments.csv", "", "account_ref,written_at,author,text"),
    "content": ("content.csv", "", "account_ref,kind,occurred_at,direction,counterpart_number,path,"
                "media_type,own_number"),
}


@dataclass(frozen=True)
class DemoSize:
    """How big a provider to build, and the seed that makes it reproducible."""

    accounts: int = 2_000
    calls: int = 1_000_000
    seed: int = 7

    @property
    def sms(self) -> int:
        """SMS messages: an eighth of the calls."""
        return self.calls // 8

    @property
    def content_items(self) -> int:
        """Voice messages, recordings, faxes and chats: about one per two accounts."""
        return max(10, self.accounts // 2)


@dataclass
class DemoOutcome:
    """What a build did: skipped (already built), or the import summary of each kind."""

    skipped: bool
    folder: Path
    summaries: dict[str, ImportSummary] = field(default_factory=dict)
    plan: DemoPlan | None = None  # the provider built (None when skipped)


def store_has_accounts(engine: Engine) -> bool:
    """True when the record store already holds at least one account."""
    with engine.connect() as conn:
        return conn.execute(select(account.c.id).limit(1)).first() is not None


def build_demo(
    engine: Engine,
    keyring: Keyring,
    blobs: LocalBlobStore,
    folder: Path,
    size: DemoSize,
    now: datetime,
    *,
    rebuild: bool = False,
    actor: str = "demo",
    progress: Progress | None = None,
) -> DemoOutcome:
    """Write the demo files into `folder` and import them, unless the store already has accounts."""
    if store_has_accounts(engine) and not rebuild:
        return DemoOutcome(skipped=True, folder=folder)
    progress = progress or SilentProgress()
    now = _anchor(folder, size, now) if rebuild else now
    plan = build_plan(size.seed, size.accounts, now)
    paths = write_demo_files(folder, plan, size, progress)
    summaries = {
        kind: _import(engine, keyring, blobs, kind, path, actor, progress)
        for kind, path in paths.items()
    }
    return DemoOutcome(skipped=False, folder=folder, summaries=summaries, plan=plan)


def write_demo_files(
    folder: Path, plan: DemoPlan, size: DemoSize, progress: Progress
) -> dict[str, Path]:
    """Write every export file of the demo provider into `folder`; return them by import kind."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder / "content", ignore_errors=True)
    (folder / "demo.json").write_text(
        json.dumps(
            {
                "synthetic": True,
                "seed": size.seed,
                "accounts": size.accounts,
                "calls": size.calls,
                "now": plan.now.isoformat(),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    statements = size.accounts * 33  # about 30 billing rows and 3 comments per account
    progress.begin(GENERATING, size.accounts + 2 * len(plan.holdings) + size.calls + size.sms
                   + statements + size.content_items)
    tick = _ticker(progress)
    sources: dict[str, Iterable[Sequence[Any]]] = {
        "accounts": (_account_row(acc) for acc in plan.accounts),
        "numbers": (_number_row(holding) for holding in plan.holdings),
        "e911": _e911_rows(plan),
        "calls": call_records(plan, size.calls, size.seed),
        "sms": sms_messages(plan, size.sms, size.seed),
        "billing": billing_rows(plan, size.seed),
        "comments": comment_rows(plan, size.seed),
        "content": _content_rows(folder, plan, size),
    }
    paths = {}
    for kind, rows in sources.items():
        name, _, header = FILES[kind]
        paths[kind] = _write_csv(folder / name, header, rows, tick)
    return paths


def _anchor(folder: Path, size: DemoSize, now: datetime) -> datetime:
    """On a rebuild, the `now` of the previous build of the same seed and size: the same rows."""
    try:
        previous = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return now
    if previous.get("seed") != size.seed or previous.get("accounts") != size.accounts:
        return now
    return datetime.fromisoformat(previous["now"])


def _ticker(progress: Progress) -> Callable[[int], None]:
    return lambda rows: progress.advance(GENERATING, rows)


def _write_csv(
    path: Path,
    header: str,
    rows: Iterable[Sequence[Any]],
    tick: Callable[[int], None],
) -> Path:
    quoting = csv.QUOTE_MINIMAL if header else csv.QUOTE_NONNUMERIC  # Asterisk quotes text only
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=quoting, lineterminator="\n")
        if header:
            writer.writerow(header.split(","))
        pending = 0
        for row in rows:
            writer.writerow(row)
            pending += 1
            if pending == TICK_ROWS:
                tick(pending)
                pending = 0
        tick(pending)
    return path


def _account_row(acc: DemoAccount) -> list[str]:
    return [
        acc.ref,
        acc.kind,
        acc.profile,
        acc.status,
        acc.company,
        acc.first_name,
        acc.last_name,
        acc.email,
        acc.contact_phone,
        acc.street,
        acc.city,
        acc.state,
        acc.postal_code,
        "US",
        acc.signup_on.isoformat(),
        acc.closed_on.isoformat() if acc.closed_on else "",
        acc.controller,
    ]


def _number_row(holding: NumberHolding) -> list[str]:
    until = iso_stamp(int(holding.assigned_to.timestamp())) if holding.assigned_to else ""
    return [
        holding.number,
        holding.account_ref,
        holding.extension,
        iso_stamp(int(holding.assigned_from.timestamp())),
        until,
        holding.carrier,
    ]


def _e911_rows(plan: DemoPlan) -> Iterable[list[str]]:
    """Each number's dispatchable address: the holder's service address, registered on assignment."""
    accounts = {acc.ref: acc for acc in plan.accounts}
    for holding in plan.holdings:
        acc = accounts[holding.account_ref]
        registered = iso_stamp(int(holding.assigned_from.timestamp()) + 60)
        yield [holding.number, acc.ref, acc.street, acc.city, acc.state, acc.postal_code, "US", registered]


def _content_rows(folder: Path, plan: DemoPlan, size: DemoSize) -> Iterable[list[str]]:
    for item in content_items(plan, size.content_items, size.seed):
        target = folder / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.payload())
        yield item.manifest_row()


def _import(
    engine: Engine,
    keyring: Keyring,
    blobs: LocalBlobStore,
    kind: str,
    path: Path,
    actor: str,
    progress: Progress,
) -> ImportSummary:
    fmt = lookup(kind, FILES[kind][1])
    progress.begin(kind, path.stat().st_size)
    return run_import(
        engine,
        keyring,
        blobs,
        fmt,
        path,
        actor=actor,
        on_progress=lambda amount: progress.advance(kind, amount),
    )
