"""Resolving request targets to accounts and windows through the record store (blind indexes only:
no personal field is decrypted to find a subscriber)."""

from __future__ import annotations

from sqlalchemy import Connection

from custodian.crypto.keyring import Keyring
from custodian.kernel.phone import to_e164
from custodian.legal.scope import Match, Window, intersect_assignments, merge_matches, whole_window
from custodian.legal.types import Target
from custodian.records import store as records


def scope_number(conn: Connection, keyring: Keyring, number: str, window: Window) -> list[Match]:
    """Every account that held `number` during `window`, with the overlap, limited to that line (raises
    InvalidPhoneNumber)."""
    token = line_of(conn, keyring, number)
    return intersect_assignments(records.assignments_of(conn, token), window, line=token)


def line_of(conn: Connection, keyring: Keyring, number: str) -> bytes:
    """The blind index naming a number's line (the one number_assignment and the record tables carry)."""
    return keyring.blind_index(conn, "number", to_e164(number))


def scope_targets(conn: Connection, keyring: Keyring, targets: list[Target], window: Window) -> list[Match]:
    """The matches of every identifying target, merged per account."""
    found: list[Match] = []
    for target in targets:
        if target.phone_number:
            found.extend(scope_number(conn, keyring, target.phone_number, window))
        if target.account_ref:
            account_id = records.account_id_by_ref(conn, target.account_ref)
            found.extend(whole_window([account_id] if account_id is not None else [], window))
        if target.email:
            found.extend(whole_window(records.accounts_by_email(conn, keyring, target.email), window))
    return merge_matches(found)
