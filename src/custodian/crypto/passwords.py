"""Argon2id hashes of secrets people choose: staff passwords, customers' CPNI passwords and answers.

Argon2 is deliberately expensive (about 50 ms of CPU and 64 MiB each), so every hash and check
takes one of a bounded number of slots: a flood of sign-ins queues here instead of starving the
process (set once at start from `CUSTODIAN_PASSWORD_HASH_SLOTS`, default the CPU count).
"""

from __future__ import annotations

import os
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults
_slots = threading.BoundedSemaphore(os.cpu_count() or 1)
_dummy: list[str] = []
_dummy_lock = threading.Lock()


def set_hashing_slots(slots: int) -> None:
    """Bound how many argon2 computations run at once in this process (called once at start)."""
    global _slots
    if slots < 1:
        raise ValueError("password hash slots: at least 1")
    _slots = threading.BoundedSemaphore(slots)


def hash_secret(secret: str) -> str:
    """An argon2id hash of `secret`."""
    with _slots:
        return _hasher.hash(secret)


def secret_matches(secret_hash: str, secret: str) -> bool:
    """True when `secret` is the one hashed."""
    with _slots:
        try:
            return _hasher.verify(secret_hash, secret)
        except (VerificationError, InvalidHashError):
            return False


def dummy_hash() -> str:
    """A hash no one knows the secret of: refusals verify against it so that they cost what a check costs.
    Made once per process (under a lock: parallel first refusals must not each make their own)."""
    with _dummy_lock:
        if not _dummy:
            _dummy.append(hash_secret(secrets.token_urlsafe(32)))
        return _dummy[0]
