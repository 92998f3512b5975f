"""The preference centre (issue 16 §3): each purpose the policy lets the customer choose, in the policy's own
words, per contact medium where the purpose contacts them, with what the ledger decides now in a person's
words; and the choices a submitted form makes. Pure: every decision comes from `ConsentSnapshot.allowed`.

Seed 004: customers may opt out of product notices (the "No Solicitation" form); seed 002 P50, P52: an
opt-out for new uses and disclosure, opt-in for sensitive data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from custodian.consent.purposes import contact_purposes
from custodian.consent.snapshot import ConsentSnapshot
from custodian.policy.compiled import CompiledPolicy

CONTACT_MEDIA = ("email", "sms", "phone", "post")
MEDIUM_LABELS = {"any": "This use", "email": "E-mail", "sms": "Text messages", "phone": "Phone calls",
                 "post": "Post"}
# The basis `allowed` answers with, as the customer reads it.
STATUS_WORDS = {
    "opt_in granted": "Yes — you agreed",
    "opt_in not given": "No — only if you agree",
    "withdrawn": "No — you withdrew your consent",
    "denied": "No — you said no",
    "opt_out not exercised": "Yes, until you say no",
    "opted out": "No — you opted out",
    "consent given under earlier wording: renew": "No — the wording changed, agree again to continue",
    "one-time oral approval for this call": "Yes, for the call in progress only",
    "oral approval ended with the call": "No — your approval ended with the call",
    "cpni opt-out notice not sent": "No — not until we have sent you our notice and 30 days have passed",
    "cpni opt-out notice period running": "No — not until 30 days after our notice",
    "cpni opt-out approval inferred": "Yes, until you say no (30 days after our notice)",
    "cpni opt-out notice older than two years: renew": "No — our notice must be sent again first",
}
YES, NO = "yes", "no"


@dataclass(frozen=True)
class Item:
    """One choice on the page: a purpose, for one contact medium (or `any`), and where it stands now."""

    purpose: str
    medium: str
    allowed: bool
    status: str

    @property
    def field(self) -> str:
        """The form field that carries the customer's answer."""
        return f"{self.purpose}.{self.medium}"

    @property
    def label(self) -> str:
        """The medium as the page names it."""
        return MEDIUM_LABELS[self.medium]


@dataclass(frozen=True)
class PurposeChoices:
    """One purpose the customer may choose: its description from the policy and its items."""

    purpose: str
    description: str
    opt_in: bool
    items: tuple[Item, ...]


def preference_view(snapshot: ConsentSnapshot, policy: CompiledPolicy, account_id: int,
                    at: datetime) -> list[PurposeChoices]:
    """Every purpose with a choice, in the policy's order; purposes that contact the customer per medium."""
    document = policy.document
    contacting = set(contact_purposes({n: p.data_use for n, p in document.purposes.items()},
                                      {n: rule.choice for n, rule in snapshot.rules.items()}))
    view: list[PurposeChoices] = []
    for name, purpose in document.purposes.items():
        rule = snapshot.rules.get(name)
        if rule is None or rule.choice == "none":
            continue
        media = CONTACT_MEDIA if name in contacting else ("any",)
        items = []
        for medium in media:
            decision = snapshot.allowed(account_id, name, at, medium)
            items.append(Item(name, medium, decision.allowed, STATUS_WORDS.get(decision.basis, decision.basis)))
        view.append(PurposeChoices(name, purpose.description.rstrip("."), rule.choice == "opt_in", tuple(items)))
    return view


@dataclass(frozen=True)
class Change:
    """A choice to record: the purpose, the medium and `granted`, `denied` or `withdrawn`."""

    purpose: str
    medium: str
    choice: str


def changes_from(view: list[PurposeChoices], answers: Mapping[str, str]) -> list[Change]:
    """The choices the answers make: only where the answer differs from what the ledger decides now. An
    answer for a field the page did not offer, or other than yes/no, is a ValueError naming the field."""
    offered = {item.field: (purpose, item) for purpose in view for item in purpose.items}
    for field, answer in answers.items():
        if field not in offered:
            raise ValueError(f"{field}: not a choice this page offers")
        if answer not in (YES, NO):
            raise ValueError(f"{field}: answer yes or no")
    made: list[Change] = []
    for field, (purpose, item) in offered.items():
        wanted = answers.get(field)
        if wanted == YES and not item.allowed:
            made.append(Change(item.purpose, item.medium, "granted"))
        elif wanted == NO and item.allowed:
            made.append(Change(item.purpose, item.medium, "withdrawn" if purpose.opt_in else "denied"))
    return made
