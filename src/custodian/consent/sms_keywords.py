"""SMS keywords of a text-message marketing program (CTIA Messaging Principles and Best Practices, 2019,
§5.1.2 "opt-out" and §5.1.3 "HELP"; the Twilio-style gateway convention for inbound messages).

Pure: the whole message, trimmed and case-folded, is the keyword; anything else is not one. STOP and its
synonyms opt the sender out, by SMS, of every purpose the customer may choose that contacts them
(`contact_purposes`); START and UNSTOP restore what the last STOP turned off (`restored_by_start`); HELP
answers with the program's help text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Keyword = Literal["stop", "start", "help"]

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP"})
# Purposes whose fides data use is a marketing communication (fideslang: "e.g. email, sms, phone") reach the
# person; advertising shown on a site or analytics does not, so STOP does not cover them.


def keyword_of(body: str) -> Keyword | None:
    """The keyword a whole message is (case and surrounding or inner whitespace ignored), or None."""
    word = "".join(body.split()).upper()
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


@dataclass(frozen=True)
class PastChoice:
    """One earlier ledger entry of the sender: what was chosen for a purpose, for a medium, when, how."""

    purpose: str
    medium: str
    choice: str
    channel: str
    made_at: datetime


def last_stop(history: Iterable[PastChoice]) -> tuple[datetime, frozenset[str]] | None:
    """When the newest SMS STOP was made and the purposes it denied, or None when there was none."""
    stops = [entry for entry in history if entry.channel == "sms_keyword" and entry.choice == "denied"]
    if not stops:
        return None
    at = max(entry.made_at for entry in stops)
    return at, frozenset(entry.purpose for entry in stops if entry.made_at == at)


def restored_by_start(history: Iterable[PastChoice], choice_of: Mapping[str, str]) -> tuple[str, ...]:
    """The purposes START grants again: of those the last STOP denied, each whose latest SMS-relevant choice
    before it (medium sms or any) was a grant, or, with no earlier choice, each the policy lets run until
    the person opts out. A purpose already granted again after the STOP is not granted twice."""
    entries = [entry for entry in history if entry.medium in ("sms", "any")]
    stop = last_stop(entries)
    if stop is None:
        return ()
    at, denied = stop
    restored = []
    for purpose in sorted(denied):
        mine = [entry for entry in entries if entry.purpose == purpose]
        if any(entry.made_at > at for entry in mine):
            continue  # chosen again since the STOP: that choice stands
        before = [entry for entry in mine if entry.made_at < at]
        if before:
            if max(before, key=lambda entry: entry.made_at).choice == "granted":
                restored.append(purpose)
        elif choice_of.get(purpose) == "opt_out":
            restored.append(purpose)
    return tuple(restored)


def help_text(provider: str, contact: str) -> str:
    """The HELP answer: who sends, how to reach customer service, how to stop (CTIA §5.1.3)."""
    reach = f" Help: {contact}." if contact else ""
    return f"{provider}: account and marketing messages.{reach} Msg&data rates may apply. Reply STOP to opt out."


def stop_reply(provider: str) -> str:
    """The one confirmation a STOP gets (CTIA §5.1.2: confirm, then send nothing more)."""
    return f"{provider}: you are unsubscribed and will receive no more marketing messages. Reply START to resume."


def start_reply(provider: str) -> str:
    """The confirmation of START."""
    return f"{provider}: you are subscribed again. Reply HELP for help, STOP to opt out."
