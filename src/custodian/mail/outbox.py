"""Reading the demo outbox the mail catcher (mail/catcher.py) writes: the list of messages, newest first,
and one message's headers and plain-text body. A message is named by its file stem, checked against the
catcher's naming pattern before any path is built, so no name can reach outside the outbox."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

MESSAGE_ID = re.compile(r"^(\d{8}T\d{12})-[0-9a-f]{8}$")


@dataclass(frozen=True)
class OutboxMessage:
    """One caught message: its id (file stem), when it arrived, its headers and its text."""

    id: str
    received_at: datetime
    sender: str
    to: str
    subject: str
    body: str

    def mentions(self, text: str) -> bool:
        """True when `text` (any case) is in the recipient, the subject or the body."""
        needle = text.casefold()
        return any(needle in part.casefold() for part in (self.to, self.subject, self.body))


def list_messages(folder: Path, query: str = "") -> list[OutboxMessage]:
    """Every message in the outbox, newest first; only those mentioning `query` when one is given."""
    if not folder.is_dir():
        return []
    found = [read_message(folder, path.stem) for path in folder.glob("*.eml")]
    kept = [m for m in found if m is not None and (not query.strip() or m.mentions(query.strip()))]
    return sorted(kept, key=lambda m: m.id, reverse=True)


def read_message(folder: Path, message_id: str) -> OutboxMessage | None:
    """The message named `message_id`, or None when the name is not one the catcher writes or is absent."""
    named = MESSAGE_ID.match(message_id)
    path = folder / f"{message_id}.eml"
    if named is None or not path.is_file():
        return None
    parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    received = datetime.strptime(named.group(1), "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
    return OutboxMessage(message_id, received, str(parsed.get("From", "")), str(parsed.get("To", "")),
                         str(parsed.get("Subject", "")), _text_of(parsed))


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else ""
