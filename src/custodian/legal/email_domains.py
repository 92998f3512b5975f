"""The law-enforcement e-mail rule (DRG V.A): "SpectrumVoIP will not respond to an individual's private
email address or any e-mail address in a domain unassociated with the Requesting Agency"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from custodian.policy.document_legal import AgencyDomains

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


def agency_email_problem(address: str, agency: str | None, listed: Sequence[AgencyDomains],
                         allowed: list[str]) -> str | None:
    """The e-mail code of an agency's address, or None when it is in the agency's domain (DRG V.A).

    A listed agency's address must be in one of its domains (city and county police departments are
    rarely .gov); for any other agency the government-domain rule applies, and a government address in
    the domain of a different listed agency is flagged.
    """
    domain = email_domain(address)
    own = _entry_of(agency, listed)
    if own is not None:
        return None if domain is not None and domain not in FREE_MAIL and _within(domain, own.domains) \
            else "email_not_agency_domain"
    if not is_government_email(address, allowed):
        return "email_not_government_domain"
    if domain is not None and any(_within(domain, entry.domains) for entry in listed):
        return "email_domain_other_agency"
    return None


def _entry_of(agency: str | None, listed: Sequence[AgencyDomains]) -> AgencyDomains | None:
    wanted = " ".join((agency or "").lower().split())
    return next((entry for entry in listed if " ".join(entry.agency.lower().split()) == wanted), None) \
        if wanted else None


def _within(domain: str, domains: Sequence[str]) -> bool:
    return any(domain == entry.lower() or domain.endswith("." + entry.lower()) for entry in domains)
