"""The demo provider's stored content: voice messages, call recordings, faxes and chats (pure plan).

Each item sits inside a period when its account held the number involved; its payload is a
real file (WAV, PDF or text) made by `custodian.demo.media`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from custodian.demo import media
from custodian.demo import vocabulary as words
from custodian.demo.activity import ActiveLine, active_lines, iso_stamp
from custodian.demo.population import DemoPlan

# kind -> (share of items, direction or '' for either, file suffix, media type, business lines only)
KINDS = {
    "voice_message": (45, "in", "wav", "audio/wav", False),
    "call_recording": (20, "", "wav", "audio/wav", True),
    "fax_incoming": (12, "in", "pdf", "application/pdf", True),
    "fax_outgoing": (4, "out", "pdf", "application/pdf", True),
    "fax_sent": (9, "out", "pdf", "application/pdf", True),
    "chat": (10, "in", "txt", "text/plain", False),
}
FAX_MESSAGES = (
    "Referral and insurance details for the patient discussed by phone.",
    "Signed purchase order attached; please confirm delivery date.",
    "Updated lease addendum for your records.",
    "Prescription renewal request - please review and return.",
    "Proof of delivery for order 4471.",
)


@dataclass(frozen=True)
class ContentItem:
    """One manifest row and what its file holds."""

    account_ref: str
    kind: str
    occurred_s: int
    direction: str
    counterpart: str
    path: str
    media_type: str
    variant: int
    own_number: str
    holder_name: str

    def manifest_row(self) -> list[str]:
        """The row of the Custodian `content` manifest."""
        return [
            self.account_ref,
            self.kind,
            iso_stamp(self.occurred_s),
            self.direction,
            self.counterpart,
            self.path,
            self.media_type,
            self.own_number,  # the line the item is on (particularity: a number target reaches its line only)
        ]

    def payload(self) -> bytes:
        """The file's bytes."""
        if self.media_type == "audio/wav":
            return media.wav_bytes(self.variant)
        if self.media_type == "application/pdf":
            incoming = self.direction == "in"
            parties = [("Accounts desk", self.counterpart), (self.holder_name, self.own_number)]
            (sender, sender_number), (recipient, recipient_number) = (
                parties if incoming else parties[::-1]
            )
            return media.fax_pdf(
                sender,
                sender_number,
                recipient,
                recipient_number,
                iso_stamp(self.occurred_s)[:10],
                FAX_MESSAGES[self.variant % 5],
                1 + self.variant % 2,
            )
        return media.chat_transcript(
            list(words.CHAT_LINES[(self.variant % 2) * 4 :][:4]), iso_stamp(self.occurred_s)
        )


def content_items(plan: DemoPlan, count: int, seed: int) -> Iterator[ContentItem]:
    """About `count` content items spread over the activity window."""
    rng = random.Random(f"{seed}:content")
    lines = active_lines(plan, seed)
    business_lines = [line for line in lines if line.business] or lines
    kinds, shares = list(KINDS), [spec[0] for spec in KINDS.values()]
    for index in range(count if lines else 0):
        kind = rng.choices(kinds, weights=shares)[0]
        _, direction, suffix, media_type, business_only = KINDS[kind]
        line = rng.choice(business_lines if business_only else lines)
        yield _item(
            rng, line, index, kind, direction or rng.choice(("in", "out")), suffix, media_type
        )


def _item(
    rng: random.Random,
    line: ActiveLine,
    index: int,
    kind: str,
    direction: str,
    suffix: str,
    media_type: str,
) -> ContentItem:
    ref = line.account.ref
    return ContentItem(
        account_ref=ref,
        kind=kind,
        occurred_s=line.start_s + rng.randrange(line.end_s - line.start_s),
        direction=direction,
        counterpart="" if kind == "chat" else rng.choice(line.contacts),
        path=f"content/{ref}/{kind}-{index:05d}.{suffix}",
        media_type=media_type,
        variant=rng.randrange(media.WAV_VARIANTS),
        own_number=line.holding.number,
        holder_name=line.account.company or f"{line.account.first_name} {line.account.last_name}",
    )
