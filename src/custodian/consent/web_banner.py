"""The cookie banner's rules (issue 16 §4): its categories, their version hash, what a visitor's answer
records, and the Global Privacy Control.

Pure. The categories are the policy's purposes that use the `web.cookie` class; essential ones (choice
`none`) are shown as always on and never recorded. A Global Privacy Control signal (`Sec-GPC: 1` or
`navigator.globalPrivacyControl`) is a request to opt out of sale and sharing that the business must honour
without asking (Cal. Civ. Code §1798.135(b)(1) and (e); CCPA Regulations, Cal. Code Regs. tit. 11,
§7025(b), (c)(1)): the purposes that sell or share are recorded `denied` with channel `gpc`, and any choice
sent for them with the signal is ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

COOKIE_CLASS = "web.cookie"
CONSENT_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
WEB_CHOICES = ("granted", "denied")


@dataclass(frozen=True)
class Category:
    """One cookie category of the banner: a purpose of the policy."""

    purpose: str
    label: str
    description: str
    essential: bool
    gpc: bool  # sells or shares: a GPC signal opts out of it

    def as_json(self) -> dict[str, Any]:
        """The category as consent.js reads it."""
        return {"purpose": self.purpose, "label": self.label, "description": self.description,
                "essential": self.essential, "gpc": self.gpc}


@dataclass(frozen=True)
class Banner:
    """What the banner offers under one policy version."""

    categories: tuple[Category, ...]
    version: str  # SHA-256 of the categories: a new value asks every visitor again

    def category(self, purpose: str) -> Category | None:
        """The category of `purpose`, or None."""
        return next((c for c in self.categories if c.purpose == purpose), None)


class BannerAnswerInvalid(ValueError):
    """A visitor's answer the banner could not have sent; `field` names the part at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def label_of(purpose: str) -> str:
    """A person-facing label of a purpose name: `site_analytics` -> `Site analytics`."""
    words = purpose.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def banner_of(purposes: Mapping[str, tuple[tuple[str, ...], str, str]], gpc_purposes: frozenset[str]) -> Banner:
    """The banner of a policy: `purposes` maps each purpose to (classes, choice, description); `gpc_purposes`
    are those a GPC signal opts out of (the consent rules' `sale_or_sharing`)."""
    categories = tuple(
        Category(name, label_of(name), description.strip(), choice == "none", choice != "none" and name in gpc_purposes)
        for name, (classes, choice, description) in sorted(purposes.items()) if COOKIE_CLASS in classes)
    canonical = json.dumps([c.as_json() for c in categories], sort_keys=True, separators=(",", ":"))
    return Banner(categories, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def entries_of_answer(banner: Banner, choices: Mapping[str, str], gpc: bool) -> list[tuple[str, str, str]]:
    """The ledger entries (purpose, choice, channel) one answer records, sorted by purpose; BannerAnswerInvalid
    naming `choices.PURPOSE` for a purpose that is not an optional category or a choice other than
    granted/denied."""
    entries: dict[str, tuple[str, str, str]] = {}
    for purpose, choice in choices.items():
        category = banner.category(purpose)
        if category is None or category.essential:
            raise BannerAnswerInvalid(f"choices.{purpose[:80]}", "not an optional cookie category of the policy")
        if choice not in WEB_CHOICES:
            raise BannerAnswerInvalid(f"choices.{purpose[:80]}", "choose granted or denied")
        if not (gpc and category.gpc):
            entries[purpose] = (purpose, choice, "web_banner")
    if gpc:
        for category in banner.categories:
            if category.gpc:
                entries[category.purpose] = (category.purpose, "denied", "gpc")
    return [entries[name] for name in sorted(entries)]


def check_consent_id(consent_id: str) -> str:
    """The consent id if it is one consent.js makes (16-64 URL-safe characters), else BannerAnswerInvalid."""
    if not CONSENT_ID.match(consent_id):
        raise BannerAnswerInvalid("consent_id", "16 to 64 letters, digits, '-' or '_'")
    return consent_id


def gpc_declaration(effective_on: date) -> dict[str, Any]:
    """`/.well-known/gpc.json`: the site honours GPC (GPC specification, "well-known resource")."""
    return {"gpc": True, "lastUpdate": effective_on.isoformat()}


def script_config(banner: Banner, *, provider: str, endpoint: str, privacy_url: str,
                  gpc_header: bool = False) -> dict[str, Any]:
    """The settings consent.js is served with; `gpc_header`: the script's own request carried `Sec-GPC: 1`
    (a browser may send the header without exposing `navigator.globalPrivacyControl`)."""
    return {"provider": provider, "version": banner.version, "endpoint": endpoint, "privacyUrl": privacy_url,
            "categories": [c.as_json() for c in banner.categories], "gpcHeader": gpc_header}
