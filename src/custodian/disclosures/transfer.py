"""Running a business transfer (issue 17 §5): the policy's rule (transfer_rules.py) decides which classes pass; the
transfer is recorded through the disclosure ledger as one release to the successor, one disclosure per account whose
data key still exists; with an output folder its feed is written there; customers are told by e-mail (batched,
resumable, audited: access/notice_batch.py), before or after the release as the policy's `notify_customers` says.

Run again with the same successor, it records no second release: it carries on telling the customers not yet told.
A transfer is not subject to the customers' marketing choices (the policy names it as a transfer of assets), so
no account is left out by choice; what the successor may do with the data is its binding.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, Engine, select

from custodian.access.customer_mail import CustomerNotice
from custodian.access.notice_batch import NoticeRun, Told, send_notices
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.crypto.tables import account_key
from custodian.db.engine import transaction
from custodian.disclosures.feed import FeedPlan, FeedWriter, permitted_columns
from custodian.disclosures.gate import ALL, account_refs
from custodian.disclosures.rules import Refusal
from custodian.disclosures.store import Release, record_refusal, record_release
from custodian.disclosures.tables import business_transfer_notice, disclosure, disclosure_release
from custodian.disclosures.transfer_rules import PURPOSE, TransferPlan, plan_transfer, transfer_mail
from custodian.dsr.export.classes import READERS
from custodian.kernel.progress import Progress
from custodian.policy.compiled import CompiledPolicy
from custodian.records.tables import account

FEED_NAME = "business-transfer.csv"
RECORD_NAME = "business-transfer.json"
PHASE_FEED = "accounts transferred"
PHASE_TOLD = "customers told"
ACTOR_NOTICES = "job:business-transfer-notices"


@dataclass(frozen=True)
class Mailing:
    """How notices go out: `send` returns "" when the server accepted a mail; links point under `link_base`."""

    send: Callable[[CustomerNotice], str]
    link_base: str
    batch: int = 200


@dataclass(frozen=True)
class Transferred:
    """What one run did: the plan, the release (new or found), the accounts it covers, the customers told."""

    plan: TransferPlan
    release_id: int
    recorded_now: bool
    accounts: int
    feed_sha256: str
    told: Told | None

    def as_json(self) -> dict[str, object]:
        """The CLI's answer."""
        told = None if self.told is None else {"sent": self.told.sent, "failed": self.told.failed,
                                               "no_address": self.told.no_address, "already": self.told.already}
        return {**self.plan.as_json(), "refused_transfer": None, "release_id": self.release_id,
                "recorded_now": self.recorded_now, "accounts": self.accounts, "feed_sha256": self.feed_sha256,
                "notices": told}


def refuse_transfer(engine: Engine, successor: str, classes: tuple[str, ...], found: Refusal, *, actor: str,
                    now: datetime) -> None:
    """Audit a refused transfer (nothing else is written)."""
    with transaction(engine) as conn:
        record_refusal(conn, recipient=successor, purpose=PURPOSE, classes=classes, form="identifiable",
                       rule=found.rule, actor=actor, now=now)


def plan_or_refuse(engine: Engine, policy: CompiledPolicy, successor: str, classes: tuple[str, ...], *, actor: str,
                   now: datetime) -> TransferPlan | Refusal:
    """The policy's answer to this transfer; a refusal is audited."""
    found = plan_transfer(policy.document, successor, classes)
    if isinstance(found, Refusal):
        refuse_transfer(engine, successor.strip(), classes, found, actor=actor, now=now)
    return found


def run_transfer(engine: Engine, keyring: Keyring, policy: CompiledPolicy, plan: TransferPlan, *, actor: str,
                 now: datetime, progress: Progress, mailing: Mailing | None, out_dir: Path | None = None,
                 blobs: LocalBlobStore | None = None) -> Transferred:
    """Record the transfer (once per successor) and tell the customers as the policy says."""
    if plan.notify != "never" and mailing is None:
        raise ValueError("the policy says customers are told of a business transfer, and no mail server is "
                         "configured (CUSTODIAN_SMTP_HOST)")
    told = None
    if plan.notice_first and mailing is not None:
        told = _tell(engine, keyring, policy, plan, mailing, _keyed(), progress, now)
    found = _recorded(engine, plan.successor)
    if found is None:
        release_id, accounts, sha = _record(engine, keyring, policy, plan, actor, now, progress, out_dir, blobs)
    else:
        release_id, accounts, sha = found
    if not plan.notice_first and plan.notify != "never" and mailing is not None:
        told = _tell(engine, keyring, policy, plan, mailing, _in_release(release_id), progress, now)
    return Transferred(plan, release_id, found is None, accounts, sha, told)


