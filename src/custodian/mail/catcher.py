"""The demo's mail catcher: a real SMTP server (aiosmtpd) in this process, on a free localhost port, that
keeps every message it accepts as an `.eml` file in an outbox directory instead of delivering it.

Only `custodian demo` starts it; production mail goes to the configured server (mail/smtp.py). The files
are named `<UTC time>-<random>.eml`, so they sort by arrival and a name can be checked before it is opened.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


class OutboxHandler:
    """aiosmtpd handler: write each message's bytes to `<folder>/<stamp>-<random>.eml` (written whole, then renamed)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message; answer 250 once it is on disk."""
        name = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}-{secrets.token_hex(4)}"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(envelope.original_content or envelope.content)
        os.replace(partial, self.folder / f"{name}.eml")
        return "250 OK: kept in the demo outbox"


def free_port() -> int:
    """A localhost TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def mail_catcher(folder: Path) -> Iterator[int]:
    """Run the catcher while the block runs; yield its port. Messages land in `folder` (created if needed)."""
    from aiosmtpd.controller import Controller  # only the demo needs an SMTP server

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    controller = Controller(OutboxHandler(folder), hostname=HOST, port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
