"""The promise ledger: every promise of the provider's documents and what keeps it (docs/policy.md "The ledger").

Four grades: `enforced` (runtime code keeps it and a cited test drives that code), `declared` (the policy states
it, nothing acts on it yet), `process` (people keep it), `not_yet_enforced` (nothing states or keeps it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from custodian.policy.document import PolicyDocument

STATUSES = ("enforced", "declared", "process", "not_yet_enforced")
LABELS = {"enforced": "enforced", "declared": "declared", "process": "kept by people",
          "not_yet_enforced": "not yet enforced"}


@dataclass(frozen=True)
class LedgerSummary:
    """How many promises are enforced, declared only, kept by people, or not yet enforced."""

    total: int
    enforced: int
    declared: int
    process: int
    not_yet_enforced: int

    def sentence(self) -> str:
        """The four counts as one line, enforced first."""
        return (f"{self.total} promises: {self.enforced} enforced, {self.declared} declared, "
                f"{self.process} kept by people, {self.not_yet_enforced} not yet enforced")


def summarise(document: PolicyDocument) -> LedgerSummary:
    """Count the ledger's promises by grade."""
    counts = Counter(promise.status for promise in document.promises)
    return LedgerSummary(total=len(document.promises), enforced=counts["enforced"], declared=counts["declared"],
                         process=counts["process"], not_yet_enforced=counts["not_yet_enforced"])
