"""The law-enforcement e-mail rule (DRG V.A): "SpectrumVoIP will not respond to an individual's private
email address or any e-mail address in a domain unassociated with the Requesting Agency"."""

from __future__ import annotations

import re

# Free-mail domains never qualify, even if a policy lists them by mistake.
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
    "aol.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "gmx.com", "gmx.net", "mail.com",
    "yandex.com", "zoho.com", "fastmail.com", "hushmail.com", "tutanota.com", "comcast.net", "att.net",
})
# .us locality domains: <name>.<locality or ci/co/state/k12...>.<state>.us (RFC 1480).
US_LOCALITY = re.compile(r"(?:^|\.)[a-z0-9-]+\.[a-z]{2}\.us$")


def email_domain(address: str) -> str | None:
    """The lower-cased domain of an e-mail address, or None when it is not an address."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or "." not in domain:
        return None
    return domain.lower().rstrip(".")


def is_government_email(address: str, allowed: list[str]) -> bool:
    """True for .gov, .mil, a .us locality domain, or a domain on the policy's agency allow-list."""
    domain = email_domain(address)
    if domain is None or domain in FREE_MAIL:
        return False
    if domain.endswith((".gov", ".mil")) or US_LOCALITY.search(domain):
        return True
    return any(domain == entry.lower() or domain.endswith("." + entry.lower()) for entry in allowed)
