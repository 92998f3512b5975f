"""Pure cryptographic primitives of the envelope scheme (DESIGN.md, "Protecting the data").

A master key wraps one 256-bit data key per account (AES-256-GCM, the account id as associated
data, so a wrapped key cannot be moved to another account). Personal fields are AES-256-GCM
ciphertexts bound to their table, column and account. Blind indexes are truncated HMAC-SHA256
values that allow exact-match lookups without storing the value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
from collections.abc import Iterable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
FIELD_VERSION = b"\x01"
BLOB_MAGIC = b"CBL1"
BLOB_CHUNK = 64 * 1024
BLIND_INDEX_BYTES = 16


class DecryptionFailed(ValueError):
    """A ciphertext was altered, moved, or sealed under another key."""


def new_key() -> bytes:
    """Return a fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key, to tell which master key wrapped what."""
    return hashlib.sha256(b"custodian-key-id" + key).hexdigest()[:16]


def encode_key(key: bytes) -> str:
    """Text form of a key for files and environment variables."""
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str) -> bytes:
    """Parse the text form of a 256-bit key."""
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValueError("master key is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise ValueError("master key must be 32 bytes (base64 of 256 bits)")
    return key


def wrap_key(master: bytes, data_key: bytes, context: bytes) -> bytes:
    """Seal `data_key` under `master`, bound to `context` (e.g. the account id)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(master).encrypt(nonce, data_key, b"wrap:" + context)


def unwrap_key(master: bytes, wrapped: bytes, context: bytes) -> bytes:
    """Open a wrapped data key; raise DecryptionFailed when master or context differ."""
    try:
        return AESGCM(master).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], b"wrap:" + context)
    except InvalidTag as exc:
        raise DecryptionFailed("data key does not open with this master key") from exc


class FieldCipher:
    """AES-256-GCM for one account's personal fields: each value bound to its place by `aad`."""

    __slots__ = ("_aead",)

    def __init__(self, data_key: bytes) -> None:
        self._aead = AESGCM(data_key)

    def seal(self, plaintext: str, aad: bytes) -> bytes:
        """Encrypt text; the result carries a version byte and a random nonce."""
        nonce = os.urandom(NONCE_BYTES)
        return FIELD_VERSION + nonce + self._aead.encrypt(nonce, plaintext.encode("utf-8"), aad)

    def open(self, sealed: bytes, aad: bytes) -> str:
        """Decrypt a value sealed by `seal` with the same `aad`."""
        if sealed[:1] != FIELD_VERSION:
            raise DecryptionFailed("unknown field ciphertext version")
        nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, aad).decode("utf-8")
        except InvalidTag as exc:
            raise DecryptionFailed("field ciphertext does not open") from exc

    def seal_stream(self, chunks: Iterable[bytes], aad: bytes) -> Iterator[bytes]:
        """Encrypt a byte stream in 64 KiB segments (STREAM construction: counter nonces, last flag)."""
        prefix = os.urandom(NONCE_BYTES - 4)
        yield BLOB_MAGIC + prefix
        pending = b""
        counter = 0
        for chunk in _rechunk(chunks):
            if pending:
                yield self._seal_segment(prefix, counter, pending, aad, last=False)
                counter += 1
            pending = chunk
        yield self._seal_segment(prefix, counter, pending, aad, last=True)

    def open_stream(self, sealed: Iterable[bytes], aad: bytes) -> Iterator[bytes]:
        """Decrypt a stream sealed by `seal_stream`; truncation or reordering raises DecryptionFailed."""
        data = _Reader(sealed)
        header = data.read(len(BLOB_MAGIC) + NONCE_BYTES - 4)
        if header[: len(BLOB_MAGIC)] != BLOB_MAGIC:
            raise DecryptionFailed("not a Custodian blob")
        prefix = header[len(BLOB_MAGIC) :]
        counter, segment_len = 0, BLOB_CHUNK + 16
        segment = data.read(segment_len)
        while True:
            following = data.read(segment_len)
            last = not following
            yield self._open_segment(prefix, counter, segment, aad, last=last)
            if last:
                return
            segment, counter = following, counter + 1

    def _seal_segment(self, prefix: bytes, counter: int, chunk: bytes, aad: bytes, last: bool) -> bytes:
        nonce = prefix + struct.pack(">I", counter)
        return self._aead.encrypt(nonce, chunk, aad + (b"|last" if last else b"|more"))

    def _open_segment(self, prefix: bytes, counter: int, segment: bytes, aad: bytes, last: bool) -> bytes:
        nonce = prefix + struct.pack(">I", counter)
        try:
            return self._aead.decrypt(nonce, segment, aad + (b"|last" if last else b"|more"))
        except InvalidTag as exc:
            raise DecryptionFailed("blob segment does not open") from exc


def blind_index(index_key: bytes, kind: str, value: str) -> bytes:
    """Keyed exact-match token for a normalised lookup value (`kind` separates numbers from e-mails)."""
    message = kind.encode("ascii") + b":" + value.encode("utf-8")
    return hmac.digest(index_key, message, "sha256")[:BLIND_INDEX_BYTES]


def _rechunk(chunks: Iterable[bytes]) -> Iterator[bytes]:
    buffer = bytearray()
    for chunk in chunks:
        buffer.extend(chunk)
        while len(buffer) >= BLOB_CHUNK:
            yield bytes(buffer[:BLOB_CHUNK])
            del buffer[:BLOB_CHUNK]
    if buffer:
        yield bytes(buffer)


class _Reader:
    """Read exact byte counts from an iterable of byte strings."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = bytearray()

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer.extend(chunk)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out
