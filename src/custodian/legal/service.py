"""Use cases of the legal desk: intake, verification, scoping, review. Each runs on the caller's
connection and appends its audit event there, so the change and its record commit together."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.legal import notice_store, store
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.email_domains import agency_email_problem
from custodian.legal.fees import actual_cost_fees
from custodian.legal.intake import FieldError, field_errors, missing_required
from custodian.legal.letters import Letter, deficiency_letter
from custodian.legal.lifecycle import check_transition, due_on, inquiry_allowed_on
from custodian.legal.notice_rules import notified_on_acceptance
from custodian.legal.reach import customer_route, prospective_answer
from custodian.legal.scope import Window
from custodian.legal.store import StoredRequest
from custodian.legal.targets import scope_targets
from custodian.legal.types import LegalRequest
from custodian.legal.validate import Problem, assess_request, reach_problem, validate_request
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document import RequesterRules

PDF_MAGIC = b"%PDF-"
NOT_YET_ACCEPTED = frozenset({"received", "needs_information"})


class RequestNotFound(LookupError):
    """No request has this id or tracking number (or the secret does not match)."""


class DeskRuleBroken(ValueError):
    """A staff action the desk's rules forbid (approving a class the instrument does not reach...)."""


class CustomerRequestRouted(ValueError):
    """A customer's own request for their records: another process answers it, never the legal desk."""


@dataclass(frozen=True)
class ReviewNotes:
    """What review must see beside the problems: warnings, the answer to a prospective order, and the
    fee-schedule lines billed at actual cost for it."""

    warnings: tuple[Problem, ...]
    answer: str | None
    actual_cost_items: tuple[str, ...]


@dataclass(frozen=True)
class PaperReceipt:
    """The day a request arrived on paper (mail, fax) before it was entered, and why it is recorded."""

    received_on: date
    reason: str


@dataclass(frozen=True)
class Submitted:
    """What the requester is told once: the tracking number and the status secret."""

    request_id: int
    tracking_number: str
    secret: str
    state: str
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()


def intake_errors(document: LegalRequest, policy: CompiledPolicy, now: datetime) -> list[FieldError]:
    """Why a public submission (portal, API) is refused at the door: a client-sent receipt date, or a
    required field missing (DRG V). Empty when it may be received."""
    if document.received_on is not None:
        return [FieldError("received_on", "Date received is set by the provider when the request arrives; "
                                          "leave it out")]
    stamped = document.model_copy(update={"received_on": now.date()})
    return field_errors(missing_required(validate_request(stamped, policy)), stamped)


def refuse_at_intake(conn: Connection, channel: str, now: datetime) -> None:
    """Count a refused submission for the transparency report; nothing of its content is kept."""
    store.record_intake_rejection(conn, channel, now)


def submit(conn: Connection, keyring: Keyring, policy: CompiledPolicy, document: LegalRequest, *, channel: str,
           actor: str, now: datetime, blobs: LocalBlobStore | None = None,
           instrument_pdf: bytes | None = None, paper: PaperReceipt | None = None) -> Submitted:
    """Receive a request: validate it, store it sealed, and route it to review or to needs-information.
    The receipt day is today unless the document states one (a staff entry) or `paper` records an earlier one.

    A customer's own written request for their CPNI (47 U.S.C. 222(c)(2)) is not stored here: it raises
    CustomerRequestRouted, whose message tells the customer where the request goes."""
    if customer_route(document) is not None:
        raise CustomerRequestRouted(customer_route_message(policy))
    if paper is not None:
        document = _paper_dated(document, paper, now)
    if document.received_on is None:
        document = document.model_copy(update={"received_on": now.date()})
    received_on = document.received_on or now.date()
    assessed = assess_request(document, policy)
    problems = list(assessed.problems)
    tracking = f"LR-{received_on.year}-{secrets.token_hex(4).upper()}"
    secret = secrets.token_urlsafe(24)
    order = document.nondisclosure()
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
    if paper is not None:
        audit.append(conn, actor=actor, action="legal.request.receipt_dated", reason=paper.reason.strip(),
                     detail={"request": tracking, "received_on": received_on.isoformat(),
                             "entered_on": now.date().isoformat()}, now=now)
    _record_email_check(conn, policy, document, request_id, actor, now)
    state = _route(conn, request_id, tracking, problems, actor, now)
    if state == "in_review":
        _accepted(conn, keyring, request_id, actor=actor, now=now)
    return Submitted(request_id, tracking, secret, state, tuple(problems), assessed.warnings)


