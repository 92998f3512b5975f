"""Database side of each import: resolve accounts, encrypt, insert, skip what is already there."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BatchResult:
    """What one batch did: new rows, rows already present, and rows rejected at write time."""

    imported: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Prepared:
    """Rows of one batch made ready for a bulk insert (resolved, encrypted), and the rows that were not."""

    rows: list[tuple[object, ...]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    moments: set[object] = field(default_factory=set)
