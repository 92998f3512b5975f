"""The requester portal over HTTP: a form per requester type with CSRF, an encrypted instrument upload,
a receipt with tracking number and secret, and a status page; submissions rate-limited per client address."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from custodian.api.limits import RequestLimits
from custodian.app import create_app
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal.tables import legal_intake_rejection, legal_request
from custodian.runtime import Runtime
from custodian.staff.throttle import Rate, ThrottleRates
from tests.builders.legal import activate_spectrumvoip

FIELDS = {
    "requester_type": "law_enforcement", "kind": "data", "agency": "Plano Police Department",
    "agent_name": "Det. Ana Ruiz", "badge_number": "4471", "email": "aruiz@plano.gov", "phone": "+1 972 555 0142",
    "phone_extension": "12", "address_street": "909 E 14th St", "address_city": "Plano", "address_state": "TX",
    "address_postal_code": "75074", "instrument_type": "court_order_2703d", "instrument_jurisdiction": "US-TX",
    "instrument_case_number": "26-0042", "instrument_issued_by": "Collin County District Court",
    "instrument_issued_on": "2026-02-27",
    "target_0_phone_number": "+1 512 555 0100", "date_from": "2026-01-01", "date_to": "2026-02-28",
    "requested_response_on": "2099-01-01",
}


def _token(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def test_each_requester_type_has_its_own_form(client: TestClient, engine: Engine) -> None:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
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


def _activated(engine: Engine) -> None:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(legal_request)).scalar_one(),
                conn.execute(select(func.count()).select_from(legal_intake_rejection)).scalar_one())


def test_the_form_shows_required_fields_and_the_policys_limits_before_submission(
        client: TestClient, engine: Engine) -> None:
    """DRG V: 'SpectrumVoIP cannot reasonably consider a Data Request unless it includes at least the following
    information'; DRG III: 'a specific date or narrow date range of no more than two months'."""
    _activated(engine)
    law = client.get("/legal/requests/new?type=law_enforcement").text
    assert re.search(r'for="badge_number">Badge / identification number <span class="req">\(required\)', law)
    assert 'id="limit-date-range"' in law and "2 calendar months" in law and "14 days" in law
    assert re.search(r'value="content.sms_body"> Text message contents <span class="muted reach">— needs a search '
                     r'warrant', law)
    civil = client.get("/legal/requests/new?type=civil").text
    assert re.search(r'value="cpni.call_log">[^<]*<span class="muted reach">— not available to this requester', civil)


def test_a_submission_missing_required_fields_is_shown_again_with_each_error_beside_its_field(
        client: TestClient, engine: Engine) -> None:
    """DRG V: 'cannot reasonably consider a Data Request unless it includes at least the following information';
    a refused submission is not a request received: it is only counted as rejected at intake."""
    _activated(engine)
    token = _token(client, "/legal/requests/new?type=law_enforcement")
    data = {**FIELDS, "csrf_token": token, "badge_number": "", "address_street": "",
            "record_classes": ["subscriber.basic"]}
    response = client.post("/legal/requests", data=data)
    assert response.status_code == 422
    assert re.search(r'id="badge_number-error">Badge / identification number is missing<', response.text)
    assert re.search(r'id="address_street-error">Mailing address: street is missing<', response.text)
    assert 'value="Plano Police Department"' in response.text and 'value="subscriber.basic" checked' in response.text
    assert "missing_field" not in response.text and "tracking-number" not in response.text
    assert _counts(engine) == (0, 1)


