"""Two requests about minors (issue 15 §3), fulfilled through the retention engine's own pieces.

Minor content removal (Cal. Bus. & Prof. Code 22581): a registered user under 18 may have content they posted
removed. The agent picks, from the matched account's content, the items the verified requester identifies; each
is deleted through retention/customer_deletion.py (a legal hold keeps an item until it ends; the answer says so in
general terms) and the answer explains 22581(b)'s limits.

A parent's report of a child's data (seed 002 P88: "If we become aware that we have collected personal
information from children without verification of parental consent, we take steps to remove that information
from our servers."): the account is marked as a child's (`account.child_reported_at`: the retention engine
purges it — key shredded, kept records de-identified, a shell left), and the account erasure (dsr/erasure.py)
runs at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, update

from custodian.access.self_access_rules import label
from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.dsr.erasure import erase_account
from custodian.dsr.fulfilment import Outcome
from custodian.dsr.service import StepNotAllowed
from custodian.dsr.types import PrivacyRequest
from custodian.records.tables import account
from custodian.retention.customer_deletion import (
    CUSTOMER_DELETABLE,
    ContentChoice,
    RecordNotFound,
    content_choices,
    delete_for_customer,
)

# What a customer posts through the service: their messages, faxes, chat (22581(a): content "posted on the
# operator's Internet Web site, online service, online application, or mobile application").
MINOR_REMOVABLE = CUSTOMER_DELETABLE | {"content.chat"}
KEPT_BY_LAW = "kept where the law requires us to keep it; we delete it as soon as it no longer has to be kept"
LIMITS_22581 = [
    "The law (Cal. Bus. & Prof. Code 22581(b) and (c)) does not require us to remove: content that another person "
    "stored or posted, including content of yours that someone else copied or reposted; content another law "
    "requires us or a third party to keep; content made anonymous so that you cannot be identified; or content "
    "you were paid or otherwise compensated for",
    "Removing content from our service does not ensure that every copy of it is removed from the Internet: copies "
    "that others made stay where they put them",
]


def content_to_choose(conn: Connection, request: PrivacyRequest, *, actor: str, now: datetime) -> list[ContentChoice]:
    """The matched account's removable content, newest first, for the agent to pick from; an audited read."""
    if request.account_id is None or request.request_type != "minor_content_removal":
        return []
    return content_choices(conn, request.account_id, MINOR_REMOVABLE, actor=actor, action="dsr.content_listed",
                           reason=f"privacy request {request.reference}: content the requester may ask to remove",
                           now=now)


def remove_minor_content(conn: Connection, request: PrivacyRequest, chosen: tuple[str, ...], *, actor: str,
                         now: datetime) -> Outcome:
    """Delete the items the agent picked (hex record keys of the matched account's content)."""
    assert request.account_id is not None
    if not chosen:
        raise StepNotAllowed("pick the content items the requester identifies before fulfilling")
    done: list[str] = []
    held = 0
    reason = f"removal of content posted as a minor (Cal. Bus. & Prof. Code 22581), request {request.reference}"
    for key in chosen:
        try:
            record_key = bytes.fromhex(key)
            deleted = delete_for_customer(conn, account_id=request.account_id, record_key=record_key, actor=actor,
                                          now=now, deletable=MINOR_REMOVABLE, reason=reason)
        except (ValueError, RecordNotFound) as exc:
            raise StepNotAllowed("a picked item is not removable content of the matched account") from exc
        if deleted.outcome == "held":
            held += 1
        else:
            done.append(f"{label(deleted.record_class)}: removed")
    kept = [(f"{held} of the items you identified", KEPT_BY_LAW)] if held else []
    summary = f"{len(done)} content items removed, {held} kept under the law (Cal. Bus. & Prof. Code 22581)"
    return Outcome(summary, done=done + LIMITS_22581, kept=kept)


def purge_child_data(conn: Connection, keyring: Keyring, request: PrivacyRequest, *, kept_classes: frozenset[str],
                     actor: str, now: datetime) -> Outcome:
    """Mark the account as a child's and erase it now; the retention engine purges what is left."""
    assert request.account_id is not None
    conn.execute(update(account).where(account.c.id == request.account_id, account.c.child_reported_at.is_(None))
                 .values(child_reported_at=now))
    audit.append(conn, actor=actor, action="account.child_reported", account_id=request.account_id, now=now,
                 reason=f"privacy request {request.reference}: a parent reported the data as a child's")
    erased = erase_account(conn, keyring, request.account_id, kept_classes=kept_classes, actor=actor, now=now)
    done = [f"{label(name)}: {count:,} record{'' if count == 1 else 's'} deleted"
            for name, count in sorted(erased.deleted.items())]
    done.append("We have marked the account as holding a child's information: what we must keep for now is "
                "removed, or made anonymous, as soon as the law allows")
    if erased.shredded:
        done.append("The key that protected the information is destroyed: no copy of it can be read again")
    kept = [(label(name), KEPT_BY_LAW) for name in sorted(erased.kept)]
    summary = (f"account marked as a child's; {sum(erased.deleted.values())} records deleted, "
               f"{sum(erased.kept.values())} kept" + ("; account key shredded" if erased.shredded else ""))
    return Outcome(summary, done=done, kept=kept)
