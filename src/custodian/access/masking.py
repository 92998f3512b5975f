"""Masks the decision point names, applied to values before a page shows them (pure).

The policy's `masks` (document.Mask): `last_four` shows a card's last four digits only,
`masked_counterpart` hides the other party of a call but its last two digits, `counts_only`
shows how many records exist and none of their detail.
"""

from __future__ import annotations

from collections.abc import Mapping

HIDDEN = "•"
# Fields of a call, SMS or fax record that name the other party (records.payload field names).
COUNTERPART_FIELDS = frozenset({"counterpart", "src", "dst", "clid", "from", "to", "lastdata", "dstchannel", "channel"})


def mask_counterpart(number: str) -> str:
    """Every digit but the last two hidden: '+14155550142' -> '•••••••••42'."""
    digits = [ch for ch in number if ch.isdigit()]
    if len(digits) <= 2:
        return HIDDEN * len(digits)
    return HIDDEN * (len(digits) - 2) + "".join(digits[-2:])


def last_four(number: str) -> str:
    """Only the last four digits: '4111111111111111' -> '•••• 1111'."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"{HIDDEN * 4} {digits[-4:]}" if digits else ""


def masked_detail(detail: Mapping[str, str], mask: str | None) -> dict[str, str]:
    """A record's decrypted fields with the mask applied; `own` (the customer's number) stays."""
    if mask != "masked_counterpart":
        return dict(detail)
    return {name: (mask_counterpart(value) if name in COUNTERPART_FIELDS and value else value)
            for name, value in detail.items()}
