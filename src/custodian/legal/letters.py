"""Letters the desk sends: the deficiency letter telling a requester what their request lacks (DRG V:
"SpectrumVoIP cannot reasonably consider a Data Request unless it includes at least the following
information"). A real letter: dated, addressed to the agency or counsel at their mailing address, each
reason in plain words with the field's human name, no internal codes, signed by the desk from the
policy's legal-requests contact. Pure: the PDF is drawn by legal/documents.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from custodian.legal.intake import plain_reason
from custodian.legal.types import LegalRequest, Requester
from custodian.legal.validate import Problem
from custodian.policy.document import Contact


@dataclass(frozen=True)
class Letter:
    """A letter's parts, laid out the same way as text and as PDF."""

    provider: str
    dated: date
    reference: str
    addressee: tuple[str, ...]
    salutation: str
    opening: str
    reasons: tuple[str, ...]
    closing: str
    signature: tuple[str, ...]


def deficiency_letter(provider: str, tracking_number: str, received_on: date, problems: Sequence[Problem],
                      document: LegalRequest, desk: Contact | None, today: date) -> Letter:
    """The letter asking the requester to correct every problem of their request."""
    return Letter(
        provider=provider, dated=today, reference=f"Your legal request, our reference {tracking_number}",
        addressee=addressee_lines(document.requester), salutation=_salutation(document.requester),
        opening=(f"We received your request on {_long(received_on)}. We cannot consider it until the points "
                 "below are corrected. Please send the corrected request, quoting our reference:"),
        reasons=tuple(plain_reason(problem, document) for problem in problems),
        closing=("Our reference stays the same for the corrected request. Until we receive it, the request "
                 "is on hold and no records will be produced."),
        signature=signature_lines(provider, desk))


def addressee_lines(requester: Requester) -> tuple[str, ...]:
    """Who the letter goes to: the agent and agency, or counsel for the party, then the mailing address."""
    if requester.type == "civil":
        names = [requester.counsel_name or "", f"Counsel for {requester.party_name}" if requester.party_name else ""]
    else:
        names = [requester.agent_name or "", requester.agency or ""]
    address = requester.mailing_address
    lines = [name for name in names if name]
    if address is not None:
        place = " ".join(p for p in (", ".join(p for p in (address.city, address.state) if p), address.postal_code)
                         if p)
        lines += [part for part in (address.street, place) if part]
        if address.country and address.country != "US":
            lines.append(address.country)
    return tuple(lines) or ("The requester",)


def signature_lines(provider: str, desk: Contact | None) -> tuple[str, ...]:
    """The desk's signature block from the policy's legal-requests contact."""
    if desk is None:
        return (f"Legal Requests, {provider}",)
    lines = [desk.name or "Legal Requests", provider, desk.address, desk.phone, desk.email]
    return tuple(line for line in lines if line)


def letter_text(letter: Letter) -> str:
    """The letter as plain text (e-mail body, or the CLI's output)."""
    lines = [letter.provider, "", _long(letter.dated), "", *letter.addressee, "", letter.reference, "",
             letter.salutation, "", letter.opening, ""]
    lines += [f"  {index}. {reason}." for index, reason in enumerate(letter.reasons, start=1)]
    lines += ["", letter.closing, "", "Sincerely,", "", *letter.signature, ""]
    return "\n".join(lines)


def _salutation(requester: Requester) -> str:
    name = requester.counsel_name if requester.type == "civil" else requester.agent_name
    return f"Dear {name}," if name else "Dear Sir or Madam,"


def _long(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"
