"""The keyring: a data key per account, master-key rotation, crypto-shredding (both databases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from custodian.crypto import envelope
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import DecryptionFailed, FieldCipher
from custodian.crypto.keyring import AccountShredded, KeyMismatch, Keyring
from custodian.crypto.tables import account_key, keyring_secret
from custodian.db.engine import transaction
from custodian.records import store
from custodian.records.types import AccountView
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, CANARY_STREET, an_account

VOICE = bytes(range(256)) * 700  # spans several blob segments


def _store_blob(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, account_id: int,
                data: bytes = VOICE) -> str:
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
    key, size, _ = blobs.put(cipher, account_id, [data])
    assert size == len(data)
    return key


def _read(engine: Engine, keyring: Keyring, account_id: int) -> AccountView:
    with engine.connect() as conn:
        return store.read_account(conn, keyring, account_id)


def _blob_path(blobs: LocalBlobStore, key: str) -> Path:
    return next(path for path in blobs.root.rglob(key) if path.is_file())


def test_each_account_gets_its_own_data_key(engine: Engine, keyring: Keyring) -> None:
    first = an_account(engine, keyring, ref="ACC-1")
    second = an_account(engine, keyring, ref="ACC-2", email="second@canary.example")
    with engine.connect() as conn:
        rows = {row.account_id: row for row in conn.execute(select(account_key)).all()}
    assert set(rows) == {first, second}
    assert rows[first].wrapped_key != rows[second].wrapped_key
    assert rows[first].master_key_id == rows[second].master_key_id == keyring.master_key_id
    fresh = Keyring(keyring.master_key)
    with engine.connect() as conn:
        first_cipher, second_cipher = fresh.cipher(conn, first), fresh.cipher(conn, second)
    sealed = first_cipher.seal("Zephyrine", b"person.first_name:1")
    with pytest.raises(DecryptionFailed):
        second_cipher.open(sealed, b"person.first_name:1")


def test_a_fresh_keyring_with_the_same_master_reads_what_another_wrote(
        engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    view = _read(engine, Keyring(keyring.master_key), account_id)
    assert (view.first_name, view.email, view.address and view.address.street) == (
        CANARY_NAME, CANARY_EMAIL, CANARY_STREET)


def test_a_keyring_with_another_master_key_raises_key_mismatch(engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    stranger = Keyring(envelope.new_key())
    with engine.connect() as conn, pytest.raises(KeyMismatch):
        stranger.cipher(conn, account_id)
    with engine.connect() as conn, pytest.raises(KeyMismatch):
        stranger.index_key(conn)


def test_rotating_the_master_key_keeps_every_field_and_blob_readable(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    first = an_account(engine, keyring, ref="ACC-1")
    second = an_account(engine, keyring, ref="ACC-2", email="second@canary.example")
    blob_keys = {first: _store_blob(engine, keyring, blobs, first),
                 second: _store_blob(engine, keyring, blobs, second, b"fax page two")}
    before = {account_id: _read(engine, keyring, account_id) for account_id in (first, second)}
    new_master = envelope.new_key()
    with transaction(engine) as conn:
        moved = keyring.rewrap_all(conn, new_master)
    assert moved == 3  # two account keys and the blind-index secret

    rotated = Keyring(new_master)
    for account_id in (first, second):
        assert _read(engine, rotated, account_id) == before[account_id]
    with engine.connect() as conn:
        ciphers = {account_id: rotated.cipher(conn, account_id) for account_id in (first, second)}
        assert store.accounts_by_email(conn, rotated, CANARY_EMAIL) == [first]
        ids = set(conn.execute(select(account_key.c.master_key_id)).scalars())
        ids |= set(conn.execute(select(keyring_secret.c.master_key_id)).scalars())
    assert ids == {rotated.master_key_id}
    assert blobs.read(ciphers[first], first, blob_keys[first]) == VOICE
    assert blobs.read(ciphers[second], second, blob_keys[second]) == b"fax page two"


def test_after_rotation_the_old_master_key_opens_nothing(engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    old_master = keyring.master_key
    with transaction(engine) as conn:
        keyring.rewrap_all(conn, envelope.new_key())
    with engine.connect() as conn:
        with pytest.raises(KeyMismatch):
            Keyring(old_master).cipher(conn, account_id)
        with pytest.raises(KeyMismatch):
            Keyring(old_master).index_key(conn)
        wrapped = conn.execute(select(account_key.c.wrapped_key)
                               .where(account_key.c.account_id == account_id)).scalar_one()
        secret = conn.execute(select(keyring_secret.c.wrapped_key)).scalar_one()
    # Even ignoring the key fingerprints, the old master cannot unwrap the re-wrapped keys.
    with pytest.raises(DecryptionFailed):
        envelope.unwrap_key(old_master, wrapped, f"account:{account_id}".encode())
    with pytest.raises(DecryptionFailed):
        envelope.unwrap_key(old_master, secret, b"blind_index")


def test_a_rotation_that_rolls_back_leaves_the_old_master_in_charge(engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with pytest.raises(RuntimeError), transaction(engine) as conn:
        keyring.rewrap_all(conn, envelope.new_key())
        raise RuntimeError("interrupted")
    assert _read(engine, Keyring(keyring.master_key), account_id).first_name == CANARY_NAME


def test_shredding_an_account_makes_its_fields_unreadable(engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        assert keyring.shred(conn, account_id) is True
    for reader in (keyring, Keyring(keyring.master_key)):
        with engine.connect() as conn, pytest.raises(AccountShredded):
            store.read_account(conn, reader, account_id)
    with engine.connect() as conn:
        row = conn.execute(select(account_key).where(account_key.c.account_id == account_id)).one()
    assert (row.wrapped_key, row.master_key_id) == (None, None)
    assert row.shredded_at is not None


def test_shredding_an_account_makes_its_blobs_unreadable(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring)
    other_id = an_account(engine, keyring, ref="ACC-2", email="other@canary.example")
    blob_key = _store_blob(engine, keyring, blobs, account_id)
    sealed = _blob_path(blobs, blob_key).read_bytes()
    with transaction(engine) as conn:
        keyring.shred(conn, account_id)
    with engine.connect() as conn, pytest.raises(AccountShredded):
        Keyring(keyring.master_key).cipher(conn, account_id)
    # The sealed file may survive (a backup, a missed delete), but no key that remains opens it.
    assert _blob_path(blobs, blob_key).read_bytes() == sealed
    with engine.connect() as conn:
        other_cipher = Keyring(keyring.master_key).cipher(conn, other_id)
    with pytest.raises(DecryptionFailed):
        blobs.read(other_cipher, account_id, blob_key)
    with pytest.raises(DecryptionFailed):
        blobs.read(FieldCipher(keyring.master_key), account_id, blob_key)


def test_shredding_one_account_leaves_the_others_readable(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    doomed = an_account(engine, keyring, ref="ACC-1")
    kept = an_account(engine, keyring, ref="ACC-2", email="kept@canary.example")
    blob_key = _store_blob(engine, keyring, blobs, kept)
    with transaction(engine) as conn:
        keyring.shred(conn, doomed)
    reader = Keyring(keyring.master_key)
    assert _read(engine, reader, kept).email == "kept@canary.example"
    with engine.connect() as conn:
        assert blobs.read(reader.cipher(conn, kept), kept, blob_key) == VOICE
        assert store.accounts_by_email(conn, reader, "kept@canary.example") == [kept]


def test_shredding_twice_returns_false_the_second_time(engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        assert keyring.shred(conn, account_id) is True
    with transaction(engine) as conn:
        assert keyring.shred(conn, account_id) is False


def test_rotation_skips_shredded_accounts_and_keeps_them_shredded(engine: Engine, keyring: Keyring) -> None:
    doomed = an_account(engine, keyring, ref="ACC-1")
    kept = an_account(engine, keyring, ref="ACC-2", email="kept@canary.example")
    with transaction(engine) as conn:
        keyring.shred(conn, doomed)
    new_master = envelope.new_key()
    with transaction(engine) as conn:
        assert keyring.rewrap_all(conn, new_master) == 2  # the kept account's key and the secret
    rotated = Keyring(new_master)
    assert _read(engine, rotated, kept).email == "kept@canary.example"
    with engine.connect() as conn, pytest.raises(AccountShredded):
        rotated.cipher(conn, doomed)


def test_preloading_opens_many_keys_at_once_and_leaves_shredded_ones_closed(engine: Engine, keyring: Keyring,
                                                                          master_key: bytes) -> None:
    kept, shredded = an_account(engine, keyring, ref="ACC-0001"), an_account(engine, keyring, ref="ACC-0002")
    with transaction(engine) as conn:
        sealed = keyring.cipher(conn, kept).seal("kept", b"aad")
        keyring.shred(conn, shredded)
    fresh = Keyring(master_key)
    with engine.connect() as conn:
        fresh.preload(conn, [kept, shredded])
        assert fresh.cipher(conn, kept).open(sealed, b"aad") == "kept"
        with pytest.raises(AccountShredded):
            fresh.cipher(conn, shredded)
