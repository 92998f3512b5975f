"""Encrypted blob store: payloads sealed with the owning account's key, in a local directory."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from custodian.crypto.envelope import FieldCipher


class BlobMissing(FileNotFoundError):
    """No blob is stored under that key."""


class BlobStoreUnwritable(Exception):
    """The blob store's disk refused a write (full, read-only, not a directory): the store, not the payload,
    is at fault, so an import stops instead of rejecting row after row as unreadable."""

    def __init__(self, root: Path, exc: OSError) -> None:
        reason = "no space left on the disk" if exc.errno == errno.ENOSPC else exc.strerror or type(exc).__name__
        super().__init__(f"blob store {root} cannot be written: {reason}")
        self.root = root


class PayloadUnreadable(OSError):
    """The payload handed to the store could not be read (the source file, not the store, is at fault)."""


class LocalBlobStore:
    """Blobs under `root/ab/cd/<random key>`; names reveal nothing about owner or content."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, cipher: FieldCipher, account_id: int, chunks: Iterable[bytes]) -> tuple[str, int, str]:
        """Seal and store a payload; return (blob key, plaintext size, plaintext SHA-256)."""
        key = secrets.token_hex(16)
        path = self._path(key)
        digest = hashlib.sha256()
        size = 0

        def measured() -> Iterator[bytes]:
            nonlocal size
            try:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    yield chunk
            except OSError as exc:
                raise PayloadUnreadable(exc.errno, exc.strerror) from exc

        tmp = path.with_suffix(".part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                for sealed in cipher.seal_stream(measured(), _aad(account_id, key)):
                    handle.write(sealed)
            os.replace(tmp, path)
        except OSError as exc:
            _discard(tmp)  # a failed write leaves no partial ciphertext behind
            if isinstance(exc, PayloadUnreadable):
                raise
            raise BlobStoreUnwritable(self.root, exc) from exc
        except BaseException:
            _discard(tmp)
            raise
        return key, size, digest.hexdigest()

    def open(self, cipher: FieldCipher, account_id: int, key: str) -> Iterator[bytes]:
        """Stream a payload's plaintext."""
        path = self._path(key)
        if not path.exists():
            raise BlobMissing(key)
        return cipher.open_stream(_file_chunks(path), _aad(account_id, key))

    def read(self, cipher: FieldCipher, account_id: int, key: str) -> bytes:
        """Return a whole payload (for small items: voice messages, faxes)."""
        return b"".join(self.open(cipher, account_id, key))

    def delete(self, key: str) -> bool:
        """Remove a blob; return False if it was not there."""
        try:
            self._path(key).unlink()
            return True
        except FileNotFoundError:
            return False

    def stored(self) -> Iterator[tuple[str, datetime]]:
        """Every finished blob's key and when its file was written."""
        for path in self.root.glob("*/*/*"):
            if path.suffix != ".part" and path.is_file():
                yield path.name, datetime.fromtimestamp(path.stat().st_mtime, UTC)

    def remove_stale_parts(self, older_than: datetime) -> int:
        """Delete partial files a crashed process left behind; return how many."""
        removed = 0
        for path in self.root.glob("*/*/*.part"):
            if datetime.fromtimestamp(path.stat().st_mtime, UTC) < older_than:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise BlobMissing(key)
        return self.root / key[:2] / key[2:4] / key


def _discard(tmp: Path) -> None:
    """Remove a partial file if the disk lets us (a read-only or missing directory may not)."""
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


def _aad(account_id: int, key: str) -> bytes:
    return f"blob:{account_id}:{key}".encode()


def _file_chunks(path: Path, size: int = 1 << 16) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk
