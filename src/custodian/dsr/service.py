"""Use cases of data-subject requests: receive one, verify it from the e-mailed link, and the staff steps
(extend once, deny with a reason of the fixed list). The edge opens the transaction and sends the returned
mail after it commits, so a rolled-back change never mails anyone."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.dsr import letters, store
from custodian.dsr.deadlines import NoDeadlineRule, deadline_for
from custodian.dsr.desk_key import DSR_OWNER, dsr_cipher
from custodian.dsr.matching import best_match
from custodian.dsr.portal_first import PORTAL_TYPES
from custodian.dsr.types import DENY_REASONS, OPEN_STATES, PrivacyRequest, PrivacyRequestIn, RequestDetails
from custodian.kernel.email import email_problem
from custodian.mail.smtp import Mailer, deliver
from custodian.policy.compiled import CompiledPolicy

PDF_MAGIC = b"%PDF-"
VERIFY_PATH = "/privacy/requests/verify"


class RequestRefused(ValueError):
    """The submission cannot be taken as it is; `field` names the input at fault."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class LinkNotValid(LookupError):
    """The verification link is unknown, used, or expired."""


class StepNotAllowed(ValueError):
    """The staff step does not apply to the request in its state."""


@dataclass(frozen=True)
class Mail:
    """A message to send once the transaction has committed."""

    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class Receipt:
    """What the requester is told on submission (never whether an account exists)."""

    reference: str
    received_on: date
    due_on: date | None
    link_valid_days: int
    mail: list[Mail] = field(default_factory=list)


def submit(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy,
           form: PrivacyRequestIn, *, link_base: str, actor: str, now: datetime) -> Receipt:
    """Receive a request: check it, seal the person's details, set its deadline, e-mail the verification link."""
    details, authorization = _checked(form)
    section = policy.document.privacy_requests
    jurisdiction = form.jurisdiction.upper()
    due: date | None = None
    extendable: date | None = None
    try:
        deadline = deadline_for(section, form.request_type, jurisdiction, now.date())
        due, extendable = deadline.due, deadline.extended_due
    except NoDeadlineRule:
        pass  # no statutory deadline for this type here: the queue shows none
    cipher = dsr_cipher(conn, keyring)
    reference = store.new_reference()
    blob_key = blobs.put(cipher, DSR_OWNER, [authorization])[0] if authorization else None
    request_id = store.insert_request(conn, cipher, {
        "reference": reference, "request_type": form.request_type, "jurisdiction": jurisdiction,
        "scope": form.scope if form.request_type == "access" else None, "by_agent": int(bool(form.agent_name)),
        "portal_showing": int(form.portal_unavailable) if form.request_type in PORTAL_TYPES else None,
        "state": "awaiting_verification", "received_at": now, "received_on": now.date(), "due_on": due,
        "extendable_to": extendable, "updated_at": now, "authorization_blob_key": blob_key,
        "email_bidx": keyring.blind_index(conn, "email", details.email),
        "phone_bidx": _phone_index(conn, keyring, details.phone)}, details)
    valid_days = section.verification.link_valid_days
    token = store.issue_token(conn, request_id, now=now, expires_at=now + timedelta(days=valid_days))
    store.add_event(conn, request_id, actor=actor, action="received", now=now,
                    note="received; verification link e-mailed" + (" (by an authorized agent)" if blob_key else ""))
    audit.append(conn, actor=actor, action="dsr.received", now=now, reason=f"privacy request {reference}",
                 detail={"type": form.request_type, "jurisdiction": jurisdiction})
    subject, body = letters.verification_mail(policy.document.provider.name, reference,
                                              verification_link(link_base, token), valid_days)
    return Receipt(reference, now.date(), due, valid_days, [Mail(details.email, subject, body)])


def verification_link(link_base: str, token: str) -> str:
    """The address of the verification page for one token."""
    return f"{link_base.rstrip('/')}{VERIFY_PATH}?token={token}"


def verify(conn: Connection, keyring: Keyring, policy: CompiledPolicy, token: str, *, now: datetime) -> str:
    """Confirm the request of a live link and match the requester against the record store; its reference."""
    request_id = store.request_of_token(conn, token, now)
    if request_id is None:
        raise LinkNotValid("this link is not valid: it was used already, has expired, or is incomplete")
    request = store.read(conn, dsr_cipher(conn, keyring), request_id)
    store.use_tokens(conn, request_id, now)
    if request.state != "awaiting_verification":
        return request.reference
    match = best_match(conn, keyring, request.details, reference=request.reference, actor="dsr:verification")
    verified = match.points >= points_required(policy, request)
    store.update_request(conn, request_id, state="in_progress" if verified else "unverified", verified_at=now,
                         updated_at=now, account_id=match.account_id if verified else None,
                         matched_points=match.points)
    store.add_event(conn, request_id, actor="requester", action="verified", now=now,
                    note=f"e-mail confirmed; {match.points} data points matched, "
                         f"{points_required(policy, request)} needed")
    return request.reference


