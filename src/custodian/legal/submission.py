"""Receiving a legal request: validation at the door, sealed storage, the signed process, and routing to
review or to needs-information. Runs on the caller's connection; its audit events commit with it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.legal import service, store
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.email_domains import agency_email_problem
from custodian.legal.intake import FieldError, field_errors, missing_required
from custodian.legal.lifecycle import check_transition, due_on, inquiry_allowed_on
from custodian.legal.reach import customer_route
from custodian.legal.store import StoredRequest
from custodian.legal.types import LegalRequest
from custodian.legal.validate import Problem, assess_request, validate_request
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document_legal import RequesterRules

PDF_MAGIC = b"%PDF-"


class CustomerRequestRouted(ValueError):
    """A customer's own request for their records: another process answers it, never the legal desk."""


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
    warnings: tuple[Problem, ...]
    inquiry_on: date  # the first day the requester may ask about it (stored with the request)


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
    with audit.at_end(conn):  # the chain's head is locked only from the end of the intake's work to its commit
        return _submit(conn, keyring, policy, document, channel=channel, actor=actor, now=now, blobs=blobs,
                       instrument_pdf=instrument_pdf, paper=paper)


def _submit(conn: Connection, keyring: Keyring, policy: CompiledPolicy, document: LegalRequest, *, channel: str,
            actor: str, now: datetime, blobs: LocalBlobStore | None, instrument_pdf: bytes | None,
            paper: PaperReceipt | None) -> Submitted:
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
        "tracking_number": tracking, "secret_hash": service.secret_hash(secret), "kind": document.kind or "data",
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
        service.accept_for_review(conn, keyring, request_id, actor=actor, now=now)
    return Submitted(request_id, tracking, secret, state, tuple(problems), assessed.warnings,
                     inquiry_allowed_on(received_on))


def amend(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int, document: LegalRequest, *,
          actor: str, now: datetime) -> StoredRequest:
    """Replace the document of a request that needs information, validate again and route it."""
    current = service.get(conn, keyring, request_id)
    check_transition(current.state, "in_review")
    problems = validate_request(document, policy)
    store.save_document(conn, desk_cipher(conn, keyring), request_id, document, problems, now)
    audit.append(conn, actor=actor, action="legal.request.amended", reason="request document corrected",
                 detail={"request": current.tracking_number}, now=now)
    if _route(conn, request_id, current.tracking_number, problems, actor, now) == "in_review":
        service.accept_for_review(conn, keyring, request_id, actor=actor, now=now)
    return service.get(conn, keyring, request_id)


def customer_route_message(policy: CompiledPolicy) -> str:
    """Where a customer's own request goes: the customer data-request process, at the privacy contact."""
    contact = next((c for c in policy.document.provider.contacts if c.role == "privacy"), None)
    where = (contact.email or contact.url or contact.address) if contact else ""
    return ("requests for your own records are answered by the customer data-request process, not the legal "
            "desk: sign in to your customer portal, or ask at /privacy/requests (a copy of your CPNI is one of its "
            "request types)" + (f", or write to {where}" if where else ""))


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
        raise service.DeskRuleBroken("the paper receipt date cannot be in the future")
    if not paper.reason.strip():
        raise service.DeskRuleBroken("say why the request is dated earlier than today (e.g. the day the mail arrived)")
    return document.model_copy(update={"received_on": paper.received_on})


def _store_instrument(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, request_id: int, pdf: bytes,
                      now: datetime) -> None:
    # The edge limits the size while the upload streams in (CUSTODIAN_MAX_UPLOAD_MB); the bytes must be a PDF.
    if not is_pdf(pdf):
        raise service.DeskRuleBroken("the signed instrument must be a PDF file")
    key, _, _ = blobs.put(desk_cipher(conn, keyring), DESK_OWNER, [pdf])
    store.set_instrument(conn, request_id, key, now)


def is_pdf(data: bytes) -> bool:
    """True when the bytes start as a PDF does (its magic bytes), whatever the file was called."""
    return data.startswith(PDF_MAGIC)