def _keyed() -> ColumnElement[bool]:
    return account.c.id.in_(select(account_key.c.account_id).where(account_key.c.wrapped_key.is_not(None)))


def _in_release(release_id: int) -> ColumnElement[bool]:
    return account.c.id.in_(select(disclosure.c.account_id).where(disclosure.c.release_id == release_id))


def _recorded(engine: Engine, successor: str) -> tuple[int, int, str] | None:
    with engine.connect() as conn:
        row = conn.execute(select(disclosure_release.c.id, disclosure_release.c.accounts_disclosed,
                                  disclosure_release.c.feed_sha256)
                           .where(disclosure_release.c.recipient == successor,
                                  disclosure_release.c.purpose == PURPOSE)
                           .order_by(disclosure_release.c.id.desc()).limit(1)).first()
    return None if row is None else (int(row.id), int(row.accounts_disclosed), str(row.feed_sha256))


def _record(engine: Engine, keyring: Keyring, policy: CompiledPolicy, plan: TransferPlan, actor: str, now: datetime,
            progress: Progress, out_dir: Path | None, blobs: LocalBlobStore | None) -> tuple[int, int, str]:
    with engine.connect() as conn, conn.begin():  # a reading transaction: SQLite's write lock is not held
        refs = list(account_refs(conn, ALL))
        progress.begin(PHASE_FEED, len(refs))
        writer = None if out_dir is None else _writer(policy, plan, out_dir)
        try:
            if writer is not None:
                with_card = "billing.payment_instrument" in plan.passes
                for account_id, ref in refs:
                    writer.write_account(conn, keyring, blobs, account_id, ref, with_card)
                    progress.advance(PHASE_FEED, 1)
        except BaseException:
            if writer is not None:
                writer.discard()
            raise
    record = json.dumps({**plan.as_json(), "accounts": len(refs), "made_at": now.isoformat()}, sort_keys=True)
    sha = writer.finish() if writer is not None else hashlib.sha256(record.encode("utf-8")).hexdigest()
    try:
        with transaction(engine) as conn:
            release_id = record_release(conn, Release(plan.successor, PURPOSE, plan.passes, "identifiable", 0, sha,
                                                      "csv" if writer is not None else "json"),
                                        [account_id for account_id, _ in refs], actor=actor, now=now)
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    if out_dir is not None and writer is not None:
        writer.publish()
        (out_dir / RECORD_NAME).write_text(record + "\n", encoding="utf-8")
    if writer is None:
        progress.advance(PHASE_FEED, len(refs))
    return release_id, len(refs), sha


def _writer(policy: CompiledPolicy, plan: TransferPlan, out_dir: Path) -> FeedWriter:
    """The feed of the classes that pass and that the record store holds (every permitted column, identifiable)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = {name: tuple((column, None) for column in permitted_columns(policy, name))
               for name in plan.passes if name in READERS}
    return FeedWriter(out_dir / FEED_NAME, "csv", FeedPlan(columns, None))


def _tell(engine: Engine, keyring: Keyring, policy: CompiledPolicy, plan: TransferPlan, mailing: Mailing,
          targets: ColumnElement[bool], progress: Progress, now: datetime) -> Told:
    provider = policy.document.provider.name

    def compose(account_id: int, ref: str, to: str) -> CustomerNotice:
        return transfer_mail(provider, plan, ref, to, f"{mailing.link_base}/privacy", account_id=account_id)

    run = NoticeRun(PHASE_TOLD, business_transfer_notice, "successor", plan.successor, targets, compose,
                    ACTOR_NOTICES, {"kind": "business_transfer", "successor": plan.successor})
    return send_notices(engine, keyring, mailing.send, run, progress=progress, now=now, batch=mailing.batch)
