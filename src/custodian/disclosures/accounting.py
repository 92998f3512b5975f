"""The accounting of disclosures (issue 17 §3): per account, every disclosure the ledger holds -- releases through
the gate and the legal desk's productions -- in people's words, except those a nondisclosure order still covers
(18 U.S.C. 2705(b), 2709(c); SpectrumVoIP DRG VIII: "will notify the affected customer(s) as soon as the order is
overturned or expires"). A covered production is left out entirely, not counted: the customer cannot learn of a
sealed request from its accounting. It appears from the moment the order ends or is lifted.

The officer's view counts releases and accounts per recipient and purpose per month. Pure: `now` is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from custodian.policy.document import PolicyDocument, Recipient
from custodian.policy.vocabulary import CLASS_LABELS

LEGAL_PURPOSE = "legal_obligation"
LEGAL_PURPOSE_WORDS = "To comply with legal process (a subpoena, court order, warrant or emergency request)"
FORM_WORDS = {"identifiable": "Records that identify you",
              "de_identified": "De-identified records (your name and numbers replaced)",
              "aggregate": "Counts only, nothing about you alone"}
MONTHS = 12
DISCLOSURE_COLUMNS = ("date", "recipient", "address", "purpose", "categories", "form", "legal_process")
DISCLOSURE_MEANINGS = (
    ("date", "the day the records were given (UTC)"),
    ("recipient", "who received them: a company our privacy policy names, or the authority that served legal process"),
    ("address", "the recipient's postal address, where our privacy policy gives one"),
    ("purpose", "why, in the words of our privacy policy"),
    ("categories", "which kinds of your records were given, separated by ;"),
    ("form", "whether the records identified you, were de-identified, or were counts only"),
    ("legal_process", "yes when we gave them because the law required it (a subpoena, court order, warrant or "
                      "emergency request)"))


@dataclass(frozen=True)
class LedgerEntry:
    """One disclosure of one account as the ledger holds it, with what its nondisclosure order (if any) says."""

    made_at: datetime
    recipient: str  # the policy's recipient key, or the requesting agency of a legal production
    purpose: str
    classes: tuple[str, ...]
    form: str
    legal: bool
    withheld_until: datetime | None = None
    withheld_until_lifted: bool = False
    order_lifted_on: date | None = None
    order_until: date | None = None  # the order's end as the desk holds it now: a later extension moves it


@dataclass(frozen=True)
class Disclosed:
    """One disclosure as the customer reads it."""

    made_at: datetime
    recipient: str
    address: str
    purpose: str
    categories: tuple[str, ...]
    form: str
    legal: bool

    def as_row(self) -> dict[str, str]:
        """The disclosure as one row of the export's CSV and JSON (the keys are DISCLOSURE_COLUMNS)."""
        return {"date": self.made_at.date().isoformat(), "recipient": self.recipient, "address": self.address,
                "purpose": self.purpose, "categories": "; ".join(self.categories), "form": self.form,
                "legal_process": "yes" if self.legal else "no"}


def covered_by_order(entry: LedgerEntry, now: datetime) -> bool:
    """True while a nondisclosure order still covers the disclosure: until its end (as recorded at delivery, or
    later if the desk now holds a later end), or, for an order without end, until it is lifted."""
    if entry.order_lifted_on is not None and entry.order_lifted_on <= now.date():
        return False
    if entry.withheld_until_lifted or (entry.order_until is not None and now.date() < entry.order_until):
        return True
    return entry.withheld_until is not None and now < entry.withheld_until


def find_recipient(documents: Sequence[PolicyDocument], key: str) -> Recipient | None:
    """The recipient named `key` in the newest of `documents` (newest first) that lists it."""
    return next((d.recipients[key] for d in documents if key in d.recipients), None)


def purpose_words(documents: Sequence[PolicyDocument], key: str) -> str:
    """How the policy describes a purpose (the legal desk's purpose has its own words when the policy has none)."""
    found = next((d.purposes[key].description for d in documents if key in d.purposes), None)
    if found:
        return found
    return LEGAL_PURPOSE_WORDS if key == LEGAL_PURPOSE else key.replace("_", " ")


def describe(entry: LedgerEntry, documents: Sequence[PolicyDocument]) -> Disclosed:
    """The disclosure in people's words: the recipient's name and address from the policy, the purpose's
    description, the labels of the classes, the form."""
    recipient = None if entry.legal else find_recipient(documents, entry.recipient)
    return Disclosed(entry.made_at, recipient.name if recipient else entry.recipient,
                     recipient.address if recipient else "", purpose_words(documents, entry.purpose),
                     tuple(CLASS_LABELS.get(c, c) for c in entry.classes), FORM_WORDS.get(entry.form, entry.form),
                     entry.legal)


def accounting(entries: Iterable[LedgerEntry], documents: Sequence[PolicyDocument], now: datetime) -> list[Disclosed]:
    """Every disclosure of the account up to `now` that no nondisclosure order covers, newest first."""
    shown = [e for e in entries if e.made_at <= now and not covered_by_order(e, now)]
    return [describe(e, documents) for e in sorted(shown, key=lambda e: e.made_at, reverse=True)]


def page_of(items: Sequence[Disclosed], page: int, per_page: int) -> tuple[list[Disclosed], int, int]:
    """One page of `items` (1-based, clamped), with the page number shown and the number of pages."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    return list(items[(page - 1) * per_page:page * per_page]), page, pages


@dataclass(frozen=True)
class ReleaseCount:
    """One release, as the officer's totals count it."""

    made_at: datetime
    recipient: str
    purpose: str
    accounts: int


@dataclass(frozen=True)
class MonthlyTotals:
    """Releases and accounts disclosed per recipient and purpose per month, over the last `MONTHS` months."""

    months: tuple[str, ...]  # "YYYY-MM", oldest first
    rows: tuple[tuple[str, str, tuple[int, ...], tuple[int, ...]], ...]  # recipient, purpose, releases, accounts

    def accounts_per_month(self) -> tuple[int, ...]:
        """Accounts disclosed per month, all recipients together (the chart's bars)."""
        return tuple(sum(row[3][i] for row in self.rows) for i in range(len(self.months)))

    def releases_per_month(self) -> tuple[int, ...]:
        """Releases per month, all recipients together."""
        return tuple(sum(row[2][i] for row in self.rows) for i in range(len(self.months)))


def last_months(now: datetime, count: int = MONTHS) -> tuple[str, ...]:
    """The `count` calendar months up to and including `now`'s, oldest first, as "YYYY-MM"."""
    index = now.year * 12 + now.month - 1
    return tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1))


def monthly_totals(releases: Iterable[ReleaseCount], now: datetime) -> MonthlyTotals:
    """Totals per (recipient, purpose) per month over the last twelve months, recipients in name order."""
    months = last_months(now)
    column = {m: i for i, m in enumerate(months)}
    counts: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    for release in releases:
        i = column.get(f"{release.made_at.year:04d}-{release.made_at.month:02d}")
        if i is None or release.made_at > now:
            continue
        made, accounts = counts.setdefault((release.recipient, release.purpose), ([0] * len(months),
                                                                                  [0] * len(months)))
        made[i] += 1
        accounts[i] += release.accounts
    return MonthlyTotals(months, tuple((r, p, tuple(m), tuple(a)) for (r, p), (m, a) in sorted(counts.items())))
