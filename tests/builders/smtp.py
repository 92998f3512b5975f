"""A real local SMTP server (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    """Messages the server accepted, parsed; with `refuse_recipients`, it refuses every recipient (550)."""

    messages: list[Message] = field(default_factory=list)
    refuse_recipients: bool = False

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_recipients:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    """A localhost port nothing listens on (a mail server that cannot be reached)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def silent_server() -> Iterator[int]:
    """A localhost port that accepts connections and never answers (a mail server that times out)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        yield int(listener.getsockname()[1])


@contextmanager
def smtp_server(*, refuse_recipients: bool = False) -> Iterator[tuple[Inbox, int]]:
    """Run an SMTP server on a free localhost port; yield its inbox and port."""
    port = free_port()
    inbox = Inbox(refuse_recipients=refuse_recipients)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class Outbox:
    """A sender stand-in for the batched customer notices: accepts every message, or refuses the first `refuse`."""

    def __init__(self, refuse: int = 0, reason: str = "451 try again later") -> None:
        from custodian.access.customer_mail import CustomerNotice

        self.sent: list[CustomerNotice] = []
        self.refuse = refuse
        self.reason = reason

    def __call__(self, mail: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            return self.reason
        self.sent.append(mail)
        return ""
