"""Shine the Light (Cal. Civ. Code 1798.83): which third parties received the customer's personal information for
their own direct marketing in the previous calendar year, each with name, address and categories of information.

Until Custodian records disclosures one by one, the answer is drawn from the provider's published list of
recipients in the policy versions in force during that year (the version in force now when Custodian held none
then), and says so. A recipient counts when it receives
identifiable information, is not the provider's processor or auditor, has not signed `no_own_marketing`, and
receives it for a purpose whose data use is marketing (`marketing.*`). The rule is pure; `fulfil_shine_the_light`
is the fulfiller dsr/fulfillers.py binds to the type."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from custodian.crypto.keyring import Keyring
from custodian.dsr.fulfilment import Outcome
from custodian.dsr.types import PrivacyRequest
from custodian.policy import store as policy_store
from custodian.policy.document import PolicyDocument
from custodian.policy.vocabulary import CLASS_LABELS

REQUEST_TYPE = "shine_the_light"
SOURCE = "from the provider's published list of recipients"
NO_ADDRESS = "no address published; ask our privacy contact"
NOT_MARKETERS = frozenset({"processor", "auditor"})


@dataclass(frozen=True)
class MarketingRecipient:
    """A third party that received personal information for its own direct marketing."""

    name: str
    address: str
    categories: tuple[str, ...]  # labels of the record classes, as the notice names them

    def line(self) -> str:
        """The recipient as the answer lists it."""
        return f"{self.name}, {self.address or NO_ADDRESS}: {', '.join(self.categories)}"


def previous_year(now: datetime) -> tuple[datetime, datetime]:
    """The previous calendar year [1 January, next 1 January) in UTC (1798.83(a): 'the immediately preceding
    calendar year')."""
    year = now.astimezone(UTC).year - 1
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def marketing_recipients(documents: Iterable[PolicyDocument]) -> list[MarketingRecipient]:
    """The recipients of any of `documents` that receive identifiable information for their own direct marketing,
    by name (one entry per name, categories merged)."""
    found: dict[str, tuple[str, set[str]]] = {}
    for document in documents:
        for recipient in document.recipients.values():
            marketing = any(document.purposes[p].data_use.startswith("marketing.")
                            for p in recipient.purposes if p in document.purposes)
            if (recipient.kind in NOT_MARKETERS or recipient.data_form != "identifiable" or not marketing
                    or "no_own_marketing" in recipient.contract.terms):
                continue
            address, classes = found.get(recipient.name, ("", set()))
            found[recipient.name] = (address or recipient.address, classes | set(recipient.classes))
    return [MarketingRecipient(name, address, tuple(sorted(CLASS_LABELS.get(c, c) for c in classes)))
            for name, (address, classes) in sorted(found.items())]


def answer(recipients: list[MarketingRecipient], year: int) -> Outcome:
    """The answer to a Shine the Light request for `year`: the statement, then one line per recipient (what the
    requester's final response lists); the summary is the staff's note."""
    if not recipients:
        return Outcome(f"{year}: no direct-marketing recipient in the published list",
                       done=[f"In {year} we disclosed none of your personal information to third parties for their "
                             f"own direct marketing ({SOURCE})."])
    return Outcome(f"{year}: {len(recipients)} direct-marketing recipient(s) listed, {SOURCE}",
                   done=[f"In {year} these third parties received personal information for their own direct "
                         f"marketing, {SOURCE} (name, address: categories of information):",
                         *(r.line() for r in recipients)])


def versions_in(conn: Connection, start: datetime, end: datetime) -> list[PolicyDocument]:
    """The documents of the policy versions in force at some time in [start, end)."""
    versions = [v for v in policy_store.history(conn) if v.effective_at < end]  # newest first
    first = next((i for i, v in enumerate(versions) if v.effective_at <= start), len(versions) - 1)
    return [v.compiled().document for v in versions[:first + 1]]


def fulfil_shine_the_light(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str,
                           now: datetime) -> Outcome:
    """Answer a verified Shine the Light request for the previous calendar year."""
    start, end = previous_year(now)
    documents = versions_in(conn, start, end)
    if not documents:  # Custodian held no policy then: the list published now is the best account of that year
        current = policy_store.in_force(conn, now)
        documents = [current.compiled().document] if current is not None else []
    return answer(marketing_recipients(documents), start.year)
