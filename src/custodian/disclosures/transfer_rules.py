"""The policy's `business_transfer` rule applied to one transfer (issue 17 §5): which classes pass to the successor
and which do not (with why), what the successor is bound to, and what customers are told and when.

Seed 004 P18, "In the case of a business transaction, including but not limited to, a merger or sale of a portion
of Com 1 Communications assets, customer information will likely be part of the assets transferred", and P19, "In
this event, will attempt to notify impacted customers that their information has been transferred."

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from custodian.access.customer_mail import CustomerNotice
from custodian.disclosures.rules import Refusal
from custodian.policy.document import PolicyDocument
from custodian.policy.vocabulary import CLASS_LABELS

PURPOSE = "business_transfer"  # the purpose the disclosure ledger records a transfer under
NOTICE_WORDS = {"before_transfer": "before", "after_transfer": "after", "attempt_after_transfer": "after"}


@dataclass(frozen=True)
class TransferPlan:
    """What the policy lets pass to `successor`, what it keeps back and why, and the terms of the transfer."""

    successor: str
    passes: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]  # (class, why)
    binding: tuple[str, ...]
    notify: str  # the policy's notify_customers: before_transfer, after_transfer, attempt_after_transfer, never
    description: str

    @property
    def notice_first(self) -> bool:
        """Customers are told before the transfer is recorded (notify_customers: before_transfer)."""
        return self.notify == "before_transfer"

    def as_json(self) -> dict[str, object]:
        """The plan as the CLI prints it."""
        return {"successor": self.successor, "passes": list(self.passes),
                "refused": [{"class": name, "why": why} for name, why in self.refused],
                "binding": list(self.binding), "notify_customers": self.notify}


def plan_transfer(doc: PolicyDocument, successor: str, classes: Sequence[str]) -> TransferPlan | Refusal:
    """Apply the policy's business_transfer rule to a transfer of `classes` to `successor`; a Refusal when the
    policy foresees no business transfer, or none of the classes may pass."""
    successor = successor.strip()
    if not successor:
        raise ValueError("--successor: name the successor")
    if not classes:
        raise ValueError("--classes: name at least one record class")
    rule = doc.business_transfer
    if rule is None:
        return Refusal("no_business_transfer_rule", "the policy foresees no business transfer (business_transfer)")
    passes: list[str] = []
    refused: list[tuple[str, str]] = []
    for name in dict.fromkeys(classes):
        if name not in doc.record_classes:
            refused.append((name, f"the policy lists no record class {name}"))
        elif name not in rule.classes:
            refused.append((name, "the policy's business_transfer rule does not include it"))
        else:
            passes.append(name)
    if not passes:
        return Refusal("no_class_passes", "none of the classes asked may pass under the business_transfer rule: "
                       + "; ".join(f"{name}: {why}" for name, why in refused))
    return TransferPlan(successor, tuple(passes), tuple(refused), _binding(doc, successor), rule.notify_customers,
                        " ".join(rule.description.split()))


def _binding(doc: PolicyDocument, successor: str) -> tuple[str, ...]:
    rule = doc.business_transfer
    assert rule is not None
    if not rule.successor_bound_by_policy:
        return (f"The policy does not bind {successor} to it: after the transfer {successor}'s own privacy policy "
                "governs the information.",)
    return (f"{successor} must honour {doc.provider.name}'s privacy policy for the information it receives: the "
            "purposes it lists and no others, the customers' recorded choices, the retention periods and the "
            "customers' rights to see, correct and delete their information.",
            f"{successor} may not use the information for a new purpose without telling customers first and "
            "giving them the choices the policy gives.")


def transfer_mail(provider: str, plan: TransferPlan, account_ref: str, to: str, notice_url: str, *,
                  account_id: int | None = None) -> CustomerNotice:
    """The e-mail telling one customer that their information passes (or has passed) to the successor."""
    when = NOTICE_WORDS.get(plan.notify, "after")
    verb = "will pass" if when == "before" else "has passed"
    body = [f"This is a notice from {provider} about account {account_ref}.", "",
            f"{plan.description}", "",
            f"Your information {verb} to {plan.successor}. What is transferred:", ""]
    body += [f"  - {CLASS_LABELS.get(name, name)}" for name in plan.passes]
    body += ["", *plan.binding, "", f"Read our privacy notice at {notice_url}",
             f"Questions: contact {provider} customer service."]
    return CustomerNotice(to=to, subject=f"{provider}: your information and {plan.successor}",
                          body="\n".join(body) + "\n", account_id=account_id)
