"""Changing the address of record: only for an authenticated caller, and the customer is notified at the
address of record as it was 30 days ago, never at the new one, never shown the new one.

47 CFR 64.2010(f): notify "immediately whenever a password, customer response to a back-up means
of authentication …, online account, or address of record is created or changed", "through a
carrier-originated voicemail or text message to the telephone number of record, or by mail to the
address of record"; the notice "must not reveal the changed information or be sent to the new
account information". 64.2003(b): an address of record is one associated with the account "for at
least 30 days".
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.mail.smtp import Mailer
from custodian.records import store as records
from custodian.runtime import Runtime
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import Inbox, free_port
from tests.builders.staff import CPNI_PASSWORD, Staff, sign_in

NEW_EMAIL = "brand.new.address@elsewhere.example"


def _ticket(client: TestClient, csrf: str, topic: str) -> str:
    return str(client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": topic,
                                                     "channel": "inbound_call", "csrf_token": csrf}).url)


def _authenticated(client: TestClient, csrf: str, topic: str = "billing") -> str:
    url = _ticket(client, csrf, topic)
    client.post(url + "/cpni", data={"method": "password", "given": CPNI_PASSWORD, "unprompted": "yes",
                                     "csrf_token": csrf})
    return url


def test_a_changed_email_of_record_is_announced_to_the_old_address_without_the_new_one(
        mail_client: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, rep: Staff,
        account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _authenticated(client, csrf)
    answer = client.post(url + "/address-of-record", data={"email": NEW_EMAIL, "csrf_token": csrf})
    assert answer.status_code == 200 and "customer was notified" in answer.text
    assert len(inbox.messages) == 1
    sent = inbox.messages[0]
    assert sent["To"] == CANARY_EMAIL and "address of record" in sent["Subject"]
    assert NEW_EMAIL not in sent.as_string() and "ACC-0001" in sent.get_payload()
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).email == NEW_EMAIL
        [sent_event] = audit.search(conn, action="notice.*")
    assert sent_event.action == "notice.sent" and sent_event.account_id == account_id
    assert sent_event.detail == {"kind": "account_change", "ticket": 1}


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


def test_an_unauthenticated_caller_cannot_change_the_address_of_record(
        mail_client: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, rep: Staff,
        account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    answer = client.post(_ticket(client, csrf, "billing") + "/address-of-record",
                         data={"email": NEW_EMAIL, "csrf_token": csrf})
    assert answer.status_code == 422 and "after the caller is authenticated on this ticket" in answer.text
    assert inbox.messages == []
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).email == CANARY_EMAIL
        [deny] = [e for e in audit.search(conn, action="access.deny") if e.detail.get("change")]
    assert deny.detail["change"] == "address_of_record"


def test_after_a_recent_change_every_notice_still_goes_to_the_address_of_record_of_30_days_ago(
        mail_client: tuple[TestClient, Inbox], rep: Staff, account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _authenticated(client, csrf)
    client.post(url + "/address-of-record", data={"email": NEW_EMAIL, "csrf_token": csrf})
    client.post(url + "/address-of-record", data={"email": "third.address@elsewhere.example", "csrf_token": csrf})
    client.post(url + "/secrets", data={"change": "password", "secret": "kestrel-harbour-19",
                                        "repeat": "kestrel-harbour-19", "csrf_token": csrf})
    assert [m["To"] for m in inbox.messages] == [CANARY_EMAIL, CANARY_EMAIL, CANARY_EMAIL]


def test_an_address_with_a_line_break_is_refused_by_the_form(
        mail_client: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, rep: Staff,
        account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    answer = client.post(_authenticated(client, csrf) + "/address-of-record",
                         data={"email": "ada@example.com\r\nBcc: thief@evil.example", "csrf_token": csrf})
    assert answer.status_code == 422 and "control character" in answer.text and inbox.messages == []
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).email == CANARY_EMAIL


def test_a_notice_the_mail_server_does_not_take_is_audited_as_failed_after_the_change_was_committed(
        client: TestClient, runtime: Runtime, engine: Engine, keyring: Keyring, rep: Staff,
        account_id: int) -> None:
    runtime.mailer = Mailer("127.0.0.1", free_port(), "privacy@spectrumvoip.example")
    csrf = sign_in(client, rep)
    answer = client.post(_authenticated(client, csrf) + "/address-of-record",
                         data={"email": NEW_EMAIL, "csrf_token": csrf})
    assert answer.status_code == 200 and "Notice: not sent, mail not sent (the mail server could not be reached)" \
        in answer.text and "send it by post" in answer.text
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).email == NEW_EMAIL
        events = audit.search(conn, limit=5)
    assert [e.action for e in events][:2] == ["notice.failed", "account.change"]
    assert "could not be reached" in events[0].reason and NEW_EMAIL not in events[0].reason
