"""Console fixtures: the SpectrumVoIP policy in force, one account with a call, staff of each kind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.access.rules import AccessRules
from custodian.app import create_app
from custodian.crypto.keyring import Keyring
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.records import an_account
from tests.builders.smtp import Inbox, smtp_server
from tests.builders.staff import Staff, a_call, a_staff_member, cpni_secrets, policy_in_force


@pytest.fixture
def rules(engine: Engine) -> AccessRules:
    return policy_in_force(engine)


@pytest.fixture
def account_id(engine: Engine, keyring: Keyring, rules: AccessRules) -> int:
    account = an_account(engine, keyring, ref="ACC-0001")
    a_call(engine, keyring, account)
    cpni_secrets(engine, keyring, account)
    return account


@pytest.fixture
def rep(engine: Engine, master_key: bytes, rules: AccessRules) -> Staff:
    return a_staff_member(engine, master_key, "rita", "support_representative", rules)


@pytest.fixture
def other_rep(engine: Engine, master_key: bytes, rules: AccessRules) -> Staff:
    return a_staff_member(engine, master_key, "oscar", "support_representative", rules)


@pytest.fixture
def officer(engine: Engine, master_key: bytes, rules: AccessRules) -> Staff:
    return a_staff_member(engine, master_key, "petra", "privacy_officer", rules)


@pytest.fixture
def desk(engine: Engine, master_key: bytes, rules: AccessRules) -> Staff:
    return a_staff_member(engine, master_key, "lena", "legal_desk", rules)


@pytest.fixture
def mail_client(runtime: Runtime) -> Iterator[tuple[TestClient, Inbox]]:
    """A console client whose runtime mails through a local SMTP server, and that server's inbox."""
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        with TestClient(create_app(runtime)) as http:
            yield http, inbox
