"""Use cases of the legal desk after intake: verification, scoping, review, the request's life. Each runs on
the caller's connection and appends its audit event there, so the change and its record commit together.
Receiving a request (portal, API, the desk's entry) is legal/submission.py."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.legal import notice_store, store
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.fees import actual_cost_fees
from custodian.legal.letters import Letter, deficiency_letter
from custodian.legal.lifecycle import check_transition
from custodian.legal.notice_rules import notified_on_acceptance
from custodian.legal.reach import prospective_answer
from custodian.legal.scope import Window
from custodian.legal.store import StoredRequest
from custodian.legal.targets import scope_targets
from custodian.legal.types import LegalRequest
from custodian.legal.validate import Problem, assess_request, reach_problem
from custodian.policy.compiled import CompiledPolicy

NOT_YET_ACCEPTED = frozenset({"received", "needs_information"})


class RequestNotFound(LookupError):
    """No request has this id or tracking number (or the secret does not match)."""


class DeskRuleBroken(ValueError):
    """A staff action the desk's rules forbid (approving a class the instrument does not reach...)."""


@dataclass(frozen=True)
class ReviewNotes:
    """What review must see beside the problems: warnings, the answer to a prospective order, and the
    fee-schedule lines billed at actual cost for it."""

    warnings: tuple[Problem, ...]
    answer: str | None
    actual_cost_items: tuple[str, ...]


def review_notes(document: LegalRequest, policy: CompiledPolicy) -> ReviewNotes:
    """The warnings, prospective-order answer and actual-cost fee lines of a request, for review and `show`."""
    instrument = document.instrument.type
    return ReviewNotes(assess_request(document, policy).warnings,
                       prospective_answer(instrument, policy.document.provider.name),
                       tuple(fee.item for fee in actual_cost_fees(instrument, list(policy.document.legal.fees))))


def get(conn: Connection, keyring: Keyring, request_id: int) -> StoredRequest:
    """A request by id; RequestNotFound if there is none."""
    found = store.read_request(conn, desk_cipher(conn, keyring), request_id)
    if found is None:
        raise RequestNotFound(f"no legal request {request_id}")
    return found


def by_tracking(conn: Connection, keyring: Keyring, tracking_number: str, secret: str) -> StoredRequest:
    """The request a requester may see: tracking number and secret must both match."""
    row = store.request_id_by_tracking(conn, tracking_number.strip().upper())
    if row is None or not hmac.compare_digest(row[1], secret_hash(secret.strip())):
        raise RequestNotFound("no request matches this tracking number and secret")
    return get(conn, keyring, row[0])


def read_instrument(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, request_id: int, *, actor: str,
                    downloaded: bool, now: datetime) -> tuple[StoredRequest, bytes]:
    """The signed legal process PDF of a request; each view or download is audited (who, when, which)."""
    current = get(conn, keyring, request_id)
    if not current.instrument_blob_key:
        raise RequestNotFound("this request has no signed legal process on file")
    data = blobs.read(desk_cipher(conn, keyring), DESK_OWNER, current.instrument_blob_key)
    action = "legal.instrument.downloaded" if downloaded else "legal.instrument.viewed"
    audit.append(conn, actor=actor, action=action, reason="signed legal process opened by the desk",
                 detail={"request": current.tracking_number}, now=now)
    return current, data


def letter_for(request: StoredRequest, policy: CompiledPolicy, today: date) -> Letter:
    """The deficiency letter of a request that needs information, dated `today`."""
    provider = policy.document.provider
    desk = next((c for c in provider.contacts if c.role == "legal_requests"), None)
    return deficiency_letter(provider.name, request.tracking_number, request.received_on, request.problems,
                             request.document, desk, today)


def transition(conn: Connection, request_id: int, keyring: Keyring, target: str, *, actor: str, reason: str,
               now: datetime) -> StoredRequest:
    """Move a request along its lifecycle, audited (reject, withdraw, close...)."""
    current = get(conn, keyring, request_id)
    check_transition(current.state, target)
    store.set_state(conn, request_id, target, now)
    audit.append(conn, actor=actor, action=f"legal.request.{target}", reason=reason or target,
                 detail={"request": current.tracking_number, "from": current.state}, now=now)
    if target == "in_review":
        accept_for_review(conn, keyring, request_id, actor=actor, now=now)
    return get(conn, keyring, request_id)


