"""`POST /api/v1/legal/requests` and the requester's status lookup; rate-limited per client address, and the
policy in force compiled once per version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from tests.builders.legal import LAW_ENFORCEMENT, activate_spectrumvoip

from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal.tables import legal_intake_rejection, legal_request
from custodian.policy import store as policy_store
from custodian.runtime import Runtime
from custodian.staff.throttle import Rate, ThrottleRates


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


def _posted(**changes: object) -> dict[str, object]:
    """The law-enforcement document as a client sends it: no receipt date (the server stamps it)."""
    body = {key: value for key, value in LAW_ENFORCEMENT.items() if key != "received_on"}
    return {**body, "requested_response_on": "2099-01-01", **changes}


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(legal_request)).scalar_one(),
                conn.execute(select(func.count()).select_from(legal_intake_rejection)).scalar_one())


def test_a_valid_request_is_queued_and_its_status_needs_the_secret(client: TestClient, engine: Engine) -> None:
    _activate(engine)
    response = client.post("/api/v1/legal/requests", json=_posted())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "in_review" and body["valid"] is True and body["problems"] == []
    status = client.get(f"/api/v1/legal/requests/{body['tracking_number']}",
                        headers={"X-Request-Secret": body["secret"]})
    assert status.status_code == 200 and status.json()["state"] == "in_review"
    assert status.json()["received_on"] == utcnow().date().isoformat()
    wrong = client.get(f"/api/v1/legal/requests/{body['tracking_number']}", headers={"X-Request-Secret": "nope"})
    assert wrong.status_code == 404 and "secret" not in wrong.text.lower().replace("tracking number and secret", "")


def test_a_client_sent_receipt_date_is_refused_so_no_request_can_be_backdated(
        client: TestClient, engine: Engine) -> None:
    """A backdated received_on would slip past the 'at least fourteen (14) days' response time and into an
    earlier transparency period: the server stamps the receipt."""
    _activate(engine)
    response = client.post("/api/v1/legal/requests", json=_posted(received_on="2026-01-02"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "received_on", "message": "Date received is set by the provider when the request arrives; "
                                            "leave it out"}]
    assert _counts(engine) == (0, 1)


def test_a_submission_missing_required_fields_is_refused_with_one_error_per_field(
        client: TestClient, engine: Engine) -> None:
    """DRG V: 'SpectrumVoIP cannot reasonably consider a Data Request unless it includes at least the following
    information: ... Badge or Identification Number ... Mailing address'."""
    _activate(engine)
    requester = dict(LAW_ENFORCEMENT["requester"], badge_number="",
                     mailing_address={"street": "", "city": "Plano", "state": "TX", "postal_code": "75074"})
    response = client.post("/api/v1/legal/requests", json=_posted(requester=requester, targets=[]))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "required_fields_missing"
    assert error["fields"] == [
        {"field": "requester.badge_number", "message": "Badge / identification number is missing"},
        {"field": "requester.mailing_address.street", "message": "Mailing address: street is missing"},
        {"field": "targets", "message": "Telephone number, account number or e-mail sought is missing"}]
    assert _counts(engine) == (0, 1)


def test_a_complete_request_with_other_defects_is_received_and_needs_information(
        client: TestClient, engine: Engine) -> None:
    _activate(engine)
    requester = dict(LAW_ENFORCEMENT["requester"], email="ana@gmail.com")
    body = client.post("/api/v1/legal/requests", json=_posted(requester=requester)).json()
    assert body["state"] == "needs_information"
    assert [p["code"] for p in body["problems"]] == ["email_not_government_domain"]
    assert _counts(engine) == (1, 0)


def test_a_malformed_document_is_a_422_naming_the_field(client: TestClient, engine: Engine) -> None:
    _activate(engine)
    response = client.post("/api/v1/legal/requests", json=_posted(kind="gossip"))
    assert response.status_code == 422 and "kind" in response.json()["error"]["message"]
    assert response.json()["error"]["fields"][0]["field"] == "kind"


def test_a_customers_own_request_is_told_where_it_goes(client: TestClient, engine: Engine) -> None:
    """47 U.S.C. 222(c)(2): the customer's own written request is answered by the customer data-request process."""
    _activate(engine)
    response = client.post("/api/v1/legal/requests",
                           json=_posted(requester={"type": "customer", "email": "me@example.com"}))
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "customer_requests"
    assert "customer portal" in error["message"] and "/privacy/requests" in error["message"]


def test_a_judges_order_over_the_range_limit_is_queued_with_a_warning(client: TestClient, engine: Engine) -> None:
    """'a narrowly tailored date range (generally up to 2 months)': a judge's wider order is reviewed, not refused."""
    _activate(engine)
    body = client.post("/api/v1/legal/requests",
                       json=_posted(date_range={"from": "2025-09-01", "to": "2026-02-28"})).json()
    assert body["state"] == "in_review" and body["valid"] is True and body["problems"] == []
    assert [w["code"] for w in body["warnings"]] == ["date_range_too_long"]


def test_an_email_with_a_line_break_is_a_422_naming_the_field_so_no_mail_header_can_be_injected(
        client: TestClient, engine: Engine) -> None:
    """kernel.email, the one check for every address accepted: RFC 5322 2.2 allows no CR or LF in a header."""
    _activate(engine)
    requester = {**LAW_ENFORCEMENT["requester"], "email": "agent@fbi.gov\r\nBcc: thief@evil.example"}
    response = client.post("/api/v1/legal/requests", json=_posted(requester=requester))
    assert response.status_code == 422 and "requester.email" in response.json()["error"]["message"]
    target = {"email": "holder@example.com\nBcc: thief@evil.example"}
    response = client.post("/api/v1/legal/requests", json=_posted(targets=[target]))
    assert response.status_code == 422 and "email" in response.json()["error"]["message"]


def test_the_api_refuses_a_flood_of_requests_from_one_address_with_429_and_retry_after(
        engine: Engine, master_key: bytes, tmp_path: Path) -> None:
    _activate(engine)
    runtime = Runtime(engine, master_key, LocalBlobStore(tmp_path / "blobs"),
                      throttle=ThrottleRates(intake_per_address=Rate(2, timedelta(hours=1))))
    with TestClient(create_app(runtime)) as client:
        answers = [client.post("/api/v1/legal/requests", json=_posted()) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[-1].json()["error"]["code"] == "too_many_requests"
    assert 1000 < int(answers[-1].headers["retry-after"]) <= 1800  # one of two tokens an hour comes back


def test_two_requests_compile_the_policy_once_and_an_activation_recompiles(
        client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The public intake recompiled the policy on every request (0.9 s of CPU each)."""
    compiled: list[str] = []
    real = policy_store.compile_policy

    def counting(document: object, text: str) -> object:
        compiled.append(text)
        return real(document, text)  # type: ignore[arg-type]

    monkeypatch.setattr(policy_store, "compile_policy", counting)
    _activate(engine)
    compiled.clear()
    for _ in range(2):
        assert client.post("/api/v1/legal/requests", json=_posted()).status_code == 201
    assert len(compiled) == 1
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 2, tzinfo=UTC))  # a new version, effective now
    compiled.clear()
    for _ in range(2):
        assert client.post("/api/v1/legal/requests", json=_posted()).status_code == 201
    assert len(compiled) == 1
