"""The disclosure gate (issue 17 §1): the one way subscriber data leaves Custodian, legal process aside.

A release is refused, naming the rule (rules.py), when the policy does not allow it: nothing is written and a
`disclosure.refused` audit event names the rule. Otherwise every account whose recorded choice does not allow the
purpose (`consent.allowed`, the one consent decision) is left out and counted, the feed is written (feed.py), and the
release is recorded in the disclosure ledger with one row per account disclosed (store.py). The feed is read and
written inside one reading transaction, so SQLite's write lock is not held while it streams; the ledger rows and the
audit event follow in one short writing transaction, and the feed file appears under its name only once that has
committed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine, select

from custodian import consent
from custodian.consent.snapshot import ConsentSnapshot
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.crypto.tables import account_key
from custodian.db.engine import transaction
from custodian.disclosures.feed import FeedNotPossible, FeedWriter, permitted_columns, plan_feed
from custodian.disclosures.rules import Refusal, refusal
from custodian.disclosures.store import Release, record_refusal, record_release
from custodian.policy.compiled import CompiledPolicy
from custodian.records.tables import account

ALL: Literal["all"] = "all"
FEED_FORMS = ("de_identified", "identifiable")
LOOKUP_BLOCK = 5000  # ids or references per IN (...) query


@dataclass(frozen=True)
class Released:
    """The outcome of one release: how many accounts went, how many the customers' choices kept back, or why not."""

    disclosed: int
    excluded_by_choice: int
    refused: str | None
    feed_sha256: str | None

    def as_json(self) -> dict[str, object]:
        """The CLI's answer: exactly disclosed, excluded_by_choice and refused."""
        return {"disclosed": self.disclosed, "excluded_by_choice": self.excluded_by_choice, "refused": self.refused}


@dataclass(frozen=True)
class Ask:
    """What is asked to leave: to whom, why, which classes, in which form, by whom."""

    recipient: str
    purpose: str
    classes: tuple[str, ...]
    form: str
    actor: str


def check(policy: CompiledPolicy, ask: Ask) -> Refusal | None:
    """The refusal of a feed release, if any: the policy's rules first, then whether a feed can hold the classes."""
    if not ask.classes:
        raise ValueError("--classes: name at least one record class")
    found = refusal(policy, ask.recipient, ask.purpose, ask.classes, ask.form)
    if found is not None:
        return found
    try:
        for record_class in ask.classes:
            permitted_columns(policy, record_class)
    except FeedNotPossible as error:
        return Refusal("no_feed_for_class", str(error))
    return None


def refuse(engine: Engine, ask: Ask, found: Refusal, now: datetime) -> None:
    """Audit a refused release (its own transaction: the refusal is kept even though nothing else is)."""
    with transaction(engine) as conn:
        record_refusal(conn, recipient=ask.recipient, purpose=ask.purpose, classes=ask.classes, form=ask.form,
                       rule=found.rule, actor=ask.actor, now=now)


def release(engine: Engine, keyring: Keyring, policy: CompiledPolicy, snapshot: ConsentSnapshot, ask: Ask,
            accounts: Sequence[int] | Literal["all"], out: Path, fmt: str, now: datetime,
            blobs: LocalBlobStore | None = None) -> Released:
    """Release `ask.classes` of `accounts` to the recipient as a feed at `out` (csv or jsonl), or refuse."""
    if ask.form not in FEED_FORMS:
        raise ValueError("--form: identifiable or de_identified (aggregate reports: `custodian disclose aggregate`)")
    found = check(policy, ask)
    if found is not None:
        refuse(engine, ask, found, now)
        return Released(0, 0, str(found), None)
    plan = plan_feed(policy, ask.recipient, list(ask.classes), ask.form, keyring.master_key)
    writer = FeedWriter(out, fmt, plan)
    try:
        with engine.connect() as conn, conn.begin():  # a reading transaction: SQLite's write lock is not held
            disclosed, excluded = _write(conn, keyring, blobs, snapshot, ask, accounts, writer, now)
        sha = writer.finish()
        with transaction(engine) as conn:
            record_release(conn, Release(ask.recipient, ask.purpose, ask.classes, ask.form, excluded, sha, fmt),
                           disclosed, actor=ask.actor, now=now)
    except BaseException:
        writer.discard()
        raise
    writer.publish()
    return Released(len(disclosed), excluded, None, sha)


def _write(conn: Connection, keyring: Keyring, blobs: LocalBlobStore | None, snapshot: ConsentSnapshot, ask: Ask,
           accounts: Sequence[int] | Literal["all"], writer: FeedWriter, now: datetime) -> tuple[list[int], int]:
    disclosed: list[int] = []
    excluded = 0
    with_card = "billing.payment_instrument" in ask.classes
    for account_id, ref in account_refs(conn, accounts):
        if not consent.allowed(snapshot, account_id, ask.purpose, now).allowed:
            excluded += 1
            continue
        writer.write_account(conn, keyring, blobs, account_id, ref, with_card)
        disclosed.append(account_id)
    return disclosed, excluded


def account_refs(conn: Connection, accounts: Sequence[int] | Literal["all"]) -> Iterator[tuple[int, str]]:
    """(id, reference) of the accounts asked for, in id order; ALL: every account whose data key still exists."""
    if accounts == ALL:
        query = (select(account.c.id, account.c.ref).join(account_key, account_key.c.account_id == account.c.id)
                 .where(account_key.c.wrapped_key.is_not(None)).order_by(account.c.id))
        yield from ((row.id, row.ref) for row in conn.execute(query))
        return
    refs: dict[int, str] = {}
    wanted = list(dict.fromkeys(accounts))
    for start in range(0, len(wanted), LOOKUP_BLOCK):
        block = wanted[start:start + LOOKUP_BLOCK]
        refs.update((row.id, row.ref) for row in conn.execute(select(account.c.id, account.c.ref)
                                                             .where(account.c.id.in_(block))))
    unknown = sorted(set(accounts) - set(refs))
    if unknown:
        raise ValueError(f"--accounts: no account with id {unknown[0]}")
    yield from sorted(refs.items())


def account_ids_of(conn: Connection, refs: Sequence[str]) -> list[int]:
    """The ids of accounts named by reference (ValueError naming the first unknown one)."""
    found: dict[str, int] = {}
    wanted = list(dict.fromkeys(refs))
    for start in range(0, len(wanted), LOOKUP_BLOCK):
        block = wanted[start:start + LOOKUP_BLOCK]
        found.update((row.ref, row.id) for row in conn.execute(select(account.c.ref, account.c.id)
                                                              .where(account.c.ref.in_(block))))
    for ref in refs:
        if ref not in found:
            raise ValueError(f"--accounts: no account {ref!r}")
    return [int(found[ref]) for ref in wanted]
