"""Builders for data-subject requests: a form as the public page submits it, and a submitted request."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.types import PrivacyRequestIn
from tests.builders.legal import spectrumvoip
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, CANARY_SURNAME

RECEIVED_AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
LINK_BASE = "https://privacy.example"
A_PDF = b"%PDF-1.4\n% signed authorization\n%%EOF\n"


def a_form(**changes: Any) -> PrivacyRequestIn:
    """An access request from the canary account's holder in California, matching e-mail and name + ZIP."""
    data: dict[str, Any] = {"request_type": "access", "jurisdiction": "US-CA",
                            "name": f"{CANARY_NAME} {CANARY_SURNAME}", "email": CANARY_EMAIL,
                            "postal_code": "78701", "confirm_truthful": True}
    data.update(changes)
    return PrivacyRequestIn.model_validate(data)


def pdf_base64() -> str:
    return base64.b64encode(A_PDF).decode()


def a_request(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, *, now: datetime = RECEIVED_AT,
              **changes: Any) -> tuple[service.Receipt, str]:
    """Submit a request; return its receipt and the token of its verification link."""
    with transaction(engine) as conn:
        receipt = service.submit(conn, keyring, blobs, spectrumvoip(), a_form(**changes), link_base=LINK_BASE,
                                 actor="requester:test", now=now)
    return receipt, link_token(receipt.mail[0].body)


def link_token(body: str) -> str:
    """The token of the verification link in a mail body."""
    marker = f"{LINK_BASE}{service.VERIFY_PATH}?token="
    return body.split(marker, 1)[1].split()[0]


def an_agent_and_a_customer(runtime: Any) -> Any:
    """The SpectrumVoIP policy in force, account ACC-1 (the canary customer) and a privacy request agent
    `dora`, added at the shell; her new credentials."""
    from custodian.kernel.clock import utcnow
    from custodian.staff import service as staff_service
    from tests.builders.records import an_account
    from tests.builders.staff import policy_in_force

    rules = policy_in_force(runtime.engine)
    an_account(runtime.engine, runtime.keyring(), ref="ACC-1")
    with transaction(runtime.engine) as conn:
        return staff_service.add_staff(conn, runtime.master_key, username="dora", display_name="Dora Agent",
                                       role="dsr_agent", roles=rules.staff_roles(), actor="t", channel="shell",
                                       now=utcnow())


def fill_public_form(page: Any, base_url: str, what: str) -> None:
    """Open /privacy/requests and fill it as the canary customer asking `what` (a choice's label); not sent."""
    page.goto(base_url + "/privacy/requests")
    page.get_by_label(what).check()
    page.get_by_label("Full name").fill(f"{CANARY_NAME} {CANARY_SURNAME}")
    page.get_by_label("E-mail address").fill(CANARY_EMAIL)
    page.get_by_label("Phone number").fill("(512) 555-0100")
    page.get_by_label("ZIP or postal code").fill("78701")
    page.get_by_label("I confirm that the information I give is true.").check()
