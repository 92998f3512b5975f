"""The promise ledger: every promise of the provider's documents and what keeps it (issue 3, item 8)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from custodian.policy.document import PolicyDocument

STATUSES = ("enforced", "process", "not_yet_enforced")


@dataclass(frozen=True)
class LedgerSummary:
    """How many promises are enforced and tested, kept by process only, or not yet enforced."""

    total: int
    enforced: int
    process: int
    not_yet_enforced: int


def summarise(document: PolicyDocument) -> LedgerSummary:
    """Count the ledger's promises by status."""
    counts = Counter(promise.status for promise in document.promises)
    return LedgerSummary(total=len(document.promises), enforced=counts["enforced"], process=counts["process"],
                         not_yet_enforced=counts["not_yet_enforced"])
