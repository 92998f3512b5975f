"""Envelope primitives: fields and blobs open only with their key and their place, untouched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.crypto.envelope import (
    BLIND_INDEX_BYTES,
    BLOB_CHUNK,
    BLOB_MAGIC,
    NONCE_BYTES,
    DecryptionFailed,
    FieldCipher,
    blind_index,
    decode_key,
    encode_key,
    key_id,
    new_key,
    unwrap_key,
    wrap_key,
)
from custodian.records.payload import aad

HEADER_BYTES = len(BLOB_MAGIC) + NONCE_BYTES - 4
SEGMENT_BYTES = BLOB_CHUNK + 16  # each sealed segment carries a 16-byte GCM tag
BLOB_AAD = b"blob:7:abc"


def _cipher() -> FieldCipher:
    return FieldCipher(new_key())


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def _segments(sealed: bytes) -> tuple[bytes, list[bytes]]:
    """Split a sealed blob into its header and its sealed segments."""
    body = sealed[HEADER_BYTES:]
    return sealed[:HEADER_BYTES], [body[i:i + SEGMENT_BYTES] for i in range(0, len(body), SEGMENT_BYTES)]


def _seal_blob(cipher: FieldCipher, data: bytes, chunk: int = 10_000) -> bytes:
    return b"".join(cipher.seal_stream(_pieces(data, chunk), BLOB_AAD))


def _open_blob(cipher: FieldCipher, sealed: bytes, chunk: int = 4096) -> bytes:
    return b"".join(cipher.open_stream(_pieces(sealed, chunk), BLOB_AAD))


def test_a_field_opens_back_to_its_text_with_the_same_place() -> None:
    cipher = _cipher()
    place = aad("person", "first_name", 7)
    sealed = cipher.seal("Zephyrine Ünïcødé ☎", place)
    assert cipher.open(sealed, place) == "Zephyrine Ünïcødé ☎"
    assert b"Zephyrine" not in sealed


def test_sealing_the_same_text_twice_gives_different_ciphertexts() -> None:
    cipher = _cipher()
    place = aad("person", "email", 7)
    assert cipher.seal("a@example.com", place) != cipher.seal("a@example.com", place)


@pytest.mark.parametrize("other_place", [
    aad("person", "first_name", 8),   # another account
    aad("person", "last_name", 7),    # another column
    aad("postal_address", "first_name", 7),  # another table
])
def test_a_field_moved_to_another_place_does_not_open(other_place: bytes) -> None:
    cipher = _cipher()
    sealed = cipher.seal("Zephyrine", aad("person", "first_name", 7))
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed, other_place)


def test_a_field_sealed_under_another_accounts_key_does_not_open() -> None:
    place = aad("person", "first_name", 7)
    sealed = _cipher().seal("Zephyrine", place)
    with pytest.raises(DecryptionFailed):
        _cipher().open(sealed, place)


@pytest.mark.parametrize("position", [0, 1, NONCE_BYTES, NONCE_BYTES + 1, -1])
def test_an_altered_field_ciphertext_does_not_open(position: int) -> None:
    cipher = _cipher()
    place = aad("comment_log", "text", 7)
    sealed = bytearray(cipher.seal("Called back about porting", place))
    sealed[position] ^= 0x01
    with pytest.raises(DecryptionFailed):
        cipher.open(bytes(sealed), place)


def test_a_truncated_field_ciphertext_does_not_open() -> None:
    cipher = _cipher()
    place = aad("comment_log", "text", 7)
    sealed = cipher.seal("Called back about porting", place)
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed[:-1], place)


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 200_000])
def test_a_blob_stream_opens_back_to_the_same_bytes_whatever_its_size(size: int) -> None:
    cipher = _cipher()
    data = bytes((i * 7 + 3) % 256 for i in range(size))
    sealed = _seal_blob(cipher, data)
    assert _open_blob(cipher, sealed) == data
    full_segments, rest = divmod(size, BLOB_CHUNK)
    segments = full_segments + (1 if rest or not size else 0)
    assert len(sealed) == HEADER_BYTES + size + 16 * segments


def test_a_blob_reads_back_the_same_however_its_input_and_output_are_chunked() -> None:
    cipher = _cipher()
    data = bytes(range(256)) * 900
    sealed = _seal_blob(cipher, data, 777)
    assert _open_blob(cipher, sealed, 1) == data
    assert _open_blob(cipher, sealed, len(sealed)) == data


def test_a_blob_does_not_contain_its_plaintext() -> None:
    cipher = _cipher()
    data = b"Zephyrine Quillfeather voice message " * 2000
    assert b"Zephyrine" not in _seal_blob(cipher, data)


def test_a_blob_truncated_at_a_segment_boundary_does_not_open() -> None:
    cipher = _cipher()
    header, segments = _segments(_seal_blob(cipher, bytes(200_000)))
    assert len(segments) == 4
    for kept in range(len(segments)):
        with pytest.raises(DecryptionFailed):
            _open_blob(cipher, header + b"".join(segments[:kept]))


def test_a_blob_truncated_inside_a_segment_does_not_open() -> None:
    cipher = _cipher()
    sealed = _seal_blob(cipher, bytes(200_000))
    with pytest.raises(DecryptionFailed):
        _open_blob(cipher, sealed[:-1])
    with pytest.raises(DecryptionFailed):
        _open_blob(cipher, sealed[: HEADER_BYTES + SEGMENT_BYTES + 100])


def test_a_blob_with_reordered_segments_does_not_open() -> None:
    cipher = _cipher()
    header, segments = _segments(_seal_blob(cipher, bytes(range(256)) * 800))
    assert len(segments) == 4
    swapped = [segments[1], segments[0], *segments[2:]]
    with pytest.raises(DecryptionFailed):
        _open_blob(cipher, header + b"".join(swapped))
    moved_last = [segments[0], segments[1], segments[3], segments[2]]
    with pytest.raises(DecryptionFailed):
        _open_blob(cipher, header + b"".join(moved_last))


def test_a_blob_with_an_altered_byte_or_a_foreign_header_does_not_open() -> None:
    cipher = _cipher()
    sealed = _seal_blob(cipher, bytes(100_000))
    altered = bytearray(sealed)
    altered[HEADER_BYTES + 5] ^= 0x01
    with pytest.raises(DecryptionFailed):
        _open_blob(cipher, bytes(altered))
    with pytest.raises(DecryptionFailed):
        _open_blob(cipher, b"XXXX" + sealed[4:])


def test_a_blob_opened_for_another_place_or_with_another_key_does_not_open() -> None:
    cipher = _cipher()
    sealed = _seal_blob(cipher, b"fax page")
    with pytest.raises(DecryptionFailed):
        b"".join(cipher.open_stream([sealed], b"blob:8:abc"))
    with pytest.raises(DecryptionFailed):
        _open_blob(_cipher(), sealed)


def test_a_wrapped_key_unwraps_only_with_its_master_and_its_context() -> None:
    master, data_key = new_key(), new_key()
    wrapped = wrap_key(master, data_key, b"account:7")
    assert unwrap_key(master, wrapped, b"account:7") == data_key
    assert data_key not in wrapped
    with pytest.raises(DecryptionFailed):
        unwrap_key(master, wrapped, b"account:8")
    with pytest.raises(DecryptionFailed):
        unwrap_key(new_key(), wrapped, b"account:7")


def test_a_blind_index_is_the_same_for_the_same_key_and_value() -> None:
    key = new_key()
    token = blind_index(key, "number", "+15125550100")
    assert token == blind_index(key, "number", "+15125550100")
    assert len(token) == BLIND_INDEX_BYTES


def test_a_blind_index_differs_across_keys_values_and_kinds() -> None:
    key = new_key()
    token = blind_index(key, "number", "+15125550100")
    assert token != blind_index(new_key(), "number", "+15125550100")
    assert token != blind_index(key, "number", "+15125550101")
    assert token != blind_index(key, "email", "+15125550100")


def test_a_key_survives_its_text_form_and_its_fingerprint_is_stable() -> None:
    key = new_key()
    assert decode_key(encode_key(key)) == key
    assert decode_key(encode_key(key) + "\n") == key
    assert key_id(key) == key_id(key) != key_id(new_key())
    with pytest.raises(ValueError):
        decode_key(encode_key(key[:16]))


@given(text=st.text(), account_id=st.integers(min_value=1, max_value=2**63 - 1))
def test_any_text_opens_back_to_itself_and_only_in_its_place(text: str, account_id: int) -> None:
    cipher = FieldCipher(b"\x11" * 32)
    place = aad("person", "first_name", account_id)
    sealed = cipher.seal(text, place)
    assert cipher.open(sealed, place) == text
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed, aad("person", "first_name", account_id + 1))


@given(size=st.integers(min_value=0, max_value=3 * BLOB_CHUNK + 10), pattern=st.binary(min_size=1, max_size=64),
       chunk=st.integers(min_value=1, max_value=BLOB_CHUNK * 2))
def test_any_bytes_stream_back_to_themselves_however_chunked(size: int, pattern: bytes, chunk: int) -> None:
    data = (pattern * (size // len(pattern) + 1))[:size]
    cipher = FieldCipher(b"\x22" * 32)
    sealed = b"".join(cipher.seal_stream(_pieces(data, chunk), BLOB_AAD))
    assert b"".join(cipher.open_stream(_pieces(sealed, chunk), BLOB_AAD)) == data


def test_a_failed_blob_write_leaves_no_partial_file(tmp_path: Path) -> None:
    from custodian.crypto.blobs import LocalBlobStore

    store = LocalBlobStore(tmp_path / "blobs")

    def broken_source() -> Iterator[bytes]:
        yield b"x" * 70_000
        raise OSError("source vanished")

    with pytest.raises(OSError):
        store.put(FieldCipher(new_key()), 1, broken_source())
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []
