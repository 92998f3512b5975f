"""Writing the disclosure ledger: one release, one row per account disclosed, one audit event that chains them. The
gate records its releases here, and so may the legal desk its productions (`legal_request_id`, `withheld_until`).
Append-only: there is no update or delete here, and the database refuses both (migration 0023)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert

from custodian.audit import store as audit
from custodian.disclosures.tables import disclosure, disclosure_release

INSERT_BLOCK = 5000


@dataclass(frozen=True)
class Release:
    """What one release gave to whom: no personal data, only counts and the feed's checksum."""

    recipient: str
    purpose: str
    classes: tuple[str, ...]
    form: str
    excluded_by_choice: int
    feed_sha256: str
    feed_format: str
    legal_request_id: int | None = None
    withheld_until: datetime | None = None
    withheld_until_lifted: bool = False  # an order without end: hidden from the customer until it is lifted
    accounts_counted: int | None = None  # an aggregate report: the accounts in its counts (none disclosed)

    def detail(self, disclosed: int) -> dict[str, object]:
        """The audit detail of this release."""
        counted = {} if self.accounts_counted is None else {"accounts_counted": self.accounts_counted}
        return {**counted, "recipient": self.recipient, "purpose": self.purpose, "classes": list(self.classes),
                "form": self.form, "disclosed": disclosed, "excluded_by_choice": self.excluded_by_choice,
                "feed_sha256": self.feed_sha256, "feed_format": self.feed_format}


def record_release(conn: Connection, release: Release, account_ids: Sequence[int], *, actor: str,
                   now: datetime) -> int:
    """Append the release, one disclosure per account and the `disclosure.release` audit event; return its id."""
    event = audit.append(conn, actor=actor, action="disclosure.release", record_classes=release.classes,
                         reason=f"{release.recipient} for {release.purpose}",
                         detail=release.detail(len(account_ids)), now=now)
    release_id = int(conn.execute(insert(disclosure_release).values(
        recipient=release.recipient, purpose=release.purpose, classes=json.dumps(list(release.classes)),
        form=release.form, accounts_disclosed=len(account_ids), excluded_by_choice=release.excluded_by_choice,
        feed_sha256=release.feed_sha256, feed_format=release.feed_format, actor=actor, made_at=now,
        legal_request_id=release.legal_request_id, withheld_until=release.withheld_until,
        withheld_until_lifted=release.withheld_until_lifted, audit_seq=event.seq,
    ).returning(disclosure_release.c.id)).scalar_one())
    for start in range(0, len(account_ids), INSERT_BLOCK):
        conn.execute(insert(disclosure), [{"release_id": release_id, "account_id": account_id, "made_at": now}
                                          for account_id in account_ids[start:start + INSERT_BLOCK]])
    return release_id


def record_refusal(conn: Connection, *, recipient: str, purpose: str, classes: Sequence[str], form: str, rule: str,
                   actor: str, now: datetime) -> None:
    """Audit a release the gate refused, naming the rule (nothing else is written)."""
    audit.append(conn, actor=actor, action="disclosure.refused", record_classes=classes, reason=rule,
                 detail={"recipient": recipient, "purpose": purpose, "classes": list(classes), "form": form,
                         "rule": rule}, now=now)
