"""What a customer sees of their own account, and why any class is left out: the ONE definition both the portal's
pages (access/self_access.py) and the export ZIP (dsr/export) use, so the two always agree (issue 15 §2 "See" and
"Download everything": "Classes the policy withholds from self-access ... are listed in the README with the reason").

Seed 002: customers "download that data through their Admin Portal"; seed 004: customers "may access and modify
their personal information via their online personal control panel". A class is shown and in the copy when the policy
collects and stores it and Custodian keeps it, unless:
- it is `subscriber.credentials`: only one-way hashes are kept, which give nothing back and would help a guesser;
- the policy's `legal.process.customer` names it (`never`, or an instrument a customer's own request needs):
  the provider withholds it from self-access (for example notes of a fraud investigation in the comment log).
Pure: reads the policy document only."""

from __future__ import annotations

from dataclasses import dataclass

from custodian.policy.document import PolicyDocument
from custodian.policy.vocabulary import CLASS_LABELS

# The classes Custodian keeps for a customer to see, in the order the portal lists them and files appear in the
# export and its README.
EXPORTED = ("subscriber.basic", "numbers.assignments", "location.e911_address", "cpni.call_log", "cpni.fax_log",
            "cpni.sms_log", "content.voice_message", "content.call_recording", "content.fax_incoming",
            "content.fax_outgoing", "content.fax_sent", "content.sms_body", "content.chat", "billing.transactions",
            "billing.payment_instrument", "support.comment_log")
HASHES_ONLY = ("Your password, PIN and security answers are kept only as one-way hashes: they cannot be turned back "
               "into what you chose, and a copy would only help someone trying to guess them.")


@dataclass(frozen=True)
class SelfAccess:
    """The classes the customer sees and the copy holds (in file order), those withheld with the reason, and those
    the policy lists but Custodian does not keep (kept elsewhere by the provider)."""

    included: tuple[str, ...]
    withheld: dict[str, str]
    elsewhere: tuple[str, ...]


def self_access(document: PolicyDocument) -> SelfAccess:
    """What a customer sees of their own account, and their own copy holds, under `document`."""
    stored = [name for name, use in document.record_classes.items() if use.stored]
    rules = document.legal.process.get("customer", {})
    withheld: dict[str, str] = {}
    for name in stored:
        if name == "subscriber.credentials":
            withheld[name] = HASHES_ONLY
        elif name in rules:
            withheld[name] = _reason(document, name, rules[name])
    included = tuple(name for name in EXPORTED if name in stored and name not in withheld)
    elsewhere = tuple(sorted(name for name in stored if name not in withheld and name not in EXPORTED))
    return SelfAccess(included, withheld, elsewhere)


def _reason(document: PolicyDocument, name: str, rule: str) -> str:
    """Why the policy leaves a class out, in the words of the purposes that use it."""
    uses = sorted({use.description.rstrip(".") for use in document.purposes.values() if name in use.classes})
    why = f" We keep them for: {'; '.join(uses)}." if uses else ""
    if rule == "never":
        return f"Our privacy policy does not release these records to account holders.{why}"
    return f"Our privacy policy releases these records only under legal process ({rule.replace('_', ' ')}).{why}"


def label(record_class: str) -> str:
    """A record class as the customer reads it."""
    return CLASS_LABELS.get(record_class, record_class)
