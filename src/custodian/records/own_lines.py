"""The line of a record: the blind index of the account's own number on a call, fax, SMS or content item.

Particularity (Fourth Amendment; SpectrumVoIP DRG V: "a given telephone number may be assigned to many
different users"): a warrant for one number of a forty-extension account reaches that line's records only, so
every record row carries `own_number_bidx` (the same blind index number_assignment uses; no plaintext).
Writers fill it on import; `backfill` fills rows stored before the column existed, with the runtime's keyring
(a migration cannot decrypt). A row whose line cannot be known stays NULL and is withheld from number-targeted
productions (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, update

from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.kernel.progress import Progress, SilentProgress
from custodian.records import payload
from custodian.records.rules import HeldLine, sole_line_at
from custodian.records.tables import account, call_log, content_item, fax_log, number_assignment, sms_log

BACKFILL_PHASE = "record lines"
LOG_TABLES = ((call_log, "started_at"), (fax_log, "occurred_at"), (sms_log, "sent_at"))


class OwnLines:
    """Blind indexes of own numbers and each account's number history, cached for one import or run."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self._tokens: dict[str, bytes] = {}
        self._held: dict[int, list[HeldLine]] = {}

    def of_number(self, conn: Connection, number: str) -> bytes | None:
        """The line of an E.164 own number; None for anything else (an extension, a blank): unknown."""
        if not number.startswith("+"):
            return None
        token = self._tokens.get(number)
        if token is None:
            token = self._tokens[number] = self.keyring.blind_index(conn, "number", number)
        return token

    def sole_line(self, conn: Connection, account_id: int, moment: datetime) -> bytes | None:
        """The account's only number at `moment` (content names only the counterpart), else None."""
        held = self._held.get(account_id)
        if held is None:
            rows = conn.execute(select(number_assignment.c.number_bidx, number_assignment.c.assigned_from,
                                       number_assignment.c.assigned_to)
                                .where(number_assignment.c.account_id == account_id)).all()
            held = self._held[account_id] = [HeldLine(bytes(r[0]), r[1], r[2]) for r in rows]
        return sole_line_at(held, moment)

    def own_or_sole(self, conn: Connection, account_id: int, own: str, moment: datetime) -> bytes | None:
        """The line of the own number when it is one, else the account's sole line at that moment."""
        return self.of_number(conn, own) or self.sole_line(conn, account_id, moment)


@dataclass
class BackfillReport:
    """Rows given a line, and rows left unknown (NULL), per table."""

    filled: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, filled: int, unknown: int) -> None:
        """Count one account's rows of one table."""
        self.filled[table] = self.filled.get(table, 0) + filled
        self.unknown[table] = self.unknown.get(table, 0) + unknown


def backfill(engine: Engine, keyring: Keyring, progress: Progress | None = None) -> BackfillReport:
    """Fill `own_number_bidx` where it is NULL, one account per transaction (an interrupted run resumes where
    rows are still NULL). Logs: from their decrypted own number; content: an SMS body from its log entry,
    anything else from the account's sole number at that time; crypto-shredded accounts are skipped.
    `progress` hears of the accounts looked at (phase "record lines")."""
    report, progress = BackfillReport(), progress or SilentProgress()
    lines = OwnLines(keyring)
    with engine.connect() as conn:
        account_ids = list(conn.execute(select(account.c.id).order_by(account.c.id)).scalars())
    progress.begin(BACKFILL_PHASE, len(account_ids))
    for account_id in account_ids:
        progress.advance(BACKFILL_PHASE, 1)
        with transaction(engine) as conn:
            try:
                cipher = keyring.cipher(conn, account_id)
            except AccountShredded:
                continue
            for table, time_col in LOG_TABLES:
                _fill_logs(conn, lines, cipher, account_id, table, time_col, report)
            _fill_content(conn, lines, account_id, report)
    return report


def _fill_logs(conn: Connection, lines: OwnLines, cipher: Any, account_id: int, table: Any, time_col: str,
               report: BackfillReport) -> None:
    aad = payload.aad(table.name, "payload", account_id)
    rows = conn.execute(select(table.c[time_col], table.c.record_key, table.c.payload_enc).where(
        table.c.account_id == account_id, table.c.own_number_bidx.is_(None))).all()
    found = []
    for moment, key, sealed in rows:
        own = cipher.open(sealed, aad).split(payload.SEPARATOR, 1)[0]
        found.append((moment, key, lines.own_or_sole(conn, account_id, own, moment)))
    _store(conn, table, time_col, account_id, found, report)


def _fill_content(conn: Connection, lines: OwnLines, account_id: int, report: BackfillReport) -> None:
    rows = conn.execute(select(content_item.c.occurred_at, content_item.c.record_key, content_item.c.kind).where(
        content_item.c.account_id == account_id, content_item.c.own_number_bidx.is_(None))).all()
    if not rows:
        return
    logged = dict(conn.execute(select(sms_log.c.record_key, sms_log.c.own_number_bidx).where(
        sms_log.c.account_id == account_id, sms_log.c.own_number_bidx.is_not(None))).all())
    found = []
    for moment, key, kind in rows:
        line = logged.get(key) if kind == "sms_body" else None  # an SMS body shares its log entry's key
        found.append((moment, key, line or lines.sole_line(conn, account_id, moment)))
    _store(conn, content_item, "occurred_at", account_id, found, report)


def _store(conn: Connection, table: Any, time_col: str, account_id: int,
           found: list[tuple[datetime, bytes, bytes | None]], report: BackfillReport) -> None:
    known = [{"a": account_id, "t": moment, "k": key, "line": line} for moment, key, line in found if line]
    if known:
        conn.execute(update(table).where(table.c.account_id == bindparam("a"), table.c[time_col] == bindparam("t"),
                                         table.c.record_key == bindparam("k"))
                     .values(own_number_bidx=bindparam("line")), known)
    report.add(table.name, len(known), len(found) - len(known))
