"""Encoding of the small field bundles sealed into `payload_enc` columns (one AES-GCM call per row)."""

from __future__ import annotations

SEPARATOR = "\x1f"

CALL_EXTRA_FIELDS = ("clid", "dcontext", "channel", "dstchannel", "lastapp", "lastdata", "uniqueid", "userfield")
CALL_FIELDS = ("own", "counterpart", "src", "dst", *CALL_EXTRA_FIELDS)
SMS_FIELDS = ("own", "counterpart", "from", "to")
FAX_FIELDS = ("own", "counterpart")
CONTENT_FIELDS = ("counterpart",)


def encode(fields: tuple[str, ...], values: dict[str, str]) -> str:
    """Join the named values in a fixed order; unit separators inside values are dropped."""
    return encode_values(tuple(values.get(name, "") for name in fields))


def encode_values(ordered: tuple[str, ...]) -> str:
    """Join values already in field order (the bulk path); unit separators inside values are dropped."""
    text = SEPARATOR.join(ordered)
    if text.count(SEPARATOR) != len(ordered) - 1:
        text = SEPARATOR.join(value.replace(SEPARATOR, "") for value in ordered)
    return text


def decode(fields: tuple[str, ...], text: str) -> dict[str, str]:
    """Split a bundle back into named values."""
    return dict(zip(fields, text.split(SEPARATOR), strict=False))


def aad(table: str, column: str, account_id: int) -> bytes:
    """Associated data binding a ciphertext to its table, column and account."""
    return f"{table}.{column}:{account_id}".encode()
