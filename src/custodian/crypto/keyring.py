"""The keyring: per-account data keys wrapped by the master key, blind-index key, crypto-shredding."""

from __future__ import annotations

import hmac

from sqlalchemy import Connection, insert, select, update

from custodian.backup.deletions import record_shred
from custodian.crypto import envelope
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.tables import account_key, keyring_secret
from custodian.kernel.clock import utcnow

BLIND_INDEX_SECRET = "blind_index"


class AccountShredded(LookupError):
    """The account's data key was destroyed: its personal data can never be read again."""


class KeyMismatch(RuntimeError):
    """Stored keys were wrapped by a different master key than the one loaded."""


class Keyring:
    """Opens data keys for one unit of work (a request, an import). Cheap to create; caches per instance."""

    def __init__(self, master_key: bytes) -> None:
        self._master = master_key
        self.master_key_id = envelope.key_id(master_key)
        self._ciphers: dict[int, FieldCipher] = {}
        self._index_key: bytes | None = None

    @property
    def master_key(self) -> bytes:
        """The master key, for handing to this import's own worker processes (never logged or stored)."""
        return self._master

    def create_account_key(self, conn: Connection, account_id: int) -> FieldCipher:
        """Give a new account its own data key; return its cipher."""
        data_key = envelope.new_key()
        conn.execute(
            insert(account_key).values(
                account_id=account_id,
                wrapped_key=envelope.wrap_key(self._master, data_key, _context(account_id)),
                master_key_id=self.master_key_id,
                created_at=utcnow(),
            )
        )
        cipher = FieldCipher(data_key)
        self._ciphers[account_id] = cipher
        return cipher

    def cipher(self, conn: Connection, account_id: int) -> FieldCipher:
        """Return the field cipher of `account_id`; raise AccountShredded if its key is gone."""
        cached = self._ciphers.get(account_id)
        if cached is not None:
            return cached
        row = conn.execute(
            select(account_key.c.wrapped_key, account_key.c.master_key_id).where(
                account_key.c.account_id == account_id
            )
        ).first()
        if row is None or row.wrapped_key is None:
            raise AccountShredded(f"account {account_id} has no data key (crypto-shredded)")
        self._check_master(row.master_key_id)
        data_key = envelope.unwrap_key(self._master, row.wrapped_key, _context(account_id))
        cipher = FieldCipher(data_key)
        self._ciphers[account_id] = cipher
        return cipher

    def preload(self, conn: Connection, account_ids: list[int]) -> None:
        """Open the data keys of many accounts in one query (bulk readers); shredded ones stay closed, so
        `cipher` still raises AccountShredded for them."""
        wanted = [a for a in account_ids if a not in self._ciphers]
        if not wanted:
            return
        rows = conn.execute(select(account_key.c.account_id, account_key.c.wrapped_key, account_key.c.master_key_id)
                            .where(account_key.c.account_id.in_(wanted), account_key.c.wrapped_key.is_not(None)))
        for account_id, wrapped, master_key_id in rows:
            self._check_master(master_key_id)
            self._ciphers[account_id] = FieldCipher(envelope.unwrap_key(self._master, wrapped, _context(account_id)))

    def index_key(self, conn: Connection) -> bytes:
        """Return the blind-index key, creating it on first use."""
        if self._index_key is not None:
            return self._index_key
        row = conn.execute(
            select(keyring_secret).where(keyring_secret.c.name == BLIND_INDEX_SECRET)
        ).first()
        if row is None:
            key = envelope.new_key()
            conn.execute(
                insert(keyring_secret).values(
                    name=BLIND_INDEX_SECRET,
                    wrapped_key=envelope.wrap_key(self._master, key, BLIND_INDEX_SECRET.encode()),
                    master_key_id=self.master_key_id,
                    created_at=utcnow(),
                )
            )
        else:
            self._check_master(row.master_key_id)
            key = envelope.unwrap_key(self._master, row.wrapped_key, BLIND_INDEX_SECRET.encode())
        self._index_key = key
        return key

    def verify(self, conn: Connection) -> None:
        """Raise KeyMismatch unless the loaded master key is the one the stored keys are wrapped by (reads only).

        Commands that write call this first, so a wrong key stops them before anything is written; an import
        checks the same way when it opens the blind-index key.
        """
        stored = conn.execute(select(keyring_secret.c.master_key_id)
                              .where(keyring_secret.c.name == BLIND_INDEX_SECRET)).scalar()
        if stored is None:
            stored = conn.execute(select(account_key.c.master_key_id)
                                  .where(account_key.c.master_key_id.is_not(None)).limit(1)).scalar()
        self._check_master(stored)

    def record_key_secret(self, conn: Connection) -> bytes:
        """The secret that keys import record identities (derived from the blind-index key)."""
        return hmac.digest(self.index_key(conn), b"record-key:v1", "sha256")

    def blind_index(self, conn: Connection, kind: str, value: str) -> bytes:
        """Exact-match token for a normalised value (an E.164 number, a lower-cased e-mail)."""
        return envelope.blind_index(self.index_key(conn), kind, value)

    def shred(self, conn: Connection, account_id: int) -> bool:
        """Destroy the account's data key; return False if it was already shredded."""
        result = conn.execute(
            update(account_key)
            .where(account_key.c.account_id == account_id, account_key.c.wrapped_key.is_not(None))
            .values(wrapped_key=None, master_key_id=None, shredded_at=utcnow())
        )
        self._ciphers.pop(account_id, None)
        if result.rowcount:
            record_shred(conn, account_id)  # the deletion log: a restored backup destroys the key again
        return bool(result.rowcount)

    def rewrap_all(self, conn: Connection, new_master: bytes) -> int:
        """Re-wrap every data key and secret under `new_master`; return how many keys moved."""
        new_id = envelope.key_id(new_master)
        moved = 0
        rows = conn.execute(
            select(account_key.c.account_id, account_key.c.wrapped_key, account_key.c.master_key_id).where(
                account_key.c.wrapped_key.is_not(None)
            )
        ).all()
        for row in rows:
            self._check_master(row.master_key_id)
            context = _context(row.account_id)
            data_key = envelope.unwrap_key(self._master, row.wrapped_key, context)
            conn.execute(
                update(account_key)
                .where(account_key.c.account_id == row.account_id)
                .values(wrapped_key=envelope.wrap_key(new_master, data_key, context), master_key_id=new_id)
            )
            moved += 1
        for secret in conn.execute(select(keyring_secret)).all():
            self._check_master(secret.master_key_id)
            context = secret.name.encode()
            key = envelope.unwrap_key(self._master, secret.wrapped_key, context)
            conn.execute(
                update(keyring_secret)
                .where(keyring_secret.c.name == secret.name)
                .values(wrapped_key=envelope.wrap_key(new_master, key, context), master_key_id=new_id)
            )
            moved += 1
        return moved

    def _check_master(self, stored_id: str | None) -> None:
        if stored_id is not None and stored_id != self.master_key_id:
            raise KeyMismatch(
                f"keys were wrapped by master key {stored_id}, but master key {self.master_key_id} is loaded"
            )


def _context(account_id: int) -> bytes:
    return f"account:{account_id}".encode()
