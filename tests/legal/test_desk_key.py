"""The legal desk's key is made once, even when two server processes take their first submissions at once
(the web load benchmark found two workers racing to create it)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, text

from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.legal.desk_key import desk_cipher


def _waiting_on_a_lock(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                      "AND datname = current_database()")).scalar_one())


def test_a_second_process_creating_the_desk_key_at_the_same_time_uses_the_first_ones(
        engine: Engine, keyring: Keyring) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: the second transaction starts after the first commits")
    found: list[FieldCipher | BaseException] = []

    def second() -> None:
        try:
            with transaction(engine) as conn:
                found.append(desk_cipher(conn, keyring))
        except BaseException as exc:  # handed to the test thread
            found.append(exc)

    with transaction(engine) as conn:
        first = desk_cipher(conn, keyring)  # inserted, not yet committed
        racer = threading.Thread(target=second)
        racer.start()
        deadline = time.monotonic() + 30
        while not _waiting_on_a_lock(engine):  # the second insert now waits for this transaction
            assert time.monotonic() < deadline and racer.is_alive(), found
    racer.join(30)
    assert len(found) == 1 and isinstance(found[0], FieldCipher), found
    sealed = first.seal("case 26-0042", b"aad")
    assert found[0].open(sealed, b"aad") == "case 26-0042"


def test_the_desk_key_is_created_once_and_then_read(engine: Engine, keyring: Keyring) -> None:
    with transaction(engine) as conn:
        sealed = desk_cipher(conn, keyring).seal("instrument", b"aad")
    with transaction(engine) as conn:
        assert desk_cipher(conn, keyring).open(sealed, b"aad") == "instrument"
        count = conn.execute(text("SELECT count(*) FROM keyring_secret WHERE name = 'legal_desk'")).scalar_one()
    assert count == 1
