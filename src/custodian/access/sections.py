"""What each permitted record class shows a staff member, as a person reads it: the customer's numbers with
their periods, E911 locations, the comment log, call, fax and SMS detail, content items (never their
content), billing. Lists show 25 rows a page inside an optional time window; masks apply before display.
Only access.reading calls these, after `decide` permitted the class."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select

from custodian.access import masking
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.records import payload
from custodian.records import store as records
from custodian.records.tables import (
    billing_transaction,
    call_log,
    comment_log,
    content_item,
    e911_address,
    fax_log,
    number_assignment,
    payment_instrument,
    sms_log,
)

ROWS_SHOWN = 25
Cell = str | int | datetime | None
NO_STORE = "Custodian keeps no records of this kind; they stay in the provider's own systems."


@dataclass(frozen=True)
class RowWindow:
    """Which rows the lists show: a time window [start, end) and a page (from 1) per record class."""

    start: datetime | None = None
    end: datetime | None = None
    pages: Mapping[str, int] = field(default_factory=dict)
    per_page: int = ROWS_SHOWN

    def page(self, record_class: str) -> int:
        """The page asked for of one class's list."""
        return max(1, self.pages.get(record_class, 1))


@dataclass(frozen=True)
class Section:
    """What one permitted record class shows: labelled fields, one page of rows, counts, or a note."""

    fields: tuple[tuple[str, str], ...] = ()
    rows: tuple[dict[str, Cell], ...] = ()
    count: int | None = None  # records of the class in all
    matching: int | None = None  # records inside the time window (the list pages through these)
    page: int = 1
    per_page: int = ROWS_SHOWN
    note: str = ""

    @property
    def pages(self) -> int:
        """How many pages the rows inside the window fill."""
        return max(1, -(-(self.matching or 0) // self.per_page))


Reader = Callable[[Connection, Keyring, int, str | None, RowWindow], Section]


def _listed(conn: Connection, table: Any, time_col: str, account_id: int, window: RowWindow, record_class: str,
            *where: Any) -> tuple[list[Any], int, int, int]:
    """(rows of the page, count inside the window, count in all, page) of one class, newest first."""
    column = table.c[time_col]
    scope = [table.c.account_id == account_id, *where]
    timed = scope + ([column >= window.start] if window.start else []) + ([column < window.end] if window.end else [])
    matching = _count(conn, table, timed)
    page = min(window.page(record_class), max(1, -(-matching // window.per_page)))
    query: Select[Any] = (select(table).where(*timed).order_by(column.desc())
                          .offset((page - 1) * window.per_page).limit(window.per_page))
    return list(conn.execute(query)), matching, _count(conn, table, scope), page


def _count(conn: Connection, table: Any, where: list[Any]) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def _open(cipher: FieldCipher, sealed: bytes | None, table: str, column: str, account_id: int) -> str:
    return cipher.open(sealed, payload.aad(table, column, account_id)) if sealed else ""


def subscriber(conn: Connection, keyring: Keyring, account_id: int, mask: str | None, window: RowWindow) -> Section:
    """The account holder's details."""
    view = records.read_account(conn, keyring, account_id)
    address = view.address
    postal = ", ".join(p for p in (address.street, address.city, address.state, address.postal_code) if p) \
        if address else ""
    return Section(fields=(("Account", view.ref), ("Kind", view.kind.replace("_", " ")),
                           ("Status", view.status.replace("_", " ")), ("Company", view.company),
                           ("Name", f"{view.first_name} {view.last_name}".strip()), ("E-mail", view.email),
                           ("Contact phone", view.contact_phone), ("Address", postal)))


def calls(conn: Connection, keyring: Keyring, account_id: int, mask: str | None, window: RowWindow) -> Section:
    """Call detail records: when, which way, the other party (masked as decided), billed seconds, outcome."""
    rows, matching, total, page = _listed(conn, call_log, "started_at", account_id, window, "cpni.call_log")
    cipher = keyring.cipher(conn, account_id)
    shown = []
    for row in rows:
        detail = masking.masked_detail(payload.decode(payload.CALL_FIELDS, _open(cipher, row.payload_enc, "call_log",
                                                                                   "payload", account_id)), mask)
        shown.append({"started": row.started_at, "direction": row.direction, "own_number": detail.get("own", ""),
                      "other_party": detail.get("counterpart", ""), "billed_seconds": row.billsec_s,
                      "outcome": row.disposition.lower()})
    return Section(rows=tuple(shown), count=total, matching=matching, page=page, per_page=window.per_page)


def _message_log(table: Any, time_col: str, fields: tuple[str, ...], record_class: str, extra: str) -> Reader:
    def read(conn: Connection, keyring: Keyring, account_id: int, mask: str | None, window: RowWindow) -> Section:
        rows, matching, total, page = _listed(conn, table, time_col, account_id, window, record_class)
        cipher = keyring.cipher(conn, account_id)
        shown = []
        for row in rows:
            detail = masking.masked_detail(payload.decode(fields, _open(cipher, row.payload_enc, table.name, "payload",
                                                                        account_id)), mask)
            shown.append({"when": getattr(row, time_col), "direction": row.direction,
                          "own_number": detail.get("own", ""), "other_party": detail.get("counterpart", ""),
                          extra: getattr(row, extra)})
        return Section(rows=tuple(shown), count=total, matching=matching, page=page, per_page=window.per_page)
    return read


def numbers(conn: Connection, keyring: Keyring, account_id: int, mask: str | None, window: RowWindow) -> Section:
    """The telephone numbers assigned to the account, each with its period."""
    rows, matching, total, page = _listed(conn, number_assignment, "assigned_from", account_id, window,
                                          "numbers.assignments")
    cipher = keyring.cipher(conn, account_id)
    shown = tuple({"number": _open(cipher, r.number_enc, "number_assignment", "number", account_id),
                   "extension": r.extension or "", "assigned_from": r.assigned_from,
                   "assigned_until": r.assigned_to or "still assigned", "carrier": r.carrier or ""} for r in rows)
    return Section(rows=shown, count=total, matching=matching, page=page, per_page=window.per_page)


def e911(conn: Connection, keyring: Keyring, account_id: int, mask: str | None, window: RowWindow) -> Section:
    """The registered E911 location of each number, newest registration first."""
    rows, matching, total, page = _listed(conn, e911_address, "registered_at", account_id, window,
                                          "location.e911_address")
    cipher = keyring.cipher(conn, account_id)
    lines = {r.number_bidx: _open(cipher, r.number_enc, "number_assignment", "number", account_id)
             for r in conn.execute(select(number_assignment).where(number_assignment.c.account_id == account_id))}
    shown = []
    for r in rows:
        parts = [_open(cipher, getattr(r, f"{name}_enc"), "e911_address", name, account_id)
                 for name in ("street", "city", "state", "postal_code")]
        shown.append({"number": lines.get(r.number_bidx, "a number no longer on the account"),
                      "location": ", ".join(p for p in (*parts, r.country) if p), "registered": r.registered_at})
    return Section(rows=tuple(shown), count=total, matching=matching, page=page, per_page=window.per_page)


def comments(conn: Connection, keyring: Keyring, account_id: int, mask: str | None, window: RowWindow) -> Section:
    """The support comment log: when, who wrote it, what it says."""
    rows, matching, total, page = _listed(conn, comment_log, "written_at", account_id, window, "support.comment_log")
    cipher = keyring.cipher(conn, account_id)
    shown = tuple({"written": r.written_at, "author": r.author,
                   "comment": _open(cipher, r.text_enc, "comment_log", "text", account_id)} for r in rows)
    return Section(rows=shown, count=total, matching=matching, page=page, per_page=window.per_page)


def transactions(conn: Connection, keyring: Keyring, account_id: int, mask: str | None,
                 window: RowWindow) -> Section:
    """Billing transactions: date, reference, amount, method and state."""
    rows, matching, total, page = _listed(conn, billing_transaction, "occurred_at", account_id, window,
                                          "billing.transactions")
    shown = tuple({"date": r.occurred_at, "reference": r.reference or "(de-identified)",
                   "amount": f"{r.amount_cents / 100:,.2f} {r.currency}", "method": r.method.replace("_", " "),
                   "state": r.state.replace("_", " ")} for r in rows)
    return Section(rows=shown, count=total, matching=matching, page=page, per_page=window.per_page)


def cards(conn: Connection, keyring: Keyring, account_id: int, mask: str | None, window: RowWindow) -> Section:
    """Payment cards on file: brand and last four digits (never the number)."""
    rows = conn.execute(select(payment_instrument.c.brand, payment_instrument.c.last4)
                        .where(payment_instrument.c.account_id == account_id)).all()
    return Section(rows=tuple({"brand": r.brand, "card": masking.last_four(r.last4)} for r in rows))


def content_items(kind: str) -> Reader:
    """A content class listed by date, direction, type and size; the content itself is never shown here."""
    record_class = f"content.{kind}"

    def read(conn: Connection, keyring: Keyring, account_id: int, mask: str | None, window: RowWindow) -> Section:
        rows, matching, total, page = _listed(conn, content_item, "occurred_at", account_id, window, record_class,
                                              content_item.c.kind == kind)
        shown = tuple({"when": r.occurred_at, "direction": r.direction, "type": r.media_type or "",
                       "size": f"{r.size_bytes:,} bytes" if r.size_bytes else ""} for r in rows)
        return Section(rows=shown, count=total, matching=matching, page=page, per_page=window.per_page)
    return read


READERS: dict[str, Reader] = {
    "subscriber.basic": subscriber,
    "cpni.call_log": calls,
    "cpni.fax_log": _message_log(fax_log, "occurred_at", payload.FAX_FIELDS, "cpni.fax_log", "pages"),
    "cpni.sms_log": _message_log(sms_log, "sent_at", payload.SMS_FIELDS, "cpni.sms_log", "segments"),
    "numbers.assignments": numbers,
    "location.e911_address": e911,
    "support.comment_log": comments,
    "billing.transactions": transactions,
    "billing.payment_instrument": cards,
    **{f"content.{kind}": content_items(kind) for kind in ("voice_message", "call_recording", "fax_incoming",
                                                           "fax_outgoing", "sms_body", "chat")},
}
