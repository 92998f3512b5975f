"""The legal desk's own data key: requester documents and uploaded instruments belong to no subscriber
account, so they are sealed with a desk key wrapped by the master key (rotated with it by
Keyring.rewrap_all, which re-wraps every keyring secret)."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from custodian.crypto import envelope
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.crypto.tables import keyring_secret
from custodian.kernel.clock import utcnow

DESK_SECRET = "legal_desk"
# Blobs of the desk are bound to this owner id in their AAD (subscriber accounts are positive ids).
DESK_OWNER = 0


def desk_cipher(conn: Connection, keyring: Keyring) -> FieldCipher:
    """The desk's cipher, creating its key on first use.

    Two first submissions at once (two server processes) both find no key: the insert that loses waits
    for the winner's commit, does nothing, and the loser reads the winner's key."""
    lookup = select(keyring_secret.c.wrapped_key).where(keyring_secret.c.name == DESK_SECRET)
    wrapped = conn.execute(lookup).scalar_one_or_none()
    context = DESK_SECRET.encode()
    if wrapped is None:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(keyring_secret).values(
            name=DESK_SECRET, wrapped_key=envelope.wrap_key(keyring.master_key, envelope.new_key(), context),
            master_key_id=keyring.master_key_id, created_at=utcnow()).on_conflict_do_nothing())
        wrapped = conn.execute(lookup).scalar_one()
    return FieldCipher(envelope.unwrap_key(keyring.master_key, wrapped, context))
