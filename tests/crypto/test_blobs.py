"""The blob store: a disk that refuses a write is the store's failure, named by its directory; a payload
that cannot be read is the payload's."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

from custodian.crypto.blobs import BlobStoreUnwritable, LocalBlobStore, PayloadUnreadable
from custodian.crypto.envelope import FieldCipher, new_key
from tests.builders.files import full_disk


def _payload() -> Iterator[bytes]:
    yield b"voice message " * 1000


def test_a_full_disk_fails_the_write_naming_the_blob_store_and_leaves_no_partial_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    full_disk(monkeypatch)
    with pytest.raises(BlobStoreUnwritable) as raised:
        store.put(FieldCipher(new_key()), 1, _payload())
    assert str(raised.value) == f"blob store {tmp_path / 'blobs'} cannot be written: no space left on the disk"
    assert not [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]


def test_a_blob_directory_that_cannot_be_created_is_the_stores_failure(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the blob directory belongs")
    store = LocalBlobStore(tmp_path / "taken" / "blobs")
    with pytest.raises(BlobStoreUnwritable, match=str(tmp_path / "taken" / "blobs")):
        store.put(FieldCipher(new_key()), 1, _payload())


def test_a_payload_that_cannot_be_read_is_the_payloads_failure_not_the_stores(tmp_path: Path) -> None:
    def unreadable() -> Iterator[bytes]:
        yield b"first chunk"
        raise OSError(errno.EIO, "Input/output error")

    store = LocalBlobStore(tmp_path / "blobs")
    with pytest.raises(PayloadUnreadable):
        store.put(FieldCipher(new_key()), 1, unreadable())
    assert not [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]
