"""Accounts with usage, analysts and abuse tickets, for the abuse desk's tests."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Engine, insert

from custodian.access.store import Ticket, insert_ticket, ticket_by_id
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.db.partitions import ensure_partition
from custodian.policy.check import check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.records import payload
from custodian.records.tables import call_log, number_assignment, sms_log
from custodian.staff.store import staff_by_username
from tests.builders.records import an_account
from tests.builders.retention import SPECTRUMVOIP, a_key
from tests.builders.staff import new_member

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
DAY = NOW - timedelta(days=3)  # the day the usage happened: inside the 30-day window


def spectrumvoip_text(abuse: str = "") -> str:
    """SpectrumVoIP's policy file (seed 002), its `abuse:` section replaced by `abuse` when given."""
    text = SPECTRUMVOIP.read_text(encoding="utf-8")
    if not abuse:
        return text
    start = text.index("\nabuse:\n") + 1
    end = text.index("\n\n", start) + 2
    return text[:start] + abuse + "\n" + text[end:]


@cache
def spectrumvoip(abuse: str = "") -> CompiledPolicy:
    """SpectrumVoIP's compiled policy, its `abuse:` section replaced by `abuse` when given."""
    text = spectrumvoip_text(abuse)
    result = check_text(text)
    assert result.valid and result.document is not None, [p.message for p in result.problems]
    return compile_policy(result.document, text)


def number_of(ref: str, index: int) -> str:
    """A distinct NANP number for the account's `index`-th line."""
    return f"+1512{zlib.crc32(ref.encode()) % 900 + 100:03d}{index:04d}"


def an_account_with_usage(engine: Engine, keyring: Keyring, ref: str, *, kind: str = "residential", numbers: int = 1,
                          calls: int = 0, seconds: int = 60, messages: int = 0, direction: str = "out",
                          day: datetime = DAY) -> int:
    """An account holding `numbers` numbers with `calls` calls (each `seconds` billed) and `messages` messages
    in `direction` on `day` (three days before NOW); return its id."""
    account_id = an_account(engine, keyring, ref=ref, kind=kind, company="Example Co" if kind == "business" else "")
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
        for index in range(numbers):
            number = number_of(ref, index)
            conn.execute(insert(number_assignment).values(
                account_id=account_id, number_bidx=keyring.blind_index(conn, "number", number),
                number_enc=cipher.seal(number, payload.aad("number_assignment", "number", account_id)),
                assigned_from=NOW - timedelta(days=400), created_at=NOW - timedelta(days=400)))
        ensure_partition(conn, "call_log", day)
        ensure_partition(conn, "sms_log", day)
        if calls:
            conn.execute(insert(call_log), [
                {"account_id": account_id, "started_at": day + timedelta(seconds=i), "record_key": a_key(ref, "c", i),
                 "direction": direction, "source_format": "test", "duration_s": seconds, "billsec_s": seconds,
                 "disposition": "ANSWERED", "payload_enc": b"x"} for i in range(calls)])
        if messages:
            conn.execute(insert(sms_log), [
                {"account_id": account_id, "sent_at": day + timedelta(seconds=i), "record_key": a_key(ref, "s", i),
                 "direction": direction, "segments": 1, "payload_enc": b"x"} for i in range(messages)])
    return account_id


def an_abuse_ticket(engine: Engine, master_key: bytes, account_id: int, *, username: str = "abuse-ana",
                    topic: str = "abuse", now: datetime = NOW) -> Ticket:
    """An abuse analyst (created if need be) with an open ticket on the account."""
    with transaction(engine) as conn:
        member = staff_by_username(conn, username)
    staff_id = member.id if member else new_member(engine, master_key, username, role="abuse_analyst",
                                                   roles=("abuse_analyst", "privacy_officer")).staff_id
    with transaction(engine) as conn:
        ticket_id = insert_ticket(conn, staff_id=staff_id, account_id=account_id, topic=topic, channel="email",
                                  summary="usage above peers", opened_at=now - timedelta(hours=1),
                                  expires_at=now + timedelta(hours=7))
        found = ticket_by_id(conn, ticket_id)
    assert found is not None
    return found