def amend(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int, document: LegalRequest, *,
          actor: str, now: datetime) -> StoredRequest:
    """Replace the document of a request that needs information, validate again and route it."""
    current = get(conn, keyring, request_id)
    check_transition(current.state, "in_review")
    problems = validate_request(document, policy)
    store.save_document(conn, desk_cipher(conn, keyring), request_id, document, problems, now)
    audit.append(conn, actor=actor, action="legal.request.amended", reason="request document corrected",
                 detail={"request": current.tracking_number}, now=now)
    if _route(conn, request_id, current.tracking_number, problems, actor, now) == "in_review":
        _accepted(conn, keyring, request_id, actor=actor, now=now)
    return get(conn, keyring, request_id)


def customer_route_message(policy: CompiledPolicy) -> str:
    """Where a customer's own request goes: the customer data-request process, at the privacy contact."""
    contact = next((c for c in policy.document.provider.contacts if c.role == "privacy"), None)
    where = (contact.email or contact.url or contact.address) if contact else ""
    return ("requests for your own records are answered by the customer data-request process, not the legal "
            "desk: sign in to your customer portal, or ask at /privacy/requests (a copy of your CPNI is one of its "
            "request types)" + (f", or write to {where}" if where else ""))


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
    if row is None or not hmac.compare_digest(row[1], _hash(secret.strip())):
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
        _accepted(conn, keyring, request_id, actor=actor, now=now)
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


def _accepted(conn: Connection, keyring: Keyring, request_id: int, *, actor: str, now: datetime) -> None:
    """A data request accepted for review names its customers: resolve them, and owe each a notice now
    (DRG VIII), not after delivery. A request taken into review despite problems is resolved by the desk."""
    current = get(conn, keyring, request_id)
    window = current.document.date_range
    if not notified_on_acceptance(current.kind) or current.problems or window is None \
            or window.from_on is None or window.to_on is None:
        return
    scope(conn, keyring, request_id, actor=actor, now=now)


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
        passed = agency_email_problem(requester.email, requester.agency, policy.document.legal.agency_email_domains,
                                      rules.email_domains_allowed) is None
        store.add_verification(conn, {"request_id": request_id, "method": "email_domain", "passed": passed,
                                      "verified_by": actor, "called_at": None, "detail_enc": None,
                                      "recorded_at": now})


def _paper_dated(document: LegalRequest, paper: PaperReceipt, now: datetime) -> LegalRequest:
    # Staff may date a paper request to the day it arrived, never later than today, and only with a reason.
    if paper.received_on > now.date():
        raise DeskRuleBroken("the paper receipt date cannot be in the future")
    if not paper.reason.strip():
        raise DeskRuleBroken("say why the request is dated earlier than today (e.g. the day the mail arrived)")
    return document.model_copy(update={"received_on": paper.received_on})


def _store_instrument(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, request_id: int, pdf: bytes,
                      now: datetime) -> None:
    # The edge limits the size while the upload streams in (CUSTODIAN_MAX_UPLOAD_MB); the bytes must be a PDF.
    if not is_pdf(pdf):
        raise DeskRuleBroken("the signed instrument must be a PDF file")
    key, _, _ = blobs.put(desk_cipher(conn, keyring), DESK_OWNER, [pdf])
    store.set_instrument(conn, request_id, key, now)


def is_pdf(data: bytes) -> bool:
    """True when the bytes start as a PDF does (its magic bytes), whatever the file was called."""
    return data.startswith(PDF_MAGIC)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
