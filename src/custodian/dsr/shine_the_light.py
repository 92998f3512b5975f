"""Shine the Light (Cal. Civ. Code 1798.83): which third parties received the customer's personal information for
their own direct marketing in the previous calendar year, each with name, address and categories of information.

The answer is computed from the disclosure ledger (issue 17 §3): the releases of the customer's account made that
year to recipients that market directly, with the categories actually disclosed. For a year that began before
Custodian's records did (its audit trail's first event), the ledger cannot be complete, so the answer is drawn from
the provider's published list of recipients in the policy versions in force during that year (the version in force
now when Custodian held none then), and says so. A recipient counts when it receives identifiable information, is
not the provider's processor or auditor, has not signed `no_own_marketing`, and receives it for a purpose whose data
use is marketing (`marketing.*`). The rules are pure; `fulfil_shine_the_light` is the fulfiller dsr/fulfillers.py
binds to the type."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from custodian.audit.tables import audit_event
from custodian.crypto.keyring import Keyring
from custodian.disclosures.accounting import LedgerEntry, find_recipient
from custodian.disclosures.accounting_store import entries_for_account, policy_documents
from custodian.dsr.fulfilment import Outcome
from custodian.dsr.types import PrivacyRequest
from custodian.policy import store as policy_store
from custodian.policy.document import PolicyDocument, Recipient
from custodian.policy.vocabulary import CLASS_LABELS

REQUEST_TYPE = "shine_the_light"
SOURCE = "from the provider's published list of recipients"
LEDGER_SOURCE = "from our record of each disclosure of your account"
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


def markets_directly(document: PolicyDocument, recipient: Recipient, purposes: Iterable[str]) -> bool:
    """True when `recipient` is a third party that may use identifiable data for its own direct marketing: not a
    processor or auditor, no `no_own_marketing` term, identifiable data, a marketing purpose among `purposes`."""
    marketing = any(document.purposes[p].data_use.startswith("marketing.")
                    for p in purposes if p in document.purposes)
    return (recipient.kind not in NOT_MARKETERS and recipient.data_form == "identifiable" and marketing
            and "no_own_marketing" not in recipient.contract.terms)


def _listed(found: dict[str, tuple[str, set[str]]]) -> list[MarketingRecipient]:
    return [MarketingRecipient(name, address, tuple(sorted(CLASS_LABELS.get(c, c) for c in classes)))
            for name, (address, classes) in sorted(found.items())]


def marketing_recipients(documents: Iterable[PolicyDocument]) -> list[MarketingRecipient]:
    """The recipients of any of `documents` that receive identifiable information for their own direct marketing,
    by name (one entry per name, categories merged)."""
    found: dict[str, tuple[str, set[str]]] = {}
    for document in documents:
        for recipient in document.recipients.values():
            if not markets_directly(document, recipient, recipient.purposes):
                continue
            address, classes = found.get(recipient.name, ("", set()))
            found[recipient.name] = (address or recipient.address, classes | set(recipient.classes))
    return _listed(found)


def ledger_recipients(entries: Iterable[LedgerEntry], documents: list[PolicyDocument]) -> list[MarketingRecipient]:
    """The third parties the ledger shows received the account's identifiable data for a direct-marketing purpose,
    named and addressed as the newest policy listing them does, with the categories actually disclosed."""
    found: dict[str, tuple[str, set[str]]] = {}
    for entry in entries:
        recipient = None if entry.legal else find_recipient(documents, entry.recipient)
        document = next((d for d in documents if entry.recipient in d.recipients), None)
        if (recipient is None or document is None or entry.form != "identifiable"
                or not markets_directly(document, recipient, [entry.purpose])):
            continue
        address, classes = found.get(recipient.name, ("", set()))
        found[recipient.name] = (address or recipient.address, classes | set(entry.classes))
    return _listed(found)


def answer(recipients: list[MarketingRecipient], year: int, source: str = SOURCE) -> Outcome:
    """The answer to a Shine the Light request for `year`: the statement, then one line per recipient (what the
    requester's final response lists); the summary is the staff's note."""
    if not recipients:
        return Outcome(f"{year}: no direct-marketing recipient, {source}",
                       done=[f"In {year} we disclosed none of your personal information to third parties for their "
                             f"own direct marketing ({source})."])
    return Outcome(f"{year}: {len(recipients)} direct-marketing recipient(s) listed, {source}",
                   done=[f"In {year} these third parties received personal information for their own direct "
                         f"marketing, {source} (name, address: categories of information):",
                         *(r.line() for r in recipients)])


def fallback_source(records_start: datetime | None) -> str:
    """Where a year before the ledger is answered from, saying why."""
    since = f"; our record of each disclosure starts on {records_start.date().isoformat()}" if records_start else ""
    return f"{SOURCE}, as that year began before we recorded each disclosure{since}"


def versions_in(conn: Connection, start: datetime, end: datetime) -> list[PolicyDocument]:
    """The documents of the policy versions in force at some time in [start, end)."""
    versions = [v for v in policy_store.history(conn) if v.effective_at < end]  # newest first
    first = next((i for i, v in enumerate(versions) if v.effective_at <= start), len(versions) - 1)
    return [v.compiled().document for v in versions[:first + 1]]


def records_start(conn: Connection) -> datetime | None:
    """When Custodian's records begin: its audit trail's first event (the ledger is chained into it)."""
    first: datetime | None = conn.execute(select(func.min(audit_event.c.occurred_at))).scalar()
    return first


def fulfil_shine_the_light(conn: Connection, keyring: Keyring, request: PrivacyRequest, actor: str,
                           now: datetime) -> Outcome:
    """Answer a verified Shine the Light request for the previous calendar year: from the disclosure ledger, or
    for a year that began before Custodian's records, from the recipients the policy listed then."""
    start, end = previous_year(now)
    began = records_start(conn)
    if began is not None and began <= start:
        entries = entries_for_account(conn, request.account_id, start, end) if request.account_id else []
        return answer(ledger_recipients(entries, policy_documents(conn)), start.year, LEDGER_SOURCE)
    documents = versions_in(conn, start, end)
    if not documents:  # Custodian held no policy then: the list published now is the best account of that year
        current = policy_store.in_force(conn, now)
        documents = [current.compiled().document] if current is not None else []
    return answer(marketing_recipients(documents), start.year, fallback_source(began))
