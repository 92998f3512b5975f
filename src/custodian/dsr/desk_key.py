"""The request desk's own data key: a requester's details belong to no subscriber account until verified,
so they are sealed with a key wrapped by the master key (rotated with it by Keyring.rewrap_all)."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from custodian.crypto import envelope
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.crypto.tables import keyring_secret
from custodian.kernel.clock import utcnow

DSR_SECRET = "privacy_requests"
# Authorization uploads are bound to this owner id in their AAD (subscriber accounts are positive ids,
# the legal desk is 0).
DSR_OWNER = -1


def dsr_cipher(conn: Connection, keyring: Keyring) -> FieldCipher:
    """The request desk's cipher, creating its key on first use."""
    row = conn.execute(select(keyring_secret).where(keyring_secret.c.name == DSR_SECRET)).first()
    context = DSR_SECRET.encode()
    if row is None:
        key = envelope.new_key()
        conn.execute(insert(keyring_secret).values(
            name=DSR_SECRET, wrapped_key=envelope.wrap_key(keyring.master_key, key, context),
            master_key_id=keyring.master_key_id, created_at=utcnow()))
        return FieldCipher(key)
    return FieldCipher(envelope.unwrap_key(keyring.master_key, row.wrapped_key, context))
