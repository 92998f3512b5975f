"""The privacy request queue in the console: deadlines with the days left, the dsr_agent acts (extend once,
deny with a reason of the fixed list), the privacy officer views, everyone else is refused (issue 15 §3)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.access.rules import AccessRules
from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr.portal_corrections import queue_correction
from custodian.kernel.clock import utcnow
from tests.builders.dsr import a_request
from tests.builders.legal import spectrumvoip
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.smtp import Inbox
from tests.builders.staff import Staff, a_staff_member, sign_in


@pytest.fixture
def agent(engine: Engine, master_key: bytes, rules: AccessRules) -> Staff:
    return a_staff_member(engine, master_key, "dora", "dsr_agent", rules)


@pytest.fixture
def reference(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, rules: AccessRules) -> str:
    receipt, _ = a_request(engine, keyring, blobs, now=utcnow() - timedelta(days=5))
    return receipt.reference


def test_the_agent_lands_on_the_queue_with_the_days_left_and_no_personal_data(
        mail_client: tuple[TestClient, Inbox], agent: Staff, reference: str) -> None:
    client, _ = mail_client
    sign_in(client, agent)
    home = client.get("/console/", follow_redirects=True)
    assert home.url.path == "/console/privacy-requests/"
    row = re.search(rf'<tr data-request="{reference}">(.*?)</tr>', home.text, re.S)
    assert row and '<td class="days-left">40</td>' in row.group(1)
    assert CANARY_EMAIL not in home.text


def test_opening_a_request_is_an_audited_read(mail_client: tuple[TestClient, Inbox], agent: Staff, reference: str,
                                              engine: Engine) -> None:
    client, _ = mail_client
    sign_in(client, agent)
    page = client.get(f"/console/privacy-requests/{reference}")
    assert page.status_code == 200 and CANARY_EMAIL in page.text and "40 days left" in page.text
    with engine.connect() as conn:
        assert [e.actor for e in audit.search(conn, action="dsr.request_read")] == ["staff:dora"]
    assert client.get("/console/privacy-requests/PR-NOSUCHONE").status_code == 404


def test_the_agent_extends_once_and_the_requester_is_notified(mail_client: tuple[TestClient, Inbox], agent: Staff,
                                                              reference: str) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, agent)
    done = client.post(f"/console/privacy-requests/{reference}/extend",
                       data={"reason": "Archived records", "csrf_token": csrf}, follow_redirects=True)
    assert "Extended; the notice was e-mailed" in done.text and 'id="extend-request"' not in done.text
    assert inbox.messages[-1]["Subject"] == f"Your privacy request {reference} needs more time"
    again = client.post(f"/console/privacy-requests/{reference}/extend", data={"reason": "x", "csrf_token": csrf})
    assert again.status_code == 422 and "cannot be extended" in again.text


def test_a_denial_takes_a_reason_of_the_list_only(mail_client: tuple[TestClient, Inbox], agent: Staff,
                                                  reference: str) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, agent)
    odd = client.post(f"/console/privacy-requests/{reference}/deny", data={"reason": "subpoena", "csrf_token": csrf})
    assert odd.status_code == 422
    denied = client.post(f"/console/privacy-requests/{reference}/deny",
                         data={"reason": "legal_obligation", "csrf_token": csrf}, follow_redirects=True)
    assert "Denied" in denied.text
    assert "A legal obligation requires us to keep it." in inbox.messages[-1].get_payload(decode=True).decode()  # type: ignore[union-attr]


def test_a_post_without_the_session_csrf_token_is_refused(mail_client: tuple[TestClient, Inbox], agent: Staff,
                                                          reference: str) -> None:
    client, inbox = mail_client
    sign_in(client, agent)
    response = client.post(f"/console/privacy-requests/{reference}/deny", data={"reason": "legal_obligation"})
    assert response.status_code == 403 and not inbox.messages


def test_the_officer_views_but_cannot_act_and_a_representative_is_refused(
        mail_client: tuple[TestClient, Inbox], officer: Staff, rep: Staff, reference: str) -> None:
    client, _ = mail_client
    csrf = sign_in(client, officer)
    page = client.get(f"/console/privacy-requests/{reference}")
    assert 'id="view-only"' in page.text and 'id="deny-request"' not in page.text
    assert client.post(f"/console/privacy-requests/{reference}/deny",
                       data={"reason": "legal_obligation", "csrf_token": csrf}).status_code == 403
    other = TestClient(client.app)
    sign_in(other, rep)
    assert other.get("/console/privacy-requests/").status_code == 403


def test_a_portal_correction_held_for_evidence_is_in_the_queue_with_the_new_value_for_the_agent(
        mail_client: tuple[TestClient, Inbox], agent: Staff, engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        queued = queue_correction(conn, keyring, spectrumvoip(), account_id, "name", "Ada Byron", utcnow())
    client, _ = mail_client
    sign_in(client, agent)
    listing = client.get("/console/privacy-requests/")
    assert f'data-request="{queued}"' in listing.text and "Ada Byron" not in listing.text
    page = client.get(f"/console/privacy-requests/{queued}")
    assert page.status_code == 200 and "Correct the name to: Ada Byron" in page.text
