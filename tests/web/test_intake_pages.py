"""The requester portal over HTTP: a form per requester type with CSRF, an encrypted instrument upload,
a receipt with tracking number and secret, and a status page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.db.engine import transaction
from tests.builders.legal import activate_spectrumvoip

FIELDS = {
    "requester_type": "law_enforcement", "kind": "data", "agency": "Plano Police Department",
    "agent_name": "Det. Ana Ruiz", "badge_number": "4471", "email": "aruiz@plano.gov", "phone": "+1 972 555 0142",
    "phone_extension": "12", "address_street": "909 E 14th St", "address_city": "Plano", "address_state": "TX",
    "address_postal_code": "75074", "instrument_type": "court_order_2703d", "instrument_jurisdiction": "US-TX",
    "target_0_phone_number": "+1 512 555 0100", "date_from": "2026-01-01", "date_to": "2026-02-28",
    "requested_response_on": "2099-01-01",
}


def _token(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def test_each_requester_type_has_its_own_form(client: TestClient) -> None:
    law = client.get("/legal/requests/new?type=law_enforcement").text
    civil = client.get("/legal/requests/new?type=civil").text
    assert 'name="badge_number"' in law and 'name="badge_number"' not in civil
    assert 'name="local_counsel_texas_bar_number"' in civil
    assert client.get("/legal/requests/new?type=customer").status_code == 404


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, engine: Engine) -> None:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    response = client.post("/legal/requests", data=FIELDS)
    assert response.status_code == 403 and "csrf_failed" in response.text


def test_submitting_with_a_pdf_gives_a_tracking_number_secret_and_status(client: TestClient, engine: Engine) -> None:
    """'please allow SpectrumVoIP ten (10) business days to respond to your request before you inquire as to
    its status.'"""
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    token = _token(client, "/legal/requests/new?type=law_enforcement")
    data = {**FIELDS, "csrf_token": token, "record_classes": ["subscriber.basic", "cpni.call_log"]}
    response = client.post("/legal/requests", data=data,
                           files={"instrument_pdf": ("order.pdf", b"%PDF-1.4 order", "application/pdf")})
    assert response.status_code == 201, response.text
    tracking = re.search(r'id="tracking-number">([^<]+)<', response.text)
    secret = re.search(r'id="status-secret"><code>([^<]+)<', response.text)
    assert tracking and secret
    assert "ten (10) business days" in response.text and "In review" in response.text
    token = _token(client, "/legal/status")
    status = client.post("/legal/status", data={"csrf_token": token, "tracking_number": tracking.group(1),
                                                "secret": secret.group(1)})
    assert status.status_code == 200 and "In review" in status.text and "ten (10) business days" in status.text
    wrong = client.post("/legal/status", data={"csrf_token": token, "tracking_number": tracking.group(1),
                                               "secret": "guess"})
    assert wrong.status_code == 404 and "No request matches" in wrong.text


def test_a_deficient_request_lists_what_is_needed(client: TestClient, engine: Engine) -> None:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    token = _token(client, "/legal/requests/new?type=law_enforcement")
    data = {**FIELDS, "csrf_token": token, "email": "ana@gmail.com", "address_street": "PO Box 9",
            "record_classes": ["subscriber.basic"]}
    response = client.post("/legal/requests", data=data)
    assert response.status_code == 201
    assert 'data-code="email_not_government_domain"' in response.text
    assert 'data-code="po_box_not_accepted"' in response.text and "Needs information" in response.text
