"""Argon2 work is bounded per process: a flood of sign-ins queues for a hashing slot instead of
starving the service, and refusals check a dummy hash so they cost what a check costs."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from custodian.crypto import passwords


@pytest.fixture
def one_slot() -> Iterator[None]:
    passwords.set_hashing_slots(1)
    yield
    passwords.set_hashing_slots(os.cpu_count() or 1)


def test_no_more_argon2_checks_run_at_once_than_there_are_slots(one_slot: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    running, most = [0], [0]
    lock = threading.Lock()

    def slow_verify(_hash: str, _secret: str) -> bool:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)  # long enough for the other threads to pile up behind the slot
        with lock:
            running[0] -= 1
        return False

    monkeypatch.setattr(passwords, "_hasher", SimpleNamespace(verify=slow_verify))
    threads = [threading.Thread(target=passwords.secret_matches, args=("h", "s")) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert most[0] == 1


def test_a_slot_count_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        passwords.set_hashing_slots(0)


def test_the_dummy_hash_is_a_real_argon2id_hash_that_nothing_matches() -> None:
    assert passwords.dummy_hash().startswith("$argon2id$")
    assert passwords.dummy_hash() == passwords.dummy_hash()
    assert not passwords.secret_matches(passwords.dummy_hash(), "")
