"""What long work reports its progress to: one named phase at a time. The CLI draws it
(cli/progress.py); tests and scripts pass `SilentProgress`."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress: a phase begins with its total, then advances."""

    def begin(self, phase: str, total: int) -> None:
        """A phase starts; `total` is in its own units (rows, bytes, accounts)."""

    def advance(self, phase: str, amount: int) -> None:
        """`amount` more units of `phase` are done."""


class SilentProgress:
    """Progress that goes nowhere (tests, scripts)."""

    def begin(self, phase: str, total: int) -> None:
        """Ignore the start of a phase."""

    def advance(self, phase: str, amount: int) -> None:
        """Ignore progress."""