def test_a_posted_receipt_date_is_ignored_and_the_server_stamps_today(client: TestClient, engine: Engine) -> None:
    """A requester cannot backdate a request past the minimum response time or into an old report period."""
    _activated(engine)
    token = _token(client, "/legal/requests/new?type=law_enforcement")
    data = {**FIELDS, "csrf_token": token, "received_on": "2020-01-01", "record_classes": ["subscriber.basic"]}
    assert client.post("/legal/requests", data=data).status_code == 201
    with engine.connect() as conn:
        assert conn.execute(select(legal_request.c.received_on)).scalar_one() == utcnow().date()


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_upload(client: TestClient, engine: Engine) -> None:
    _activated(engine)
    token = _token(client, "/legal/requests/new?type=law_enforcement")
    data = {**FIELDS, "csrf_token": token, "record_classes": ["subscriber.basic"]}
    response = client.post("/legal/requests", data=data,
                           files={"instrument_pdf": ("order.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert response.status_code == 422
    assert re.search(r'id="instrument_pdf-error">Signed legal process: the file is not a PDF<', response.text)
    assert _counts(engine) == (0, 1)


def test_an_upload_over_the_limit_is_refused_with_413_before_and_while_it_streams(
        runtime: Runtime, engine: Engine) -> None:
    _activated(engine)
    big = b"%PDF-1.4 " + b"x" * (2 * 1024 * 1024)
    with TestClient(create_app(runtime, max_upload_bytes=1024 * 1024)) as small:
        token = _token(small, "/legal/requests/new?type=law_enforcement")
        declared = small.post("/legal/requests", data={**FIELDS, "csrf_token": token},
                              files={"instrument_pdf": ("order.pdf", big, "application/pdf")})
        assert declared.status_code == 413 and "larger than the 1 MB limit" in declared.text

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b"--b\r\nContent-Disposition: form-data; name=\"instrument_pdf\"; filename=\"a.pdf\"\r\n\r\n"
            for _ in range(40):
                yield b"x" * 65536
            yield b"\r\n--b--\r\n"

        streamed = small.post("/legal/requests", content=chunks(),
                              headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert streamed.status_code == 413 and "larger than the 1 MB limit" in streamed.text
    assert _counts(engine) == (0, 0)


def test_the_intake_csrf_cookie_is_secure_when_the_public_address_is_https(runtime: Runtime) -> None:
    with TestClient(create_app(runtime, secure_cookies=True)) as https:
        cookie = https.get("/legal").headers["set-cookie"]
    with TestClient(create_app(runtime)) as plain:
        plain_cookie = plain.get("/legal").headers["set-cookie"]
    assert "secure" in cookie.lower() and "secure" not in plain_cookie.lower()


def test_the_portal_refuses_a_flood_of_requests_from_one_address_with_429(runtime: Runtime, engine: Engine) -> None:
    """A public door that validates against the policy and stores a PDF is rate-limited per client address."""
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    runtime.throttle = ThrottleRates(intake_per_address=Rate(1, timedelta(hours=1)))
    with TestClient(create_app(runtime)) as client:
        token = _token(client, "/legal/requests/new?type=law_enforcement")
        data = {**FIELDS, "csrf_token": token, "record_classes": ["subscriber.basic"]}
        assert client.post("/legal/requests", data=data).status_code == 201
        refused = client.post("/legal/requests", data=data)
    assert refused.status_code == 429 and 3000 < int(refused.headers["retry-after"]) <= 3600
    assert "too many attempts" in refused.text.lower()
    with engine.connect() as conn:
        assert [e.actor for e in audit.search(conn, action="legal.intake_throttled")] == ["requester:portal"]


def test_a_non_ascii_csrf_token_on_the_status_form_is_refused_with_403(client: TestClient) -> None:
    client.get("/legal/status")
    answer = client.post("/legal/status", data={"tracking_number": "LR-1", "secret": "s", "csrf_token": "ünïcødé"})
    assert answer.status_code == 403


def test_a_request_naming_more_targets_than_the_limit_is_422_and_nothing_is_stored(
        runtime: Runtime, engine: Engine) -> None:
    """CUSTODIAN_MAX_REQUEST_TARGETS bounds the portal's form as it bounds the API."""
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    with TestClient(create_app(runtime, limits=RequestLimits(max_targets=1))) as client:
        token = _token(client, "/legal/requests/new?type=law_enforcement")
        data = {**FIELDS, "csrf_token": token, "target_1_phone_number": "+1 512 555 0101",
                "record_classes": ["subscriber.basic"]}
        response = client.post("/legal/requests", data=data)
    assert response.status_code == 422 and "targets: at most 1 in one request" in response.text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(legal_request)).scalar_one() == 0
