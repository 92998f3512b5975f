"""The legal desk's own data key: requester documents and uploaded instruments belong to no subscriber
account, so they are sealed with a desk key wrapped by the master key (rotated with it by
Keyring.rewrap_all, which re-wraps every keyring secret)."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from custodian.crypto import envelope
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.crypto.tables import keyring_secret
from custodian.kernel.clock import utcnow

DESK_SECRET = "legal_desk"
# Blobs of the desk are bound to this owner id in their AAD (subscriber accounts are positive ids).
DESK_OWNER = 0


def desk_cipher(conn: Connection, keyring: Keyring) -> FieldCipher:
    """The desk's cipher, creating its key on first use."""
    row = conn.execute(select(keyring_secret).where(keyring_secret.c.name == DESK_SECRET)).first()
    context = DESK_SECRET.encode()
    if row is None:
        key = envelope.new_key()
        conn.execute(insert(keyring_secret).values(
            name=DESK_SECRET, wrapped_key=envelope.wrap_key(keyring.master_key, key, context),
            master_key_id=keyring.master_key_id, created_at=utcnow()))
    else:
        key = envelope.unwrap_key(keyring.master_key, row.wrapped_key, context)
    return FieldCipher(key)
