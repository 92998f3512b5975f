"""Recording choices in the ledger and loading the snapshot decisions read (issue 16 §1-§2). Joins the
caller's transaction: the entry and its `consent.recorded` audit event commit together."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Text, insert, select, type_coerce

from custodian.audit import store as audit
from custodian.consent.purposes import PurposeRule, compile_rules, text_hash
from custodian.consent.receipt import consent_receipt
from custodian.consent.snapshot import ConsentSnapshot
from custodian.consent.tables import consent_entry, cpni_notice
from custodian.consent.types import CHANNELS, CHOICES, MEDIA, Entry
from custodian.policy import store as policies
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document import PolicyDocument
from custodian.records.tables import account

_EARLIER_VERSIONS = 12  # how far back wording is compared (each version compiles once per process)
_rules_cache: dict[tuple[str, ...], Mapping[str, PurposeRule]] = {}
_rules_lock = threading.Lock()


def record(conn: Connection, policy: CompiledPolicy, *, account_id: int | None = None, subject: str | None = None,
           purpose: str, choice: str, channel: str, medium: str = "any", made_at: datetime, actor: str,
           ticket_id: int | None = None, valid_until: datetime | None = None, now: datetime) -> Entry:
    """Append one choice made under `policy` (the version in force) and its audit event; ValueError names the
    field that is wrong."""
    _check(policy, account_id=account_id, subject=subject, purpose=purpose, choice=choice, channel=channel,
           medium=medium, made_at=made_at, valid_until=valid_until)
    receipt_id = str(uuid.uuid4())
    text_sha = text_hash(policy.document.purposes[purpose].description)
    event = audit.append(conn, actor=actor, action="consent.recorded", account_id=account_id,
                         reason="a consent choice was recorded", now=now,
                         detail={"receipt_id": receipt_id, "purpose": purpose, "medium": medium, "choice": choice,
                                 "channel": channel, "text_sha256": text_sha})
    values: dict[str, Any] = {
        "receipt_id": receipt_id, "account_id": account_id, "subject": subject, "purpose": purpose,
        "medium": medium, "choice": choice, "channel": channel, "policy_version": policy.version_hash,
        "text_sha256": text_sha, "made_at": made_at, "valid_until": valid_until, "recorded_at": now,
        "recorded_by": actor, "ticket_id": ticket_id, "audit_seq": event.seq}
    entry_id = conn.execute(insert(consent_entry).values(**values).returning(consent_entry.c.id)).scalar_one()
    return Entry(id=int(entry_id), **values)


def _check(policy: CompiledPolicy, *, account_id: int | None, subject: str | None, purpose: str, choice: str,
           channel: str, medium: str, made_at: datetime, valid_until: datetime | None) -> None:
    if (account_id is None) == (subject is None):
        raise ValueError("account: give exactly one of an account or an anonymous consent id (subject)")
    if subject is not None and not 0 < len(subject) <= 64:
        raise ValueError("subject: an anonymous consent id is 1 to 64 characters")
    found = policy.document.purposes.get(purpose)
    if found is None:
        raise ValueError(f"purpose: the policy has no purpose {purpose!r}")
    if found.choice == "none":
        raise ValueError(f"purpose: {purpose!r} is essential and offers no choice")
    for field, value, allowed in (("choice", choice, CHOICES), ("channel", channel, CHANNELS),
                                  ("medium", medium, MEDIA)):
        if value not in allowed:
            raise ValueError(f"{field}: {value!r} is not one of {', '.join(allowed)}")
    if made_at.tzinfo is None:
        raise ValueError("made_at: give a time with its zone")
    if valid_until is not None and (choice != "granted" or valid_until <= made_at):
        raise ValueError("valid_until: only a one-time approval (granted) has an end, after it was made")


def history(conn: Connection, account_id: int) -> list[Entry]:
    """Every choice recorded for the account, newest first."""
    rows = conn.execute(select(consent_entry).where(consent_entry.c.account_id == account_id)
                        .order_by(consent_entry.c.made_at.desc(), consent_entry.c.id.desc())).all()
    return [_entry(row) for row in rows]


def entry_by_receipt(conn: Connection, receipt_id: str) -> Entry | None:
    """The entry a receipt id names, if any."""
    row = conn.execute(select(consent_entry).where(consent_entry.c.receipt_id == receipt_id)).first()
    return _entry(row) if row else None


def receipt_json(conn: Connection, entry: Entry, public_base_url: str) -> dict[str, Any]:
    """The Kantara Consent Receipt of a recorded choice, under the policy version it was recorded under;
    ValueError when that version is no longer stored."""
    version = policies.by_hash(conn, entry.policy_version)
    if version is None:
        raise ValueError(f"the policy version {entry.policy_version[:12]} is not stored")
    policy = version.compiled()
    rules = purpose_rules(conn, policy, version.effective_at)
    principal = entry.subject or conn.execute(select(account.c.ref).where(account.c.id == entry.account_id)).scalar()
    return consent_receipt(entry, policy, rules[entry.purpose], principal_id=str(principal),
                           public_base_url=public_base_url)


def purpose_rules(conn: Connection, policy: CompiledPolicy, now: datetime) -> Mapping[str, PurposeRule]:
    """The purpose rules of `policy`, comparing wording with the versions in force before it."""
    earlier = _earlier_versions(conn, policy, now)
    key = (policy.version_hash, *(version.version_hash for version in earlier))
    with _rules_lock:
        found = _rules_cache.get(key)
    if found is None:
        documents: list[PolicyDocument] = [version.compiled().document for version in reversed(earlier)]
        found = compile_rules(policy, documents)
        with _rules_lock:
            _rules_cache[key] = found
    return found


def _earlier_versions(conn: Connection, policy: CompiledPolicy, now: datetime) -> list[policies.PolicyVersion]:
    """Versions in force before `policy`, newest first, without repeats of the same text."""
    earlier: list[policies.PolicyVersion] = []
    seen = {policy.version_hash}
    started = False
    for version in policies.history(conn):
        if version.effective_at > now:
            continue
        if version.version_hash == policy.version_hash:
            started = True
            continue
        if started and version.version_hash not in seen and len(earlier) < _EARLIER_VERSIONS:
            seen.add(version.version_hash)
            earlier.append(version)
    return earlier


def load_snapshot(conn: Connection, policy: CompiledPolicy, now: datetime, account_id: int | None = None, *,
                  purposes: Sequence[str] | None = None, medium: str | None = None) -> ConsentSnapshot:
    """Compile the snapshot of every choice made and notice sent by `now` (of one account, if given), under
    `policy`'s rules. Times are read raw and parsed once (SQLite keeps text), rows in recording order.

    `purposes` and `medium` narrow what is read to what `allowed(..., purpose, at, medium)` for those purposes
    needs: their accounts' choices for `medium` and for `any` (a web visitor's choices of those purposes, of
    every medium), and the CPNI notices only when one of them uses CPNI. The snapshot answers only those.
    Streaming (the whole ledger) is a per-statement option: the caller's connection is left as it was, so a later
    INSERT in the same transaction works on PostgreSQL."""
    rules = purpose_rules(conn, policy, now)
    if purposes is not None:
        rules = {name: rules[name] for name in purposes if name in rules}
    snapshot = ConsentSnapshot(rules, now, MEDIA if medium is None else ("any", medium))
    raw = [type_coerce(column, Text) for column in (consent_entry.c.made_at, consent_entry.c.valid_until)]
    columns = (consent_entry.c.account_id, consent_entry.c.subject, consent_entry.c.purpose, consent_entry.c.medium,
               consent_entry.c.choice, raw[0], consent_entry.c.text_sha256, raw[1])
    query = select(*columns).where(consent_entry.c.made_at <= now).order_by(consent_entry.c.id)
    notice_query = (select(cpni_notice.c.account_id, cpni_notice.c.sent_at).where(cpni_notice.c.sent_at <= now)
                    .order_by(cpni_notice.c.sent_at, cpni_notice.c.id))
    if account_id is not None:
        query = query.where(consent_entry.c.account_id == account_id)
        notice_query = notice_query.where(cpni_notice.c.account_id == account_id)
    if purposes is not None:
        query = query.where(consent_entry.c.purpose.in_(list(purposes)))
    queries = [query]
    if medium is not None:  # accounts' choices of the medium and `any` (by the index); web visitors' of any
        queries = [query.where(consent_entry.c.medium.in_(sorted({"any", medium})),
                               consent_entry.c.account_id.is_not(None)),
                   query.where(consent_entry.c.account_id.is_(None))]
    read_time = _read_stored_time if conn.dialect.name == "sqlite" else _read_aware_time
    # The whole ledger streams; a narrowed read is a fraction of it, fetched at once: PostgreSQL plans a cursor for
    # its first rows (a walk of the whole table in id order) rather than through the (purpose, medium) index.
    streamed = {"stream_results": True, "yield_per": 100_000} if purposes is None and account_id is None else {}
    for one in queries:
        result = conn.execute(one, execution_options=streamed)
        for partition in result.partitions(100_000):
            snapshot.add_choices(partition, read_time)
    if any(rule.uses_cpni for rule in rules.values()):
        for notified, sent_at in conn.execute(notice_query):
            snapshot.add_notice(notified, sent_at)
    return snapshot


def _read_stored_time(text: str) -> datetime:
    """SQLite's stored UTC text ("2026-01-01 12:00:00.000000") as an aware datetime."""
    return datetime.fromisoformat(text + "+00:00")  # ten times faster than .replace(tzinfo=UTC)


def _read_aware_time(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _entry(row: object) -> Entry:
    mapping = dict(row._mapping)  # type: ignore[attr-defined]
    return Entry(**mapping)
