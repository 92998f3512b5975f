"""Use cases of the legal desk: intake, verification, scoping, review. Each runs on the caller's
connection and appends its audit event there, so the change and its record commit together."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.legal import store
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.email_domains import is_government_email
from custodian.legal.letters import deficiency_letter
from custodian.legal.lifecycle import check_transition, due_on, inquiry_allowed_on
from custodian.legal.scope import Window
from custodian.legal.store import StoredRequest
from custodian.legal.targets import scope_targets
from custodian.legal.types import LegalRequest
from custodian.legal.validate import Problem, reach_problem, validate_request
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document import RequesterRules

PDF_MAGIC = b"%PDF-"
MAX_INSTRUMENT_BYTES = 20 * 1024 * 1024


class RequestNotFound(LookupError):
    """No request has this id or tracking number (or the secret does not match)."""


class DeskRuleBroken(ValueError):
    """A staff action the desk's rules forbid (approving a class the instrument does not reach...)."""


@dataclass(frozen=True)
class Submitted:
    """What the requester is told once: the tracking number and the status secret."""

    request_id: int
    tracking_number: str
    secret: str
    state: str
    problems: tuple[Problem, ...]


def submit(conn: Connection, keyring: Keyring, policy: CompiledPolicy, document: LegalRequest, *, channel: str,
           actor: str, now: datetime, blobs: LocalBlobStore | None = None,
           instrument_pdf: bytes | None = None) -> Submitted:
    """Receive a request: validate it, store it sealed, and route it to review or to needs-information."""
    if document.received_on is None:
        document = document.model_copy(update={"received_on": now.date()})
    received_on = document.received_on or now.date()
    problems = validate_request(document, policy)
    tracking = f"LR-{received_on.year}-{secrets.token_hex(4).upper()}"
    secret = secrets.token_urlsafe(24)
    order = document.nondisclosure_order
    request_id = store.insert_request(conn, {
        "tracking_number": tracking, "secret_hash": _hash(secret), "kind": document.kind or "data",
        "requester_type": document.requester.type or "unknown", "instrument_type": document.instrument.type or "none",
        "state": "received", "expedite": document.expedite, "received_at": now, "received_on": received_on,
        "due_on": due_on(received_on, document.requested_response_on), "inquiry_on": inquiry_allowed_on(received_on),
        "nondisclosure": order is not None, "nondisclosure_until": order.expires_on if order else None,
        "channel": channel, "problems": "[]", "policy_hash": policy.version_hash, "updated_at": now})
    cipher = desk_cipher(conn, keyring)
    store.save_document(conn, cipher, request_id, document, problems, now)
    if instrument_pdf is not None and blobs is not None:
        _store_instrument(conn, keyring, blobs, request_id, instrument_pdf, now)
    audit.append(conn, actor=actor, action="legal.request.received", reason=f"legal request via {channel}",
                 detail={"request": tracking, "kind": document.kind, "requester_type": document.requester.type},
                 now=now)
    _record_email_check(conn, policy, document, request_id, actor, now)
    state = _route(conn, request_id, tracking, problems, actor, now)
    return Submitted(request_id, tracking, secret, state, tuple(problems))


def amend(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int, document: LegalRequest, *,
          actor: str, now: datetime) -> StoredRequest:
    """Replace the document of a request that needs information, validate again and route it."""
    current = get(conn, keyring, request_id)
    check_transition(current.state, "in_review")
    problems = validate_request(document, policy)
    store.save_document(conn, desk_cipher(conn, keyring), request_id, document, problems, now)
    audit.append(conn, actor=actor, action="legal.request.amended", reason="request document corrected",
                 detail={"request": current.tracking_number}, now=now)
    _route(conn, request_id, current.tracking_number, problems, actor, now)
    return get(conn, keyring, request_id)


def get(conn: Connection, keyring: Keyring, request_id: int) -> StoredRequest:
    """A request by id; RequestNotFound if there is none."""
    found = store.read_request(conn, desk_cipher(conn, keyring), request_id)
    if found is None:
        raise RequestNotFound(f"no legal request {request_id}")
    return found


def by_tracking(conn: Connection, keyring: Keyring, tracking_number: str, secret: str) -> StoredRequest:
    """The request a requester may see: tracking number and secret must both match."""
    row = store.request_id_by_tracking(conn, tracking_number.strip().upper())
    if row is None or not hmac.compare_digest(row[1], _hash(secret.strip())):
        raise RequestNotFound("no request matches this tracking number and secret")
    return get(conn, keyring, row[0])


def letter_for(request: StoredRequest, policy: CompiledPolicy) -> str:
    """The deficiency letter of a request that needs information."""
    return deficiency_letter(policy.document.provider.name, request.tracking_number, request.received_on,
                             request.problems)


def transition(conn: Connection, request_id: int, keyring: Keyring, target: str, *, actor: str, reason: str,
               now: datetime) -> StoredRequest:
    """Move a request along its lifecycle, audited (reject, withdraw, close...)."""
    current = get(conn, keyring, request_id)
    check_transition(current.state, target)
    store.set_state(conn, request_id, target, now)
    audit.append(conn, actor=actor, action=f"legal.request.{target}", reason=reason or target,
                 detail={"request": current.tracking_number, "from": current.state}, now=now)
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
    return current


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


def _route(conn: Connection, request_id: int, tracking: str, problems: list[Problem], actor: str,
           now: datetime) -> str:
    state = "needs_information" if problems else "in_review"
    store.set_state(conn, request_id, state, now)
    audit.append(conn, actor=actor, action=f"legal.request.{state}", reason="validated against the policy",
                 detail={"request": tracking, "problems": [p.code for p in problems]}, now=now)
    return state


def _record_email_check(conn: Connection, policy: CompiledPolicy, document: LegalRequest, request_id: int,
                        actor: str, now: datetime) -> None:
    requester = document.requester
    rules = policy.document.legal.requesters.get(requester.type or "", RequesterRules())
    if rules.government_email_only and requester.email:
        passed = is_government_email(requester.email, rules.email_domains_allowed)
        store.add_verification(conn, {"request_id": request_id, "method": "email_domain", "passed": passed,
                                      "verified_by": actor, "called_at": None, "detail_enc": None,
                                      "recorded_at": now})


def _store_instrument(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, request_id: int, pdf: bytes,
                      now: datetime) -> None:
    if not pdf.startswith(PDF_MAGIC) or len(pdf) > MAX_INSTRUMENT_BYTES:
        raise DeskRuleBroken("the signed instrument must be a PDF of at most 20 MB")
    key, _, _ = blobs.put(desk_cipher(conn, keyring), DESK_OWNER, [pdf])
    store.set_instrument(conn, request_id, key, now)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
