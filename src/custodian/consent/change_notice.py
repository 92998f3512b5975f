"""What customers are told when a new policy version changes something material (pure).

Seed 000 P21, 001 P49 and 002 P64 promise that customers are told of material changes and given a choice;
issue 16 §5: an e-mail to each customer and a portal banner. The words come from the two documents, in the
people-facing labels of the published notice, never class or purpose keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from custodian.access.customer_mail import CustomerNotice
from custodian.policy.change import Change
from custodian.policy.document import PolicyDocument
from custodian.policy.notice import CHOICE_TEXT
from custodian.policy.vocabulary import CLASS_LABELS


@dataclass(frozen=True)
class ChangeSummary:
    """The material changes between two versions, in customers' words, and the choices to make again."""

    effective_on: date
    lines: tuple[str, ...]
    renew: tuple[str, ...]  # opt-in purposes changed materially: an earlier consent no longer counts
    may_opt_out: tuple[str, ...]  # opt-out purposes changed materially: the customer may opt out now


def summarise(old: PolicyDocument, new: PolicyDocument, changes: list[Change]) -> ChangeSummary:
    """Customer-facing sentences for the material `changes` (duplicates dropped, order kept)."""
    lines: list[str] = []
    for change in changes:
        if change.material:
            line = _sentence(old, new, change)
            if line not in lines:
                lines.append(line)
    changed = [new.purposes[name] for name in _renewed_purposes(new, changes)]
    return ChangeSummary(new.provider.effective_on, tuple(lines),
                         tuple(p.description.rstrip(".") for p in changed if p.choice == "opt_in"),
                         tuple(p.description.rstrip(".") for p in changed if p.choice == "opt_out"))


def _renewed_purposes(new: PolicyDocument, changes: list[Change]) -> list[str]:
    """Optional purposes changed materially (or new): a choice made under the old text must be made again."""
    names: list[str] = []
    for change in changes:
        parts = change.path.split(".")
        if (change.material and parts[0] == "purposes" and len(parts) > 1 and parts[1] in new.purposes
                and new.purposes[parts[1]].choice != "none" and parts[1] not in names):
            names.append(parts[1])
    return names


def _labels(names: str) -> str:
    return ", ".join(CLASS_LABELS.get(name.strip(), name.strip()).lower() for name in names.split(","))


def _sentence(old: PolicyDocument, new: PolicyDocument, change: Change) -> str:
    parts = change.path.split(".")
    head, name = parts[0], parts[1] if len(parts) > 1 else ""
    if head == "record_classes" and name in new.record_classes:
        label = CLASS_LABELS.get(name, new.record_classes[name].description).rstrip(".")
        return f"We now collect: {label}." if change.kind == "added" else f"We collect more kinds of: {label}."
    if head == "purposes" and name in new.purposes:
        purpose = new.purposes[name]
        what = purpose.description.rstrip(".")
        field = parts[2] if len(parts) > 2 else ""
        if change.kind == "added":
            return f"A new use of information we already hold: {what}."
        if field == "choice" and name in old.purposes:
            return (f"{what}: your choice changes from \"{CHOICE_TEXT[old.purposes[name].choice]}\" to "
                    f"\"{CHOICE_TEXT[purpose.choice]}\".")
        if field == "classes" and ":" in change.reason:
            return f"{what}: now also uses {_labels(change.reason.split(':', 1)[1])}."
        return f"{what}: the way we use your information for this changes."
    if head == "recipients" and name in new.recipients:
        recipient = new.recipients[name]
        if change.kind == "added":
            return f"We now share information with {recipient.name}" + (
                f" ({recipient.description.rstrip('.')})." if recipient.description else ".")
        return f"{recipient.name} receives more of your information, or for more purposes."
    if head == "retention":
        label = CLASS_LABELS.get(name, name)
        return f"We keep {label.lower()} longer." if name in CLASS_LABELS else "We keep some information longer."
    if head == "legal":
        return "What is needed before we answer some legal requests for your information changes."
    return "Other rules about your information change; the notice shows every detail."


def change_mail(provider: str, account_ref: str, to: str, summary: ChangeSummary, notice_url: str,
                choices_url: str, *, account_id: int | None = None) -> CustomerNotice:
    """The e-mail telling one customer of a material change, with what to do about their choices."""
    body = [f"This is a notice from {provider} about account {account_ref}.", "",
            f"Our privacy notice changes on {summary.effective_on:%B %-d, %Y}. What changes for you:", ""]
    body += [f"  - {line}" for line in summary.lines]
    body += ["", f"Read the whole notice, and every earlier version, at {notice_url}"]
    if summary.renew:
        body += ["", "We will not use your information for these until you agree again:"]
        body += [f"  - {what}" for what in summary.renew]
    if summary.may_opt_out:
        body += ["", "You may opt out of these:"]
        body += [f"  - {what}" for what in summary.may_opt_out]
    body += ["", f"Make or change your choices at any time at {choices_url}"]
    return CustomerNotice(to=to, subject=f"{provider}: changes to our privacy notice", body="\n".join(body) + "\n",
                          account_id=account_id)
