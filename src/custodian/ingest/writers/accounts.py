"""Writing accounts: an existing reference is a duplicate, never overwritten."""

from __future__ import annotations

from sqlalchemy import Connection

from custodian.crypto.keyring import Keyring
from custodian.ingest.records import AccountRow
from custodian.ingest.writers import BatchResult
from custodian.records import store


class AccountWriter:
    """Creates each new account with its own data key."""

    record_classes = ("subscriber.basic",)

    def __init__(self, keyring: Keyring, **_: object) -> None:
        self.keyring = keyring

    def write(self, conn: Connection, batch: list[tuple[int, AccountRow]]) -> BatchResult:
        result = BatchResult()
        for _line, row in batch:
            if store.account_id_by_ref(conn, row.account.ref) is not None:
                result.duplicates += 1
                continue
            store.create_account(conn, self.keyring, row.account)
            result.imported += 1
        return result
