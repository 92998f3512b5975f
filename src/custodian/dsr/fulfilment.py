"""The seam where a verified request is fulfilled (issue 15 §3 "fulfil"): the integrator registers, per request
type, the function that does the work (the export link of dsr/export, deletion through the retention engine
with crypto-shredding for a whole account) and this module records the outcome and closes the request.

Until a fulfiller is registered for a type, `fulfil` refuses with FulfilmentNotWired: nothing pretends to
have answered a request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.dsr import store
from custodian.dsr.service import StepNotAllowed, read
from custodian.dsr.types import PrivacyRequest


@dataclass(frozen=True)
class Outcome:
    """What fulfilling did, for the final response: what was given or deleted, what was kept and why."""

    summary: str
    done: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (what, why), never naming a sealed request


Fulfiller = Callable[[Connection, Keyring, PrivacyRequest, str, datetime], Outcome]
FULFILLERS: dict[str, Fulfiller] = {}


class FulfilmentNotWired(LookupError):
    """No fulfiller is registered for this request type yet."""


def register(request_type: str, fulfiller: Fulfiller) -> None:
    """Make `fulfiller` answer requests of `request_type`."""
    FULFILLERS[request_type] = fulfiller


def fulfil(conn: Connection, keyring: Keyring, reference: str, *, actor: str, now: datetime,
           fulfillers: Mapping[str, Fulfiller] | None = None) -> Outcome:
    """Fulfil a verified request through its fulfiller (of `fulfillers`, else the registered ones), then close
    it with the outcome."""
    request = read(conn, keyring, reference, actor=actor, now=now)
    if request.state != "in_progress" or request.account_id is None:
        raise StepNotAllowed(f"{request.reference} is not a verified, open request")
    fulfiller = (FULFILLERS if fulfillers is None else fulfillers).get(request.request_type)
    if fulfiller is None:
        raise FulfilmentNotWired(f"fulfilling {request.request_type} requests is not wired yet")
    outcome = fulfiller(conn, keyring, request, actor, now)
    store.update_request(conn, request.id, state="fulfilled", closed_at=now, updated_at=now)
    store.add_event(conn, request.id, actor=actor, action="fulfilled", now=now, note=outcome.summary)
    audit.append(conn, actor=actor, action="dsr.fulfilled", account_id=request.account_id, now=now,
                 reason=f"privacy request {request.reference}")
    return outcome
