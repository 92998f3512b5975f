"""Consent and preferences (issue 16): the append-only consent ledger, its receipts, CPNI approvals, and the
one decision every use of data that needs a choice calls: `allowed`."""

from __future__ import annotations

from datetime import datetime

from custodian.consent.rules import Decision
from custodian.consent.snapshot import ConsentSnapshot

__all__ = ["ConsentSnapshot", "Decision", "allowed"]


def allowed(snapshot: ConsentSnapshot, account_id: int, purpose: str, at: datetime, medium: str = "any") -> Decision:
    """May `purpose` use (or disclose) the account's data at `at`, contacting it by `medium`, and on what basis.

    The one consent decision (issue 16 §1): every disclosure and marketing export calls it, over a snapshot
    from `consent.service.load_snapshot`; nothing re-implements it. It also establishes the status of a
    customer's CPNI approval before each use (47 CFR 64.2009(a)).
    """
    return snapshot.allowed(account_id, purpose, at, medium)
