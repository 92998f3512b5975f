"""Keyed pseudonyms for de-identified feeds (issue 17 §2): identifiers replaced by HMAC-SHA-256 tokens under a key
derived per recipient from the master key, so one recipient's tokens are stable across its feeds, and two
recipients' tokens of the same account differ and cannot be joined.

The per-recipient key is HKDF-SHA-256 (RFC 5869) of the master key with info "custodian pseudonym v1" + the
recipient's name; no salt, as the master key is already uniformly random. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"custodian pseudonym v1"
TOKEN_BYTES = 16  # 128 bits: no two accounts of any provider collide in practice


def recipient_key(master_key: bytes, recipient: str) -> bytes:
    """The recipient's own pseudonym key, derived from the master key (never stored)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=INFO + b"\x1f" + recipient.encode("utf-8")).derive(master_key)


class Pseudonymiser:
    """Tokens of one recipient: `token(kind, value)` is the same for the same value, for this recipient only."""

    def __init__(self, master_key: bytes, recipient: str) -> None:
        self._key = recipient_key(master_key, recipient)

    def token(self, kind: str, value: str) -> str:
        """The pseudonym of `value` (an account reference, a number, an e-mail); empty stays empty."""
        if not value:
            return ""
        digest = hmac.new(self._key, f"{kind}\x1f{value}".encode(), hashlib.sha256).digest()
        return digest[:TOKEN_BYTES].hex()
