"""The public privacy-request form over HTTP: CSRF, a receipt, the e-mailed verification link (a real SMTP
server) and a confirmation page that reads the same whether or not the person is a customer (issue 15 §3)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from custodian.app import create_app
from custodian.db.engine import transaction
from custodian.dsr.tables import privacy_request
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.dsr import A_PDF
from tests.builders.legal import LAW_ENFORCEMENT, activate_spectrumvoip
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, CANARY_SURNAME, an_account
from tests.builders.smtp import Inbox, smtp_server

FIELDS = {"request_type": "access", "scope": "categories", "jurisdiction": "US-CA",
          "name": f"{CANARY_NAME} {CANARY_SURNAME}", "email": CANARY_EMAIL, "postal_code": "78701",
          "confirm_truthful": "on"}


@pytest.fixture
def mailed(runtime: Runtime, engine: Engine) -> Iterator[tuple[TestClient, Inbox]]:
    """A client of an app whose mail goes to a local SMTP server, with the SpectrumVoIP policy in force."""
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    with smtp_server() as (inbox, port):
        served = replace(runtime, mailer=Mailer("127.0.0.1", port, "privacy@provider.example"))
        with TestClient(create_app(served)) as http:
            yield http, inbox


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def _link(inbox: Inbox) -> str:
    body = inbox.messages[-1].get_payload(decode=True).decode()  # type: ignore[union-attr]
    found = re.search(r"(http://testserver/privacy/requests/verify\?token=\S+)", body)
    assert found
    return found.group(1).replace("http://testserver", "")


def _submit(client: TestClient, **changes: str) -> str:
    token = _csrf(client, "/privacy/requests")
    response = client.post("/privacy/requests", data={**FIELDS, **changes, "csrf_token": token})
    assert response.status_code == 201, response.text
    return response.text


def _confirm(client: TestClient, link: str) -> str:
    token = _csrf(client, link)
    page = client.get(link).text
    hidden = re.search(r'name="token" value="([^"]+)"', page)
    assert hidden
    response = client.post("/privacy/requests/verify", data={"csrf_token": token, "token": hidden.group(1)})
    assert response.status_code == 200
    return re.sub(r"PR-[A-Z0-9]{10}", "PR-…", response.text)


def test_a_post_without_the_csrf_token_is_refused(mailed: tuple[TestClient, Inbox]) -> None:
    client, inbox = mailed
    response = client.post("/privacy/requests", data=FIELDS)
    assert response.status_code == 403 and "csrf_failed" in response.text
    assert not inbox.messages


def test_a_request_gets_a_receipt_and_a_verification_mail_then_the_link_confirms_it(
        mailed: tuple[TestClient, Inbox], engine: Engine, runtime: Runtime) -> None:
    client, inbox = mailed
    account_id = an_account(engine, runtime.keyring())
    receipt = _submit(client)
    assert 'id="reference"' in receipt and "within 7 days" in receipt
    assert inbox.messages[0]["To"] == CANARY_EMAIL
    link = _link(inbox)
    assert "Confirm the request" in client.get(link).text  # a GET confirms nothing (mail scanners follow links)
    with engine.connect() as conn:
        assert conn.execute(select(privacy_request.c.state)).scalar_one() == "awaiting_verification"
    assert "is confirmed" in _confirm(client, link)
    with engine.connect() as conn:
        row = conn.execute(select(privacy_request.c.state, privacy_request.c.account_id)).one()
    assert tuple(row) == ("in_progress", account_id)


def test_the_confirmation_reads_the_same_for_a_customer_and_for_anyone_else(
        mailed: tuple[TestClient, Inbox], engine: Engine, runtime: Runtime) -> None:
    # Issue 15 §3: the answer never reveals whether an account exists.
    client, inbox = mailed
    an_account(engine, runtime.keyring())
    _submit(client)
    customer = _confirm(client, _link(inbox))
    _submit(client, email="stranger@elsewhere.example", name="Somebody Else")
    stranger = _confirm(client, _link(inbox))
    assert customer == stranger


def test_a_used_link_says_it_is_not_valid(mailed: tuple[TestClient, Inbox]) -> None:
    client, inbox = mailed
    _submit(client)
    link = _link(inbox)
    _confirm(client, link)
    token = _csrf(client, link)
    response = client.post("/privacy/requests/verify", data={"csrf_token": token, "token": link.split("=", 1)[1]})
    assert response.status_code == 404 and "not valid" in response.text


def test_a_missing_field_is_shown_beside_it_with_the_values_kept(mailed: tuple[TestClient, Inbox]) -> None:
    client, _ = mailed
    token = _csrf(client, "/privacy/requests")
    response = client.post("/privacy/requests", data={**FIELDS, "request_type": "correction", "csrf_token": token})
    assert response.status_code == 422
    assert 'id="details-error"' in response.text and CANARY_EMAIL in response.text


def test_an_agent_uploads_the_signed_authorization(mailed: tuple[TestClient, Inbox], engine: Engine) -> None:
    client, _ = mailed
    token = _csrf(client, "/privacy/requests")
    refused = client.post("/privacy/requests", data={**FIELDS, "agent_name": "Agent LLC", "csrf_token": token},
                          files={"authorization_pdf": ("auth.txt", b"not a pdf", "text/plain")})
    assert refused.status_code == 422 and "not a PDF" in refused.text
    accepted = client.post("/privacy/requests", data={**FIELDS, "agent_name": "Agent LLC", "csrf_token": token},
                           files={"authorization_pdf": ("auth.pdf", A_PDF, "application/pdf")})
    assert accepted.status_code == 201
    with engine.connect() as conn:
        assert conn.execute(select(privacy_request.c.by_agent)).scalar_one() == 1


def test_the_json_api_takes_a_request_and_is_in_the_openapi_schema(mailed: tuple[TestClient, Inbox]) -> None:
    client, inbox = mailed
    body = {k: v for k, v in FIELDS.items() if k != "confirm_truthful"} | {"confirm_truthful": True,
                                                                           "request_type": "opt_out"}
    response = client.post("/api/v1/privacy-requests", json=body)
    assert response.status_code == 202, response.text
    assert response.json()["reference"].startswith("PR-") and response.json()["due_on"] is not None
    assert len(inbox.messages) == 1
    assert client.post("/api/v1/privacy-requests", json={**body, "email": "not-an-address"}).status_code == 422
    assert "/api/v1/privacy-requests" in client.get("/api/openapi.json").json()["paths"]


def test_submissions_are_limited_per_client_address_in_a_bucket_of_their_own(
        mailed: tuple[TestClient, Inbox], engine: Engine) -> None:
    from datetime import timedelta

    from custodian.audit import store as audit
    from custodian.staff.throttle import Rate, ThrottleRates

    client, _ = mailed
    client.app.state.runtime.throttle = ThrottleRates(intake_per_address=Rate(1, timedelta(hours=1)))  # type: ignore[attr-defined]
    body = {k: v for k, v in FIELDS.items() if k != "confirm_truthful"} | {"confirm_truthful": True}
    assert client.post("/api/v1/privacy-requests", json=body).status_code == 202
    refused = client.post("/api/v1/privacy-requests", json=body)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert client.post("/api/v1/legal/requests", json=LAW_ENFORCEMENT).status_code != 429  # the desk's own bucket
    with engine.connect() as conn:
        assert len(audit.search(conn, action="dsr.intake_throttled")) == 1


def test_under_a_portal_first_policy_the_form_asks_whether_the_portal_cannot_give_it(
        mailed: tuple[TestClient, Inbox], engine: Engine) -> None:
    """Seed 002 P154: "... after a showing that such data cannot be obtained through the Admin Portal"."""
    client, _ = mailed
    form = client.get("/privacy/requests").text
    assert 'name="portal_unavailable"' in form and "customer portal" in form
    page = _submit(client, portal_unavailable="on")
    reference = re.search(r"PR-[A-Z0-9]{10}", page)
    assert reference
    with engine.connect() as conn:
        showing = conn.execute(select(privacy_request.c.portal_showing)
                               .where(privacy_request.c.reference == reference.group(0))).scalar_one()
    assert showing == 1
