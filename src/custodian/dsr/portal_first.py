"""Seed 002 P154: "SpectrumVoIP will comply with a Data Request sent from a Customer or End User only where
required by law and after a showing that such data cannot be obtained through the Admin Portal."

With the policy's `privacy_requests.portal_first`, a customer's access or CPNI copy request is answered by
pointing to the portal — where the customer sees and downloads the same records — when the requester has an
online account and did not say the portal cannot give the data. A request a privacy law requires an answer to
(the jurisdiction's deadline rule covers its type: it has a due day) is never turned away for that reason."""

from __future__ import annotations

from datetime import date

PORTAL_TYPES = frozenset({"access", "cpni_copy"})


def points_to_portal(*, portal_first: bool, request_type: str, showing: bool | None, online_account: bool,
                     due_on: date | None) -> bool:
    """Whether the answer is the portal rather than a copy."""
    required_by_law = due_on is not None
    return (portal_first and request_type in PORTAL_TYPES and online_account and not showing
            and not required_by_law)


def showing_words(showing: bool | None) -> str:
    """What the queue shows of the requester's showing."""
    if showing is None:
        return "not asked"
    if showing:
        return "the requester says the information cannot be obtained through the customer portal"
    return "the requester did not say the information cannot be obtained through the customer portal"