def points_required(policy: CompiledPolicy, request: PrivacyRequest) -> int:
    """How many data points this request needs matched (policy: more for specific pieces and deletion)."""
    verification = policy.document.privacy_requests.verification
    if request.request_type == "access" and request.scope == "specific_pieces":
        return verification.specific_pieces_matches
    required = {str(kind): points for kind, points in verification.matches_required.items()}
    return required.get(request.request_type, 2)


def extend(conn: Connection, keyring: Keyring, policy: CompiledPolicy, reference: str, *, reason: str, actor: str,
           now: datetime, today: date) -> Mail:
    """Extend a request once, inside its first period; the templated notice goes to the requester."""
    request = read(conn, keyring, reference, actor=actor, now=now)
    if not reason.strip():
        raise StepNotAllowed("give the reason the requester will read")
    if not request.may_extend or request.due_on is None or request.extendable_to is None:
        raise StepNotAllowed(f"{request.reference} cannot be extended (once only, and only where the law allows)")
    if today > request.due_on:
        raise StepNotAllowed(f"{request.reference} can no longer be extended: its first period ended "
                             f"{request.due_on.isoformat()}")
    store.update_request(conn, request.id, due_on=request.extendable_to, extended_at=now, updated_at=now)
    store.add_event(conn, request.id, actor=actor, action="extended", now=now,
                    note=f"due {request.due_on.isoformat()} extended to {request.extendable_to.isoformat()}")
    audit.append(conn, actor=actor, action="dsr.extended", now=now, reason=f"privacy request {request.reference}")
    subject, body = letters.extension_notice(policy.document.provider.name, request.reference, request.request_type,
                                             request.due_on, request.extendable_to, reason.strip())
    return Mail(request.details.email, subject, body)


def deny(conn: Connection, keyring: Keyring, policy: CompiledPolicy, reference: str, *, reason: str, actor: str,
         now: datetime) -> Mail:
    """Deny an open request with a reason of the fixed list; the answer goes to the requester."""
    if reason not in DENY_REASONS:
        raise StepNotAllowed(f"unknown reason {reason!r}; one of: {', '.join(DENY_REASONS)}")
    request = read(conn, keyring, reference, actor=actor, now=now)
    if request.state not in OPEN_STATES:
        raise StepNotAllowed(f"{request.reference} is closed")
    store.update_request(conn, request.id, state="denied", deny_reason=reason, closed_at=now, updated_at=now)
    store.add_event(conn, request.id, actor=actor, action="denied", now=now, note=f"denied: {DENY_REASONS[reason]}")
    audit.append(conn, actor=actor, action="dsr.denied", now=now, reason=f"privacy request {request.reference}",
                 detail={"reason": reason})
    subject, body = letters.denial_notice(policy.document.provider.name, request.reference, request.request_type,
                                          reason)
    return Mail(request.details.email, subject, body)


def read(conn: Connection, keyring: Keyring, reference: str, *, actor: str, now: datetime) -> PrivacyRequest:
    """One request with the requester's details, for staff (an audited read of personal data)."""
    request = store.read(conn, dsr_cipher(conn, keyring), store.id_of(conn, reference))
    audit.append(conn, actor=actor, action="dsr.request_read", account_id=request.account_id, now=now,
                 reason=f"privacy request {request.reference}")
    return request


def queue(conn: Connection, *, open_only: bool = True) -> list[PrivacyRequest]:
    """Requests, the earliest deadline first, their details left sealed (the queue shows no personal data)."""
    return store.listing(conn, OPEN_STATES if open_only else None)


def _checked(form: PrivacyRequestIn) -> tuple[RequestDetails, bytes | None]:
    problem = email_problem(form.email)
    if problem:
        raise RequestRefused("email", f"E-mail: {problem}")
    if not form.confirm_truthful:
        raise RequestRefused("confirm_truthful", "Please confirm that the information you give is true")
    if form.request_type == "correction" and not form.details:
        raise RequestRefused("details", "Correction: say what is wrong and what it should be")
    authorization = _authorization(form.authorization_pdf_base64)
    if form.agent_name and authorization is None:
        raise RequestRefused("authorization", "An authorized agent attaches the person's signed authorization (PDF)")
    details = RequestDetails(name=form.name, email=form.email.strip().lower(), phone=form.phone,
                             account_ref=form.account_ref, postal_code=form.postal_code, details=form.details,
                             agent_name=form.agent_name)
    return details, authorization


def _authorization(encoded: str) -> bytes | None:
    if not encoded:
        return None
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise RequestRefused("authorization", "Signed authorization: not a readable file") from None
    if not data.startswith(PDF_MAGIC):
        raise RequestRefused("authorization", "Signed authorization: the file is not a PDF")
    return data


def _phone_index(conn: Connection, keyring: Keyring, phone: str) -> bytes | None:
    from custodian.dsr.matching import normal_phone

    number = normal_phone(phone)
    return keyring.blind_index(conn, "number", number) if number else None


def send_all(mailer: Mailer | None, mails: list[Mail]) -> int:
    """Send messages after the commit; how many the server accepted (a failed one is not retried here)."""
    return sum(deliver(mailer, mail.to, mail.subject, mail.body).sent for mail in mails)
