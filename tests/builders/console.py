"""An account with something in every list a representative's ticket shows: numbers with their periods, an
E911 registration and a long support comment log (imported through the ordinary importers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from tests.builders.files import COMMENTS_HEADER, NUMBERS_HEADER, comment_line, csv_file, number_line

E911_HEADER = "number,account_ref,street,city,state,postal_code,country,registered_at"
FIRST_COMMENT = datetime(2026, 1, 1, 15, 0, tzinfo=UTC)
COMMENTS = 30  # beyond one page of 25


def comment_text(index: int) -> str:
    """The text of the comment written `index` days after FIRST_COMMENT."""
    return f"Customer called about line quality, visit {index:02d}"


def a_customer_with_records(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path,
                            ref: str = "ACC-0001") -> None:
    """Import two numbers (one ended), an E911 location for the current one and COMMENTS daily comments."""
    from custodian.ingest.registry import lookup
    from custodian.ingest.runner import run_import

    numbers = [number_line("+15125550100", ref, "2025-01-01T00:00:00Z"),
               number_line("+15125550199", ref, "2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z")]
    e911 = [f"+15125550100,{ref},1 Main St,Austin,TX,78701,US,2025-02-01T00:00:00Z"]
    comments = [comment_line(ref, (FIRST_COMMENT + timedelta(days=i)).isoformat(), comment_text(i))
                for i in range(COMMENTS)]
    for name, header, lines in (("numbers", NUMBERS_HEADER, numbers), ("e911", E911_HEADER, e911),
                                ("comments", COMMENTS_HEADER, comments)):
        run_import(engine, keyring, blobs, lookup(name), csv_file(tmp_path / f"{name}.csv", header, lines),
                   actor="test")
