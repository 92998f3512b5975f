"""Changing the address of record notifies the customer at the old address, never showing the new one.

47 CFR 64.2010(f): notify "immediately whenever a password, customer response to a back-up means
of authentication …, online account, or address of record is created or changed"; the notice
"must not reveal the changed information or be sent to the new account information".
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.records import store as records
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import Inbox
from tests.builders.staff import Staff, sign_in

NEW_EMAIL = "brand.new.address@elsewhere.example"


def _ticket(client: TestClient, csrf: str, topic: str) -> str:
    return str(client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": topic,
                                                     "channel": "inbound_call", "csrf_token": csrf}).url)


def test_a_changed_email_of_record_is_announced_to_the_old_address_without_the_new_one(
        mail_client: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, rep: Staff,
        account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf, "billing")
    answer = client.post(url + "/address-of-record", data={"email": NEW_EMAIL, "csrf_token": csrf})
    assert answer.status_code == 200 and "customer was notified" in answer.text
    assert len(inbox.messages) == 1
    sent = inbox.messages[0]
    assert sent["To"] == CANARY_EMAIL and "address of record" in sent["Subject"]
    assert NEW_EMAIL not in sent.as_string() and "ACC-0001" in sent.get_payload()
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).email == NEW_EMAIL
        assert [e.action for e in audit.search(conn, action="notice.*")] == ["notice.sent"]


def test_a_topic_that_does_not_allow_the_change_changes_nothing_and_sends_nothing(
        mail_client: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, rep: Staff,
        account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf, "technical")
    answer = client.post(url + "/address-of-record", data={"email": NEW_EMAIL, "csrf_token": csrf})
    assert answer.status_code == 422 and "may not be changed on a technical ticket" in answer.text
    assert inbox.messages == []
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).email == CANARY_EMAIL
