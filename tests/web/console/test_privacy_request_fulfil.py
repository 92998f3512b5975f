"""Fulfilling from the console: the dsr_agent's Fulfil button answers a verified request; the requester's mail
holds a download link whose ZIP the public route streams, and an expired or unknown link gets the same 404."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select, update

from custodian.access.rules import AccessRules
from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.tables import dsr_export
from custodian.kernel.clock import utcnow
from custodian.portal.tables import portal_account
from custodian.records.tables import content_item
from tests.builders.dsr import a_request
from tests.builders.legal import spectrumvoip
from tests.builders.records import an_account
from tests.builders.retention import add_content
from tests.builders.smtp import Inbox
from tests.builders.staff import Staff, a_staff_member, sign_in

DOWNLOAD = "http://testserver/privacy/requests/download/"


@pytest.fixture
def agent(engine: Engine, master_key: bytes, rules: AccessRules) -> Staff:
    return a_staff_member(engine, master_key, "dora", "dsr_agent", rules)


@pytest.fixture
def verified(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, rules: AccessRules) -> str:
    an_account(engine, keyring)
    receipt, token = a_request(engine, keyring, blobs, now=utcnow() - timedelta(days=1), account_ref="ACC-0001")
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=utcnow() - timedelta(hours=20))
    return receipt.reference


def _fulfilled(client: TestClient, inbox: Inbox, agent: Staff, reference: str) -> str:
    csrf = sign_in(client, agent)
    done = client.post(f"/console/privacy-requests/{reference}/fulfil", data={"csrf_token": csrf},
                       follow_redirects=True)
    assert "Fulfilled; the answer was e-mailed" in done.text and 'id="fulfil-request"' not in done.text
    body = inbox.messages[-1].get_payload(decode=True).decode()
    return str(body.split(DOWNLOAD, 1)[1].split()[0])


def test_the_agent_fulfils_and_the_requester_downloads_the_zip_once_audited(
        mail_client: tuple[TestClient, Inbox], agent: Staff, verified: str, engine: Engine) -> None:
    client, inbox = mail_client
    token = _fulfilled(client, inbox, agent, verified)
    assert inbox.messages[-1]["Subject"] == f"Your privacy request {verified} is answered"
    client.cookies.clear()
    download = client.get(f"/privacy/requests/download/{token}")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(download.content)).read("manifest.json"))
    assert manifest["account"] == "ACC-0001"
    with engine.connect() as conn:
        assert len(audit.search(conn, action="dsr.export_downloaded")) == 1


def test_an_expired_link_and_an_unknown_link_get_the_same_404(
        mail_client: tuple[TestClient, Inbox], agent: Staff, verified: str, engine: Engine) -> None:
    client, inbox = mail_client
    token = _fulfilled(client, inbox, agent, verified)
    with transaction(engine) as conn:
        conn.execute(update(dsr_export).values(expires_at=utcnow() - timedelta(seconds=1)))
    expired = client.get(f"/privacy/requests/download/{token}")
    unknown = client.get("/privacy/requests/download/" + "x" * 43)
    assert expired.status_code == unknown.status_code == 404 and expired.text == unknown.text


def test_fulfil_needs_the_csrf_token_and_the_dsr_agent_role(
        mail_client: tuple[TestClient, Inbox], agent: Staff, verified: str, engine: Engine, master_key: bytes,
        rules: AccessRules) -> None:
    client, inbox = mail_client
    sign_in(client, agent)
    assert client.post(f"/console/privacy-requests/{verified}/fulfil", data={}).status_code in (400, 403)
    officer = a_staff_member(engine, master_key, "olga", "privacy_officer", rules)
    client.cookies.clear()
    csrf = sign_in(client, officer)
    assert 'id="fulfil-request"' not in client.get(f"/console/privacy-requests/{verified}").text
    refused = client.post(f"/console/privacy-requests/{verified}/fulfil", data={"csrf_token": csrf})
    assert refused.status_code == 403 and inbox.messages == []


def test_the_agent_answers_a_shine_the_light_request_with_the_direct_marketing_recipients(
        mail_client: tuple[TestClient, Inbox], agent: Staff, engine: Engine, keyring: Keyring,
        blobs: LocalBlobStore, rules: AccessRules) -> None:
    """Cal. Civ. Code 1798.83: the names and addresses of the third parties, and the categories disclosed."""
    an_account(engine, keyring)
    receipt, token = a_request(engine, keyring, blobs, now=utcnow() - timedelta(days=1), account_ref="ACC-0001",
                               request_type="shine_the_light")
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=utcnow() - timedelta(hours=20))
    client, inbox = mail_client
    csrf = sign_in(client, agent)
    page = client.get(f"/console/privacy-requests/{receipt.reference}")
    assert 'id="fulfil-request"' in page.text
    done = client.post(f"/console/privacy-requests/{receipt.reference}/fulfil", data={"csrf_token": csrf},
                       follow_redirects=True)
    assert "Fulfilled; the answer was e-mailed" in done.text
    body = inbox.messages[-1].get_payload(decode=True).decode()
    assert "from the provider's published list of recipients" in body
    assert "Advertising and third-party cookie providers" in body


def test_the_queue_shows_the_portal_showing_and_fulfilling_points_a_customer_to_the_portal(
        mail_client: tuple[TestClient, Inbox], agent: Staff, engine: Engine, keyring: Keyring,
        blobs: LocalBlobStore) -> None:
    """Seed 002 P154: "SpectrumVoIP will comply with a Data Request sent from a Customer or End User only where
    required by law and after a showing that such data cannot be obtained through the Admin Portal.\""""
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:  # the customer has an online account
        conn.execute(insert(portal_account).values(account_id=account_id, password_hash="argon2id-stand-in",
                                                   failed_attempts=0, created_at=utcnow(), password_set_at=utcnow()))
    receipt, token = a_request(engine, keyring, blobs, now=utcnow() - timedelta(days=1), account_ref="ACC-0001",
                               jurisdiction="ZZ")  # no privacy law sets a deadline here
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=utcnow() - timedelta(hours=20))
    client, inbox = mail_client
    csrf = sign_in(client, agent)
    page = client.get(f"/console/privacy-requests/{receipt.reference}").text
    assert "did not say the information cannot be obtained through the customer portal" in page
    assert 'id="portal-answer"' in page and "has an online account" in page
    done = client.post(f"/console/privacy-requests/{receipt.reference}/fulfil", data={"csrf_token": csrf},
                       follow_redirects=True)
    assert "Fulfilled; the answer was e-mailed" in done.text
    body = inbox.messages[-1].get_payload(decode=True).decode()
    assert "http://testserver/portal/" in body and DOWNLOAD not in body


def test_the_agent_picks_a_minors_content_in_the_queue_and_fulfilling_removes_only_that(
        mail_client: tuple[TestClient, Inbox], agent: Staff, engine: Engine, keyring: Keyring,
        blobs: LocalBlobStore) -> None:
    """Cal. Bus. & Prof. Code 22581: a minor may have content they posted removed."""
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        posted = add_content(conn, account_id, "content.chat", utcnow() - timedelta(days=3), keyring=keyring,
                             body=b"posted at fifteen").hex()
        other = add_content(conn, account_id, "content.chat", utcnow() - timedelta(days=2), keyring=keyring,
                            body=b"keep this one").hex()
    receipt, token = a_request(engine, keyring, blobs, now=utcnow() - timedelta(days=1), account_ref="ACC-0001",
                               request_type="minor_content_removal")
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=utcnow() - timedelta(hours=20))
    client, inbox = mail_client
    csrf = sign_in(client, agent)
    page = client.get(f"/console/privacy-requests/{receipt.reference}").text
    assert f'name="item" value="{posted}"' in page and f'name="item" value="{other}"' in page
    assert "posted at fifteen" not in page  # the agent picks by date and kind, never reads the content
    done = client.post(f"/console/privacy-requests/{receipt.reference}/fulfil",
                       data={"csrf_token": csrf, "item": [posted]}, follow_redirects=True)
    assert "Fulfilled; the answer was e-mailed" in done.text
    with engine.connect() as conn:
        left = [bytes(k).hex() for k in conn.execute(select(content_item.c.record_key)).scalars()]
    assert left == [other]
    assert "22581" in inbox.messages[-1].get_payload(decode=True).decode()
