"""Vendors and contracts (issue 17 §4): each recipient of the policy in force, its contract, what it received, and
what needs the officer's attention: a contract lacking a term the policy requires (the checker's and the gate's
rule, policy/sharing_rules.missing_contract_terms), a transfer abroad the gate would refuse, a review overdue.

A contract is due for review 12 months after its last review (or after it was signed, before any review), or on
the next review day the officer set, whichever comes first. Pure: the reviews and the ledger's counts are passed in.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from custodian.disclosures.rules import INVALID_MECHANISMS
from custodian.policy.document import PolicyDocument, Recipient
from custodian.policy.sharing_rules import home_country, missing_contract_terms

REVIEW_MONTHS = 12
KIND_LABELS = {"processor": "Processor (acts on our instructions)", "partner": "Third party (partner)",
               "advertiser": "Advertiser (third party)", "affiliate": "Affiliate", "auditor": "Auditor"}
MECHANISM_LABELS = {
    "adequacy_decision": "EU adequacy decision", "standard_contractual_clauses": "Standard contractual clauses",
    "binding_corporate_rules": "Binding corporate rules",
    "data_privacy_framework": "EU–U.S. Data Privacy Framework", "privacy_shield": "Privacy Shield (invalidated)",
    "consent": "The customer's consent"}


@dataclass(frozen=True)
class Review:
    """The officer's latest review of a recipient's contract."""

    reviewed_on: date
    next_review_on: date | None
    reviewed_by: str
    note: str


@dataclass(frozen=True)
class Usage:
    """What the disclosure ledger holds for one recipient: releases, accounts disclosed, the last release."""

    releases: int
    accounts: int
    last_at: datetime | None


@dataclass(frozen=True)
class Vendor:
    """One recipient as the vendor list shows it."""

    key: str
    recipient: Recipient
    abroad: bool
    review: Review | None
    due_on: date | None
    usage: Usage
    warnings: tuple[str, ...]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(review: Review | None, signed_on: date | None) -> date | None:
    """When the contract is next to be reviewed: 12 months after the last review or the next review day set,
    whichever is first; before any review, 12 months after signing; None when neither is known."""
    if review is None:
        return None if signed_on is None else add_months(signed_on, REVIEW_MONTHS)
    due = add_months(review.reviewed_on, REVIEW_MONTHS)
    return min(due, review.next_review_on) if review.next_review_on else due


def vendors(doc: PolicyDocument, reviews: Mapping[str, Review], usage: Mapping[str, Usage],
            today: date) -> list[Vendor]:
    """Every recipient of `doc`, in the policy's order, with its review, its disclosures and its warnings."""
    home = home_country(doc)
    found = []
    for key, recipient in doc.recipients.items():
        review = reviews.get(key)
        due = review_due(review, recipient.contract.signed_on)
        abroad = recipient.country is not None and recipient.country != home
        found.append(Vendor(key, recipient, abroad, review, due, usage.get(key, Usage(0, 0, None)),
                            tuple(_warnings(doc, recipient, abroad, review, due, today))))
    return found


def _warnings(doc: PolicyDocument, recipient: Recipient, abroad: bool, review: Review | None, due: date | None,
              today: date) -> list[str]:
    words = []
    missing = missing_contract_terms(doc, recipient)
    if missing:
        words.append(f"The contract lacks {', '.join(term.replace('_', ' ') for term in missing)}, which the "
                     f"policy requires of every {recipient.kind}: the disclosure gate refuses every release to it.")
    if abroad and (recipient.transfer_mechanism is None or recipient.transfer_mechanism in INVALID_MECHANISMS):
        words.append("It is abroad without a valid transfer mechanism (Privacy Shield was invalidated on 16 July "
                     "2020, C-311/18): the gate refuses every release to it. Use the EU–U.S. Data Privacy "
                     "Framework or standard contractual clauses.")
    if due is None:
        words.append("No contract review is recorded, and the policy gives no signing date.")
    elif due < today:
        words.append(f"The contract review is overdue: it was due on {due.isoformat()}.")
    return words
