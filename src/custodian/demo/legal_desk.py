"""The demo's legal desk: requests from fictitious agencies about demo accounts, driven through the desk's
real use cases (submit, call-back, approve, produce, deliver, preserve) so the queue holds one request in
each state a desk meets: needing information, approved, delivered, a preservation and an emergency.

The requesters are fictitious (the `.gov` addresses name no real agency); targets are demo numbers held
throughout the requested window. Customer notices the desk owes go out through the given mailer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.demo.population import DemoPlan
from custodian.legal import notices, preservation, production, service, submission
from custodian.legal.delivery import deliver
from custodian.legal.notices import Mailer
from custodian.legal.types import LegalRequest
from custodian.policy.compiled import CompiledPolicy

WINDOW_DAYS = 50  # inside the SpectrumVoIP guidelines' two-month limit
RESPONSE_DAYS = 30  # the response date the requesters ask for (past every policy's minimum)
SHERIFF = {"type": "law_enforcement", "agency": "Demo County Sheriff's Office", "agent_name": "Det. Rowan Hale",
           "badge_number": "D-4471", "email": "rhale@sheriff.demo-county.gov", "phone": "+1 512 555 0142",
           "phone_extension": "12", "mailing_address": {"street": "100 Courthouse Sq", "city": "Austin",
                                                         "state": "TX", "postal_code": "78701", "country": "US"}}
COURT = {"jurisdiction": "US-TX", "issued_by": "Demo County District Court"}


@dataclass(frozen=True)
class FiledRequest:
    """One request the demo filed: which of the five (`key`), what it is, its tracking number and its state."""

    key: str
    label: str
    tracking_number: str
    state: str


@dataclass(frozen=True)
class DeskOutcome:
    """The requests filed and how many customer notices the mail server accepted."""

    requests: tuple[FiledRequest, ...]
    notices: dict[str, int]


def targets_of(plan: DemoPlan, now: datetime, count: int) -> list[str]:
    """Numbers of active accounts held without a break since well before the window (one per account)."""
    active = {acc.ref for acc in plan.accounts if acc.status == "active" and acc.email}
    since = now - timedelta(days=WINDOW_DAYS + 30)
    chosen: dict[str, str] = {}
    for holding in plan.holdings:
        if holding.account_ref in active and holding.assigned_to is None and holding.assigned_from < since:
            chosen.setdefault(holding.account_ref, holding.number)
    if len(chosen) < count:
        raise ValueError(f"demo: {count} long-held numbers are needed for the legal desk; build more accounts")
    return list(chosen.values())[:count]


def file_requests(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy,
                  plan: DemoPlan, mailer: Mailer | None, *, actor: str, now: datetime) -> DeskOutcome:
    """File the demo's five requests, one per state, then send the notices they owe."""
    numbers = targets_of(plan, now, 5)
    window = {"from": (now - timedelta(days=WINDOW_DAYS)).date().isoformat(),
              "to": (now - timedelta(days=1)).date().isoformat(),
              "issued_on": (now - timedelta(days=3)).date().isoformat(),
              "respond_by": (now + timedelta(days=RESPONSE_DAYS)).date().isoformat()}
    steps: list[tuple[str, str, dict[str, Any], Callable[[Connection, int], None]]] = [
        ("needs_information", "Subpoena missing the officer's badge number",
         _data(numbers[0], window, "subpoena", badge=False), lambda conn, rid: None),
        ("approved", "2703(d) order for call detail, approved", _data(numbers[1], window, "court_order_2703d"),
         lambda conn, rid: _approve(conn, keyring, policy, rid, actor, now)),
        ("delivered", "Subpoena for subscriber records, delivered", _data(numbers[2], window, "subpoena"),
         lambda conn, rid: _deliver(conn, keyring, blobs, policy, rid, actor, now)),
        ("preservation", "Preservation letter (90 days)", _preservation(numbers[3], window),
         lambda conn, rid: _preserve(conn, keyring, blobs, policy, rid, actor, now)),
        ("emergency", "Emergency: danger to life, call-back recorded", _emergency(numbers[4], window),
         lambda conn, rid: _call_back(conn, keyring, rid, actor, now)),
    ]
    filed = []
    for index, (key, label, document, then) in enumerate(steps):
        with transaction(engine) as conn:
            done = submission.submit(conn, keyring, policy, LegalRequest.model_validate(document), channel="email",
                                  actor=actor, now=now)
            if index and done.problems:  # only the first is meant to need information
                raise ValueError(f"demo: the request '{label}' has problems: "
                                 + "; ".join(f"{p.field}: {p.message}" for p in done.problems))
            then(conn, done.request_id)
            state = service.get(conn, keyring, done.request_id).state
            filed.append(FiledRequest(key, label, done.tracking_number, state))
    sent = notices.send_due(engine, keyring, policy, mailer, actor=actor, now=now)
    return DeskOutcome(tuple(filed), sent)


