"""Corrections a signed-in customer asks for that the policy says need evidence (issue 15 §2 "Correct":
"corrections the policy says need evidence go to the staff queue"; `privacy_requests.corrections_need_evidence`,
default a change of name). They are not applied: a `correction` request opens in the staff queue, already
verified by the customer's sign-in and matched to their account, the new value sealed with the request desk's
key like every request's details. Staff apply it once they have seen the evidence."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.dsr import store
from custodian.dsr.deadlines import NoDeadlineRule, deadline_for
from custodian.dsr.desk_key import dsr_cipher
from custodian.dsr.types import RequestDetails
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document_requests import EvidencedChange
from custodian.records import store as records
from custodian.records.types import AccountView

CHANGE_LABELS: dict[str, str] = {"name": "name", "address": "postal address", "phone": "contact phone"}
MAX_VALUE = 400
PORTAL_ACTOR = "customer"


class CorrectionRefused(ValueError):
    """The new value cannot be taken as it is."""


def needs_evidence(policy: CompiledPolicy, change: EvidencedChange) -> bool:
    """Whether the policy holds this correction for evidence instead of applying it at once."""
    return change in policy.document.privacy_requests.corrections_need_evidence


def jurisdiction_of(view: AccountView) -> str:
    """The customer's jurisdiction from the postal address of record: `US-CA`, or the country alone."""
    address = view.address
    if address is None:
        return "US"
    country = (address.country or "US").upper()
    state = address.state.strip().upper()
    return f"{country}-{state}" if re.fullmatch(r"[A-Z0-9]{1,3}", state) else country


def queue_correction(conn: Connection, keyring: Keyring, policy: CompiledPolicy, account_id: int,
                     change: EvidencedChange, new_value: str, now: datetime) -> str:
    """Open a verified `correction` request for the customer's own account, the new value sealed; its reference."""
    value = " ".join(new_value.split())
    if not value or len(value) > MAX_VALUE:
        raise CorrectionRefused(f"{change}: required, at most {MAX_VALUE} characters")
    view = records.read_account(conn, keyring, account_id)
    jurisdiction = jurisdiction_of(view)
    due: date | None = None
    extendable: date | None = None
    try:
        deadline = deadline_for(policy.document.privacy_requests, "correction", jurisdiction, now.date())
        due, extendable = deadline.due, deadline.extended_due
    except NoDeadlineRule:
        pass  # no statutory deadline here: the queue shows none
    details = RequestDetails(name=f"{view.first_name} {view.last_name}".strip() or view.ref, email=view.email,
                             account_ref=view.ref, details=f"Correct the {CHANGE_LABELS[change]} to: {value}")
    reference = store.new_reference()
    request_id = store.insert_request(conn, dsr_cipher(conn, keyring), {
        "reference": reference, "request_type": "correction", "jurisdiction": jurisdiction, "scope": None,
        "by_agent": 0, "state": "in_progress", "received_at": now, "received_on": now.date(), "due_on": due,
        "extendable_to": extendable, "updated_at": now, "verified_at": now, "account_id": account_id,
        "email_bidx": keyring.blind_index(conn, "email", view.email.strip().lower())}, details)
    store.add_event(conn, request_id, actor=PORTAL_ACTOR, action="received", now=now,
                    note=f"from the customer's online account (signed in): a change of {CHANGE_LABELS[change]} "
                         "that needs evidence before it is applied")
    audit.append(conn, actor=PORTAL_ACTOR, action="dsr.received", account_id=account_id, now=now,
                 reason=f"privacy request {reference}",
                 detail={"type": "correction", "jurisdiction": jurisdiction, "channel": "portal", "change": change})
    return reference
