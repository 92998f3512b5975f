"""An authenticator app as the second factor. Issue 15 §1: "Second factor: an e-mailed code on a new device
(remembered 30 days) or TOTP if the customer enrols it"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from custodian.kernel.clock import utcnow
from custodian.staff import credentials
from tests.builders.smtp import Inbox
from tests.builders.staff import csrf_of
from tests.web.portal.conftest import ONLINE_PASSWORD, REF, enrol


def _enrolled_authenticator(client: TestClient, inbox: Inbox) -> tuple[str, datetime]:
    """Enrol an authenticator; its secret and the moment whose code confirmed it."""
    csrf = enrol(client, inbox)
    page = client.post("/portal/settings/totp", data={"csrf_token": csrf}).text
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    assert secret and "<svg" in page
    wrong = client.post("/portal/settings/totp/confirm", data={"code": "000000", "csrf_token": csrf})
    assert wrong.status_code == 422
    at = utcnow()
    answer = client.post("/portal/settings/totp/confirm",
                         data={"code": credentials.totp_code(secret.group(1), at), "csrf_token": csrf})
    assert "authenticator app is in use" in answer.text
    return secret.group(1), at


def test_with_an_authenticator_a_new_browser_asks_for_its_code_and_no_mail_is_sent(
        portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, inbox = portal
    secret, _at = _enrolled_authenticator(client, inbox)
    sent = len(inbox.messages)
    with TestClient(client.app) as other:
        page = other.get("/portal/")
        page = other.post("/portal/login", data={"account_ref": REF, "password": ONLINE_PASSWORD,
                                                 "csrf_token": csrf_of(page.text)})
        assert page.url.path == "/portal/verify" and "authenticator app" in page.text
        assert len(inbox.messages) == sent
        answer = other.post("/portal/verify", data={"code": credentials.totp_code(secret, utcnow() + timedelta(
            seconds=30)), "csrf_token": csrf_of(page.text)})
        assert answer.url.path == "/portal/account"


def test_an_authenticator_code_works_once(portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, inbox = portal
    secret, at = _enrolled_authenticator(client, inbox)
    with TestClient(client.app) as other:
        page = other.get("/portal/")
        page = other.post("/portal/login", data={"account_ref": REF, "password": ONLINE_PASSWORD,
                                                 "csrf_token": csrf_of(page.text)})
        answer = other.post("/portal/verify", data={"code": credentials.totp_code(secret, at),  # the confirming one
                                                    "csrf_token": csrf_of(page.text)})
        assert answer.status_code == 401, (answer.url, answer.text[-1500:])


def test_removing_the_authenticator_brings_back_the_emailed_code(portal: tuple[TestClient, Inbox],
                                                                 account_id: int) -> None:
    client, inbox = portal
    _enrolled_authenticator(client, inbox)
    csrf = csrf_of(client.get("/portal/settings").text)
    answer = client.post("/portal/settings/totp/remove", data={"csrf_token": csrf})
    assert "e-mail" in answer.text and 'id="start-totp"' in answer.text
