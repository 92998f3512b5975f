"""Writing accounts: an existing reference is a duplicate, never overwritten; a reference a closure purge replaced
is refused by line (the purged customer does not come back)."""

from __future__ import annotations

from sqlalchemy import Connection

from custodian.crypto.keyring import Keyring
from custodian.ingest.records import AccountRow
from custodian.ingest.writers import BatchResult
from custodian.records import store
from custodian.retention import deidentify


class AccountWriter:
    """Creates each new account with its own data key."""

    record_classes = ("subscriber.basic",)

    def __init__(self, keyring: Keyring, **_: object) -> None:
        self.keyring = keyring

    def write(self, conn: Connection, batch: list[tuple[int, AccountRow]]) -> BatchResult:
        result = BatchResult()
        for line, row in batch:
            if store.account_id_by_ref(conn, row.account.ref) is not None:
                result.duplicates += 1
                continue
            if deidentify.purged_account_of(conn, self.keyring, row.account.ref) is not None:
                result.errors.append((line, "account_ref: this account was closed and its data purged under the "
                                            "retention schedule; it is not imported again"))
                continue
            store.create_account(conn, self.keyring, row.account)
            result.imported += 1
        return result
