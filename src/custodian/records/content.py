"""Content items and their payloads in the blob store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.records.tables import content_item

SWEEP_GRACE = timedelta(hours=1)  # younger files may belong to an import still running


@dataclass(frozen=True)
class SweepResult:
    """What a blob sweep removed."""

    orphans: int
    partial_files: int


def sweep_orphan_blobs(conn: Connection, blobs: LocalBlobStore, *, now: datetime,
                       also_referenced: Iterable[str] = ()) -> SweepResult:
    """Delete blob files no content item references (a rolled-back import batch leaves them), and stale partial files.

    Only files older than SWEEP_GRACE are touched, so a running import never loses a payload it is
    about to reference. `also_referenced` names blobs other domains keep (legal desk documents).
    """
    cutoff = now - SWEEP_GRACE
    referenced = set(conn.execute(select(content_item.c.blob_key).where(content_item.c.blob_key.is_not(None)))
                     .scalars()) | set(also_referenced)
    orphans = 0
    for key, written_at in blobs.stored():
        if key not in referenced and written_at < cutoff:
            orphans += int(blobs.delete(key))
    return SweepResult(orphans=orphans, partial_files=blobs.remove_stale_parts(cutoff))
