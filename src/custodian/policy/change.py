"""One difference between two policy versions, and whether customers must hear of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True, order=True)
class Change:
    """One difference: where, what kind, and whether customers must hear of it."""

    path: str
    kind: Kind
    material: bool
    reason: str
