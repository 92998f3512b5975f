"""Breach notification templates (issue 18 §2): to law enforcement through the central reporting facility (the
fields of 47 CFR 64.2011(a)(1) (2024), (b) (2007)), to customers (47 CFR 64.2011(b) (2024); Tex. Bus. & Com. Code
521.053(b)), to the covered entity (45 CFR 164.410(c): identification of each individual and what is known) and
to the attorney general (Tex. Bus. & Com. Code 521.053(i)). Pure: laid out as a legal Letter, so the text and
PDF are drawn by legal/letters.py and legal/documents.py like every other letter of Custodian."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from custodian.legal.letters import Letter

TEMPLATES = {"law_enforcement": "central_reporting_facility", "regulator": "central_reporting_facility",
             "customer": "customer_notice", "covered_entity": "covered_entity_notice",
             "attorney_general": "attorney_general_notice", "annual_summary": "annual_summary"}
ADDRESSEES = {
    "law_enforcement": ("United States Secret Service and Federal Bureau of Investigation",
                        "through the FCC's central reporting facility"),
    "regulator": ("Federal Communications Commission", "through the central reporting facility"),
    "covered_entity": ("The covered entity (HIPAA), privacy officer",),
    "attorney_general": ("Office of the Attorney General of Texas", "Consumer Protection Division"),
    "annual_summary": ("Federal Communications Commission", "annual summary of small breaches"),
    "customer": ("Dear customer",),
}


@dataclass(frozen=True)
class IncidentFacts:
    """What a notice says about one incident: no personal data, only the register's words and counts."""

    reference: str
    description: str
    method: str
    occurred_from: datetime | None
    occurred_to: datetime | None
    discovered_on: date
    determined_on: date
    affected: int | None
    financial_loss: str
    data_types: tuple[str, ...]  # people-facing labels of the record classes involved


@dataclass(frozen=True)
class Sender:
    """The provider and the contact that signs."""

    provider: str
    contact_lines: tuple[str, ...]
    contact_phone: str = ""
    contact_email: str = ""


def notice_letter(kind: str, facts: IncidentFacts, sender: Sender, today: date) -> Letter:
    """The notice of `kind` for the incident, as a letter."""
    if kind == "customer":
        return _customer(facts, sender, today)
    return Letter(provider=sender.provider, dated=today, reference=f"Breach notification, our reference "
                  f"{facts.reference}", addressee=ADDRESSEES[kind], salutation="To whom it may concern,",
                  opening=_OPENINGS[kind], reasons=_facts_lines(facts, sender),
                  closing=("We will supplement this notification as we learn more. Please quote our reference "
                           "when you contact us."),
                  signature=sender.contact_lines)


def _facts_lines(facts: IncidentFacts, sender: Sender) -> tuple[str, ...]:
    return (
        f"Carrier: {sender.provider}; contact: {', '.join(sender.contact_lines[:1] + _reach(sender))}",
        f"Description of the breach incident: {facts.description}",
        f"Method of compromise: {facts.method or 'under investigation'}",
        f"Date range of the incident: {_range(facts)}",
        f"Discovered on {facts.discovered_on.isoformat()}; reasonably determined on {facts.determined_on.isoformat()}",
        f"Approximate number of customers affected: {_count(facts.affected)}",
        f"Estimated financial loss to the carrier and customers: {facts.financial_loss or 'not yet estimated'}",
        f"Types of data breached: {', '.join(facts.data_types) or 'under investigation'}",
    )


def _customer(facts: IncidentFacts, sender: Sender, today: date) -> Letter:
    reach = " or ".join(_reach(sender)) or "our customer service"
    return Letter(
        provider=sender.provider, dated=today, reference=f"Notice of a data security incident ({facts.reference})",
        addressee=(), salutation="Dear customer,",
        opening=(f"We are writing to tell you about an incident that involved information about your account with "
                 f"{sender.provider}. This is what we know"),
        reasons=(f"What happened: {facts.description}",
                 f"When: {_range(facts)}; we found it on {facts.discovered_on.isoformat()}",
                 f"What information was involved: {', '.join(facts.data_types) or 'under investigation'}",
                 "What we are doing: we have told law enforcement and are investigating; we have acted to stop "
                 "it happening again",
                 "What you can do: watch your account and bills for anything you do not recognise, and change "
                 "your account password and CPNI password"),
        closing=f"If you have questions, contact us at {reach}, quoting the reference above.",
        signature=sender.contact_lines)


_OPENINGS = {
    "law_enforcement": ("We notify you of a breach of customer proprietary network information under 47 CFR "
                        "64.2011. The facts known today"),
    "regulator": "We notify the Commission of a breach of covered data under 47 CFR 64.2011(a). The facts known today",
    "covered_entity": ("As your business associate we notify you of a breach of unsecured protected health "
                       "information under 45 CFR 164.410. The affected individuals are listed in the attached "
                       "account list. The facts known today"),
    "attorney_general": ("We notify you under Tex. Bus. & Com. Code 521.053(i) of a breach of system security "
                         "involving at least 250 residents of Texas. The facts known today"),
    "annual_summary": ("Annual summary under 47 CFR 64.2011(a)(3) of a breach affecting fewer than 500 customers "
                       "for which no harm is reasonably likely. The facts"),
}


def _reach(sender: Sender) -> tuple[str, ...]:
    return tuple(part for part in (sender.contact_phone, sender.contact_email) if part)


def _range(facts: IncidentFacts) -> str:
    if facts.occurred_from is None:
        return "not yet known"
    end = facts.occurred_to.date().isoformat() if facts.occurred_to else "not yet known"
    return f"{facts.occurred_from.date().isoformat()} to {end}"


def _count(affected: int | None) -> str:
    return "not yet known" if affected is None else str(affected)
