"""What the demo does after its import so the product shows itself and keeps its own policy: the retention
schedule run (no closed account is left past its purge deadline; the counts say what went), CPNI passwords on
a few accounts, the legal desk's requests (demo/legal_desk.py) and a few consent choices (demo/consent.py).

Each step goes through the real services; the passwords are hashed (argon2id) like any customer's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.demo.consent import record_choices
from custodian.demo.legal_desk import DeskOutcome, file_requests
from custodian.demo.population import DemoPlan
from custodian.legal.notices import Mailer
from custodian.legal.tables import legal_request
from custodian.policy.compiled import CompiledPolicy
from custodian.records import credentials
from custodian.records.tables import account
from custodian.retention.executor import run_retention
from custodian.retention.planner import build_plan, schedule_of

DEMO_CPNI_PASSWORD = "quiet-harbor-2468"  # the demo's customers all chose this one; the guide prints it
CPNI_ACCOUNTS = 5


@dataclass(frozen=True)
class RetentionOutcome:
    """What the demo's retention run deleted, by record class, and how many closed accounts it purged."""

    deleted: dict[str, int]
    accounts_purged: int


@dataclass(frozen=True)
class Showcase:
    """Everything the demo staged after its import."""

    retention: RetentionOutcome
    cpni_accounts: tuple[str, ...]
    desk: DeskOutcome
    consent_choices: int = 0


def stage(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy, plan: DemoPlan,
          mailer: Mailer | None, *, actor: str, now: datetime) -> Showcase:
    """Run retention, put CPNI passwords on a few accounts, file the legal desk's requests, then record a few
    consent choices and CPNI notices (demo/consent.py)."""
    retention = run_schedule(engine, keyring, blobs, policy, actor=actor, now=now)
    refs = cpni_password_accounts(plan)
    set_cpni_passwords(engine, keyring, refs, actor=actor, now=now)
    desk = file_requests(engine, keyring, blobs, policy, plan, mailer, actor=actor, now=now)
    choices = record_choices(engine, keyring, policy, plan, mailer, letters_dir=blobs.root.parent / "letters",
                             actor=actor, now=now)
    return Showcase(retention, refs, desk, choices)


def already_staged(engine: Engine) -> bool:
    """True when the store already holds legal requests (an earlier run staged the showcase)."""
    with engine.connect() as conn:
        return conn.execute(select(legal_request.c.id).limit(1)).first() is not None


def run_schedule(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy, *, actor: str,
                 now: datetime) -> RetentionOutcome:
    """One retention run at `now` under `policy`; its deletions counted by record class."""
    schedule = schedule_of(policy)
    with engine.connect() as conn:
        purged = build_plan(conn, schedule, now).accounts_purged
    result = run_retention(engine, keyring, blobs, schedule, policy_hash=policy.version_hash, now=now, actor=actor)
    deleted: Counter[str] = Counter()
    for per_class in result.counts.values():
        deleted.update(per_class)
    return RetentionOutcome(dict(sorted((k, v) for k, v in deleted.items() if v)), purged)


def cpni_password_accounts(plan: DemoPlan) -> tuple[str, ...]:
    """The active accounts that get the demo CPNI password: the first few residential ones."""
    return tuple(acc.ref for acc in plan.accounts
                 if acc.status == "active" and acc.kind == "residential")[:CPNI_ACCOUNTS]


def set_cpni_passwords(engine: Engine, keyring: Keyring, refs: tuple[str, ...], *, actor: str,
                       now: datetime) -> None:
    """Put DEMO_CPNI_PASSWORD on file for each account of `refs`, as the provider's earlier system had it."""
    with transaction(engine) as conn:
        ids = {row.ref: row.id for row in conn.execute(select(account.c.ref, account.c.id)
                                                       .where(account.c.ref.in_(refs)))}
        for ref in refs:
            credentials.store_secret(conn, keyring, ids[ref], "cpni_password", DEMO_CPNI_PASSWORD, by=actor, now=now)
            audit.append(conn, actor=actor, action="account.change", account_id=ids[ref],
                         record_classes=("subscriber.credentials",), reason="CPNI password loaded with the demo",
                         detail={"change": "password", "created": True}, now=now)