def _data(number: str, window: dict[str, str], instrument: str, *, badge: bool = True) -> dict[str, Any]:
    requester = dict(SHERIFF) if badge else {k: v for k, v in SHERIFF.items() if k != "badge_number"}
    classes = ["subscriber.basic", "cpni.call_log"] if instrument == "court_order_2703d" else \
        ["subscriber.basic", "numbers.assignments"]
    return {"kind": "data", "requester": requester,
            "instrument": {"type": instrument, "case_number": f"DC-{number[-4:]}", "issued_on": window["issued_on"],
                           **COURT},
            "service": {"channel": "email"}, "targets": [{"phone_number": number}], "date_range": _range(window),
            "record_classes": classes, "requested_response_on": window["respond_by"]}


def _range(window: dict[str, str]) -> dict[str, str]:
    return {"from": window["from"], "to": window["to"]}


def _preservation(number: str, window: dict[str, str]) -> dict[str, Any]:
    return {"kind": "preservation", "requester": SHERIFF, "service": {"channel": "email"},
            "targets": [{"phone_number": number}], "date_range": _range(window),
            "record_classes": ["subscriber.basic", "cpni.call_log"], "requested_response_on": window["respond_by"]}


def _emergency(number: str, window: dict[str, str]) -> dict[str, Any]:
    return {"kind": "emergency", "requester": SHERIFF, "instrument": {"type": "emergency_form"},
            "service": {"channel": "email"}, "targets": [{"phone_number": number}], "date_range": _range(window),
            "record_classes": ["subscriber.basic", "cpni.call_log"],
            "emergency": {"basis": "A caller on this line threatened to harm a hostage within hours.",
                          "imminent_harm_attested": True}}


def _approve(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int, actor: str,
             now: datetime) -> None:
    classes = list(service.get(conn, keyring, request_id).document.record_classes)
    service.approve(conn, keyring, policy, request_id, classes, rationale="the order names the line and the window",
                    actor=actor, now=now)


def _deliver(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy, request_id: int,
             actor: str, now: datetime) -> None:
    _approve(conn, keyring, policy, request_id, actor, now)
    production.produce(conn, keyring, blobs, policy, request_id, custodian_name="Demo Legal Desk", actor=actor,
                       now=now)
    deliver(conn, keyring, policy, request_id, actor=actor, now=now)


def _preserve(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy, request_id: int,
              actor: str, now: datetime) -> None:
    preservation.preserve(conn, keyring, blobs, policy, request_id, actor=actor, now=now)


def _call_back(conn: Connection, keyring: Keyring, request_id: int, actor: str, now: datetime) -> None:
    service.record_callback(conn, keyring, request_id, who="Sgt. Dana Brook, dispatch", number="+1 512 555 0100",
                            called_at=now - timedelta(minutes=5), passed=True, actor=actor, now=now)