def record_callback(conn: Connection, keyring: Keyring, request_id: int, *, who: str, number: str,
                    called_at: datetime, passed: bool, actor: str, now: datetime) -> None:
    """Record the call-back to the agency's published number (who answered, when, which number)."""
    current = get(conn, keyring, request_id)
    cipher = desk_cipher(conn, keyring)
    detail = cipher.seal(f"{who}\n{number}", f"legal_verification:{request_id}".encode())
    store.add_verification(conn, {"request_id": request_id, "method": "callback", "passed": passed,
                                  "verified_by": actor, "called_at": called_at, "detail_enc": detail,
                                  "recorded_at": now})
    audit.append(conn, actor=actor, action="legal.request.callback", reason="emergency call-back recorded",
                 detail={"request": current.tracking_number, "passed": passed, "called_at": called_at.isoformat()},
                 now=now)


def scope(conn: Connection, keyring: Keyring, request_id: int, *, actor: str, now: datetime) -> StoredRequest:
    """Resolve the request's targets to accounts and windows and keep them."""
    current = get(conn, keyring, request_id)
    window = current.document.date_range
    if window is None or window.from_on is None or window.to_on is None:
        raise DeskRuleBroken("the request has no date range to scope")
    matches = scope_targets(conn, keyring, list(current.document.targets), Window.of_days(window.from_on,
                                                                                          window.to_on))
    store.replace_matches(conn, request_id, matches)
    audit.append(conn, actor=actor, action="legal.request.scoped", reason="targets resolved to accounts",
                 detail={"request": current.tracking_number, "accounts": len({m.account_id for m in matches})},
                 now=now)
    if notified_on_acceptance(current.kind) and current.state not in NOT_YET_ACCEPTED:
        notice_store.queue(conn, current, (m.account_id for m in matches), occasion="accepted", actor=actor,
                           now=now)
    return current


def record_order_lifted(conn: Connection, keyring: Keyring, request_id: int, lifted_on: date, *, actor: str,
                        now: datetime) -> StoredRequest:
    """Record that the request's nondisclosure order was lifted or overturned on `lifted_on` (DRG VIII: "will
    notify the affected customer(s) as soon as the order is overturned or expires"); notices follow."""
    current = get(conn, keyring, request_id)
    if current.document.nondisclosure_order is None and not current.document.gagged_on(current.received_on):
        raise DeskRuleBroken("this request came with no nondisclosure order")
    if current.nondisclosure_lifted_on is not None:
        raise DeskRuleBroken(f"the order was already recorded as lifted on {current.nondisclosure_lifted_on}")
    if lifted_on > now.date():
        raise DeskRuleBroken("the order cannot be recorded as lifted on a day still to come")
    notice_store.set_lifted(conn, request_id, lifted_on, now)
    audit.append(conn, actor=actor, action="legal.nondisclosure.lifted", reason=f"order lifted on {lifted_on}",
                 detail={"request": current.tracking_number, "lifted_on": lifted_on.isoformat()}, now=now)
    return get(conn, keyring, request_id)


def approve(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int, classes: list[str], *,
            rationale: str, actor: str, now: datetime) -> StoredRequest:
    """Approve classes for production: never one the request does not ask for or its instrument does not reach."""
    current = get(conn, keyring, request_id)
    check_transition(current.state, "approved")
    if not rationale.strip():
        raise DeskRuleBroken("an approval needs a rationale")
    if not classes:
        raise DeskRuleBroken("approve at least one record class")
    for name in classes:
        if current.kind != "preservation" and name not in current.document.record_classes:
            raise DeskRuleBroken(f"{name} was not requested")
        problem = reach_problem(current.document, policy, name)
        if problem is not None:
            raise DeskRuleBroken(f"cannot approve {name}: {problem.message}")
    for name in dict.fromkeys(classes):
        store.add_approval(conn, request_id, name, actor, rationale.strip(), now)
    store.set_state(conn, request_id, "approved", now)
    audit.append(conn, actor=actor, action="legal.request.approved", reason=rationale.strip(),
                 record_classes=classes, detail={"request": current.tracking_number}, now=now)
    return get(conn, keyring, request_id)


def accept_for_review(conn: Connection, keyring: Keyring, request_id: int, *, actor: str, now: datetime) -> None:
    """A data request accepted for review names its customers: resolve them, and owe each a notice now
    (DRG VIII), not after delivery. A request taken into review despite problems is resolved by the desk."""
    current = get(conn, keyring, request_id)
    window = current.document.date_range
    if not notified_on_acceptance(current.kind) or current.problems or window is None \
            or window.from_on is None or window.to_on is None:
        return
    scope(conn, keyring, request_id, actor=actor, now=now)


def secret_hash(secret: str) -> str:
    """How a request's status secret is kept: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
