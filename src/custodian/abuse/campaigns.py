"""10DLC campaign registration rules (pure): 002 P111, "Per 10DLC regulations, SpectrumVoIP cannot provide SMS / MMS
functionality to businesses with the legal entity type of Sole Proprietorship without EINs. All businesses must
provide an EIN to SpectrumVoIP at setup."""

from __future__ import annotations

import re
from dataclasses import dataclass

ENTITY_TYPES = ("corporation", "llc", "partnership", "sole_proprietor", "nonprofit", "government")
EIN = re.compile(r"^\d{2}-?\d{7}$")
# Prefixes the IRS never assigns (00, 07-09, 17-19, 28-29, 49, 69-70, 78-79, 89, 96-97).
UNASSIGNED_PREFIXES = frozenset({"00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79",
                                 "89", "96", "97"})


class CampaignRefused(ValueError):
    """The registration breaks a rule; the message names it."""


@dataclass(frozen=True)
class CampaignAsk:
    """What a business asks to register: its entity type and EIN, the campaign's use, its numbers (E.164)."""

    entity_type: str
    ein: str
    use_case: str
    numbers: tuple[str, ...]


def normal_ein(text: str) -> str:
    """An EIN as NN-NNNNNNN, or CampaignRefused."""
    raw = text.strip()
    if not EIN.match(raw):
        raise CampaignRefused("ein: nine digits, NN-NNNNNNN")
    digits = raw.replace("-", "")
    if digits[:2] in UNASSIGNED_PREFIXES:
        raise CampaignRefused(f"ein: the prefix {digits[:2]} is not one the IRS assigns")
    return f"{digits[:2]}-{digits[2:]}"


def check_campaign(ask: CampaignAsk, *, account_kind: str, max_numbers: int) -> str:
    """The EIN to register, normalised; CampaignRefused naming the rule otherwise."""
    if account_kind != "business":
        raise CampaignRefused("business_only: 10DLC campaigns are registered for business accounts")
    if ask.entity_type not in ENTITY_TYPES:
        raise CampaignRefused(f"entity_type: one of {', '.join(ENTITY_TYPES)}")
    if not ask.ein.strip():
        if ask.entity_type == "sole_proprietor":
            raise CampaignRefused("ein_required: no SMS for a sole proprietorship without an EIN (10DLC)")
        raise CampaignRefused("ein_required: every business provides an EIN at setup")
    ein = normal_ein(ask.ein)
    if not ask.use_case.strip() or len(ask.use_case) > 200:
        raise CampaignRefused("use_case: say what the campaign sends, in at most 200 characters")
    if not ask.numbers:
        raise CampaignRefused("numbers: a campaign sends from at least one number")
    if len(set(ask.numbers)) != len(ask.numbers):
        raise CampaignRefused("numbers: a number is named twice")
    if len(ask.numbers) > max_numbers:
        raise CampaignRefused(f"too_many_numbers: at most {max_numbers} numbers per campaign, {len(ask.numbers)} "
                              "asked")
    return ein
