"""Argon2id hashes of secrets people choose: staff passwords, customers' CPNI passwords and answers."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults


def hash_secret(secret: str) -> str:
    """An argon2id hash of `secret`."""
    return _hasher.hash(secret)


def secret_matches(secret_hash: str, secret: str) -> bool:
    """True when `secret` is the one hashed."""
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False
