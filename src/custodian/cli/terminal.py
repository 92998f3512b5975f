"""The terminal: standard output and error as Rich consoles, and the one way a failure is printed."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

console = Console(stderr=True, soft_wrap=True)  # a failure is one line, however long
out = Console(soft_wrap=True)


def report_error(reason: object) -> None:
    """`error: reason` on stderr, in red on a terminal; the reason is printed as written (never as markup)."""
    console.print(Text.assemble(("error:", "red"), " ", str(reason)), highlight=False)
