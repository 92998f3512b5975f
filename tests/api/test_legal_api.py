"""`POST /api/v1/legal/requests` and the requester's status lookup."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.builders.legal import LAW_ENFORCEMENT, activate_spectrumvoip

from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.db.engine import transaction
from custodian.runtime import Runtime


@pytest.fixture
def client(engine: Engine, master_key: bytes, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Runtime(engine, master_key, LocalBlobStore(tmp_path / "blobs")))) as http:
        yield http


def _activate(engine: Engine) -> None:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))


def test_without_a_policy_in_force_intake_answers_503(client: TestClient) -> None:
    response = client.post("/api/v1/legal/requests", json=LAW_ENFORCEMENT)
    assert response.status_code == 503 and response.json()["error"]["code"] == "no_policy_in_force"


def test_a_valid_request_is_queued_and_its_status_needs_the_secret(client: TestClient, engine: Engine) -> None:
    _activate(engine)
    response = client.post("/api/v1/legal/requests", json=LAW_ENFORCEMENT)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "in_review" and body["valid"] is True and body["problems"] == []
    assert body["inquire_after"] == "2026-03-16"
    status = client.get(f"/api/v1/legal/requests/{body['tracking_number']}",
                        headers={"X-Request-Secret": body["secret"]})
    assert status.status_code == 200 and status.json()["state"] == "in_review"
    wrong = client.get(f"/api/v1/legal/requests/{body['tracking_number']}", headers={"X-Request-Secret": "nope"})
    assert wrong.status_code == 404 and "secret" not in wrong.text.lower().replace("tracking number and secret", "")


def test_a_deficient_request_is_accepted_with_its_problems(client: TestClient, engine: Engine) -> None:
    _activate(engine)
    body = client.post("/api/v1/legal/requests", json={**LAW_ENFORCEMENT, "targets": []}).json()
    assert body["state"] == "needs_information"
    assert [p["code"] for p in body["problems"]] == ["target_missing"]


def test_a_malformed_document_is_a_422_naming_the_field(client: TestClient, engine: Engine) -> None:
    _activate(engine)
    response = client.post("/api/v1/legal/requests", json={**LAW_ENFORCEMENT, "kind": "gossip"})
    assert response.status_code == 422 and "kind" in response.json()["error"]["message"]
