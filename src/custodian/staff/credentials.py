"""Staff credentials: argon2id password hashes and TOTP second factor (RFC 6238) with replay refusal.

Pure apart from randomness: `now` is passed in. TOTP secrets are kept sealed under a key derived
from the master key, since the server needs them in clear to check a code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno

from custodian.crypto.envelope import FieldCipher
from custodian.crypto.passwords import hash_secret, secret_matches

ISSUER = "Custodian"
TOTP_WINDOW_STEPS = 1  # accept the previous and next 30-second code (clock drift)
_TOTP_AAD = b"staff_member.totp_secret"


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return hash_secret(password)


def password_matches(password_hash: str, password: str) -> bool:
    """True when `password` is the one hashed."""
    return secret_matches(password_hash, password)


def new_password() -> str:
    """A one-time password for a new or reset account: 20 URL-safe characters."""
    return secrets.token_urlsafe(15)


def new_totp_secret() -> str:
    """A fresh base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def totp_step(secret: str, code: str, now: datetime, last_step: int) -> int | None:
    """The time step `code` belongs to when valid now and newer than `last_step`, else None."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):  # "١٢٣٤٥٦" is digits too, not a code
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // totp.interval
    for step in range(current - TOTP_WINDOW_STEPS, current + TOTP_WINDOW_STEPS + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def totp_code(secret: str, now: datetime) -> str:
    """The code an authenticator shows at `now` (tests and the demo's printed instructions)."""
    return pyotp.TOTP(secret).at(now)


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG QR code (no external image, fits the strict CSP)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff"))


def totp_cipher(master_key: bytes) -> FieldCipher:
    """The cipher sealing TOTP secrets: a key derived from the master key for this one use."""
    return FieldCipher(hmac.new(master_key, b"custodian staff totp secrets", hashlib.sha256).digest())


def seal_totp_secret(master_key: bytes, secret: str) -> bytes:
    """A TOTP secret sealed for storage."""
    return totp_cipher(master_key).seal(secret, _TOTP_AAD)


def open_totp_secret(master_key: bytes, sealed: bytes) -> str:
    """A stored TOTP secret in clear."""
    return totp_cipher(master_key).open(sealed, _TOTP_AAD)
