"""Portal fixtures: the SpectrumVoIP policy in force, one account with a call, a client mailing to a local
SMTP server, and helpers that enrol and sign in through the pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.access.rules import AccessRules
from custodian.app import create_app
from custodian.crypto.keyring import Keyring
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.smtp import Inbox, smtp_server
from tests.builders.staff import a_call, csrf_of, policy_in_force

REF = "ACC-0001"
ONLINE_PASSWORD = "lantern over quiet water"


@pytest.fixture
def rules(engine: Engine) -> AccessRules:
    return policy_in_force(engine)


@pytest.fixture
def account_id(engine: Engine, keyring: Keyring, rules: AccessRules) -> int:
    account = an_account(engine, keyring, ref=REF)
    a_call(engine, keyring, account)
    return account


@pytest.fixture
def portal(runtime: Runtime) -> Iterator[tuple[TestClient, Inbox]]:
    """A client whose runtime mails through a local SMTP server, and that server's inbox."""
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        with TestClient(create_app(runtime)) as http:
            yield http, inbox


def code_in(inbox: Inbox) -> str:
    """The six-digit code of the newest message that carries one."""
    for message in reversed(inbox.messages):
        if found := re.search(r"code is (\d{6})", message.get_payload()):
            return found.group(1)
    raise AssertionError("no code was mailed")


def enrol(client: TestClient, inbox: Inbox, *, ref: str = REF, email: str = CANARY_EMAIL,
          password: str = ONLINE_PASSWORD) -> str:
    """Create the online account through the pages; return the signed-in session's CSRF token."""
    page = client.get("/portal/enrol")
    answer = client.post("/portal/enrol", data={"account_ref": ref, "email": email, "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 200 and str(answer.url).endswith("/portal/enrol/code"), answer.text
    answer = client.post("/portal/enrol/code", data={"code": code_in(inbox), "password": password, "repeat": password,
                                                     "csrf_token": csrf_of(answer.text)})
    assert answer.status_code == 200 and str(answer.url).endswith("/portal/account"), answer.text
    return csrf_of(answer.text)
