"""Numbers on accounts, signed gateway posts and the SpectrumVoIP policy, for the consent edges' tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, insert, select

from custodian.app import create_app
from custodian.consent.sms_gateway import signature
from custodian.consent.tables import consent_entry
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.records import payload
from custodian.records.tables import number_assignment
from custodian.runtime import Runtime
from tests.builders.legal import activate_spectrumvoip

GATEWAY_SECRET = "gateway-shared-secret-for-tests"
SMS_URL = "http://testserver/api/v1/sms/inbound"


def a_number(engine: Engine, keyring: Keyring, account_id: int, number: str, *,
             until: datetime | None = None) -> None:
    """Assign `number` to the account from 400 days ago (until `until`, else still assigned)."""
    with transaction(engine) as conn:
        sealed = keyring.cipher(conn, account_id).seal(number, payload.aad("number_assignment", "number", account_id))
        conn.execute(insert(number_assignment).values(
            number_bidx=keyring.blind_index(conn, "number", number), number_enc=sealed, account_id=account_id,
            assigned_from=utcnow() - timedelta(days=400), assigned_to=until, created_at=utcnow()))


def texted(client: TestClient, sender: str, body: str, *, secret: str = GATEWAY_SECRET) -> Response:
    """The gateway posting one inbound message, signed with `secret`."""
    params = {"From": sender, "To": "+15125550199", "Body": body, "MessageSid": "SM0001"}
    return client.post(SMS_URL, data=params,
                       headers={"X-Twilio-Signature": signature(secret, SMS_URL, list(params.items()))})


def ledger(engine: Engine) -> list[tuple[int | None, str | None, str, str, str, str]]:
    """Every ledger entry as (account, subject, purpose, medium, choice, channel), in order."""
    with engine.connect() as conn:
        rows = conn.execute(select(consent_entry.c.account_id, consent_entry.c.subject, consent_entry.c.purpose,
                                   consent_entry.c.medium, consent_entry.c.choice, consent_entry.c.channel)
                            .order_by(consent_entry.c.id)).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.fixture
def spectrumvoip_app(engine: Engine, master_key: bytes, tmp_path: Path) -> Iterator[TestClient]:
    """The app with the SpectrumVoIP policy in force and the SMS gateway's secret configured."""
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    runtime = Runtime(engine, master_key, LocalBlobStore(tmp_path / "blobs"))
    with TestClient(create_app(runtime, sms_gateway_secret=GATEWAY_SECRET)) as http:
        yield http
