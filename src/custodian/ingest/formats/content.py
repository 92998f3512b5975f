"""Custodian `content` manifest: one content item per row, its file beside the manifest.

A `path` is relative to the manifest's folder and may not leave it (no absolute paths, no `..`
or symbolic links escaping it), so an import reads only what the operator handed over.
Times are ISO 8601; a time without an offset (or a bare date, meaning 00:00) is UTC.
"""

from __future__ import annotations

import mimetypes
import re
from datetime import UTC
from pathlib import Path, PurePosixPath, PureWindowsPath

from custodian.ingest.parse import (
    ParseOptions,
    RowRejected,
    choice,
    counterpart_number,
    instant,
    optional,
    phone,
    record_key,
    required,
)
from custodian.ingest.records import ContentRow
from custodian.records.rules import CONTENT_KINDS, DIRECTIONS, FAX_KINDS

HEADER = ("account_ref", "kind", "occurred_at", "direction", "counterpart_number", "path",
          "media_type")
OPTIONAL = ("own_number",)  # the account's line: names which of a multi-line account's numbers the item is on
PDF = "application/pdf"
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")
_OUTSIDE = "path: must stay inside the manifest's folder"


def parse(row: dict[str, str], options: ParseOptions) -> ContentRow:
    """Validate one manifest row; the file must exist inside the manifest's folder."""
    kind = choice(row, "kind", frozenset(CONTENT_KINDS))
    direction = choice(row, "direction", DIRECTIONS)
    if kind in FAX_KINDS and direction != fax_direction(kind):
        raise RowRejected(f"direction: must be {fax_direction(kind)} for {kind}")
    occurred_at = instant(row, "occurred_at", UTC)
    assert occurred_at is not None
    account_ref = required(row, "account_ref")
    counterpart = counterpart_number(row, "counterpart_number", options.region)
    own = phone(row, "own_number", options.region, required_=False)
    written = optional(row, "path")
    path = inside_folder(written, options.base_dir) if written else None
    media_type = _media_type(row, path)
    return ContentRow(
        key=record_key(options.record_secret, "content", account_ref, kind, occurred_at.isoformat(), direction,
                       counterpart, written, media_type),
        account_ref=account_ref, kind=kind, occurred_at=occurred_at, direction=direction,
        counterpart=counterpart, path=path, media_type=media_type, own_number=own,
    )


def fax_direction(kind: str) -> str:
    """`in` for a received fax, `out` for one sent or queued."""
    return "in" if kind == "fax_incoming" else "out"


def inside_folder(written: str, base_dir: Path) -> Path:
    """The file `written` names, resolved; reject paths leaving `base_dir` or naming no file."""
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute():
        raise RowRejected(_OUTSIDE)
    if PureWindowsPath(written).drive:
        raise RowRejected(_OUTSIDE)
    root = base_dir.resolve()
    target = (root / written).resolve()
    if not target.is_relative_to(root):
        raise RowRejected(_OUTSIDE)
    if not target.is_file():
        raise RowRejected("path: no such file")
    return target


def _media_type(row: dict[str, str], path: Path | None) -> str:
    media_type = optional(row, "media_type").lower()
    if not media_type and path is not None:
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type and (len(media_type) > 80 or not _MEDIA_TYPE.fullmatch(media_type)):
        raise RowRejected("media_type: must be a media type such as application/pdf")
    return media_type


class PdfPageCounter:
    """Counts PDF page objects (`/Type /Page`) in streamed chunks, even split across two."""

    _PAGE = re.compile(rb"/Type\s{0,16}/Page(?=[\s/>\[\]()<%])")
    _CARRY = 64  # longer than any match, so one split across two chunks is seen whole

    def __init__(self) -> None:
        self.pages = 0
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        """Count the page objects completed by `chunk`."""
        buffer = self._carry + chunk
        last_end = 0
        for match in self._PAGE.finditer(buffer):
            self.pages += 1
            last_end = match.end()
        self._carry = buffer[max(last_end, len(buffer) - self._CARRY):]
