"""The customer's CPNI password and secret question: set on a ticket only for an authenticated caller, with
a change notice, checked when a caller gives them, three wrong answers per customer in 24 hours at most.

47 CFR 64.2010(b): call detail on a customer-initiated call only "if the customer first provides the
carrier with a password … that is not prompted by the carrier asking for readily available
biographical information, or account information". 64.2010(e): a back-up means of authentication
"may not prompt the customer for readily available biographical information, or account
information". 64.2010(f): notify the customer "immediately whenever a password, customer response to
a back-up means of authentication for lost or forgotten passwords, online account, or address of
record is created or changed", without revealing the changed information.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.records import credentials
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.smtp import Inbox
from tests.builders.staff import CPNI_PASSWORD, SECRET_ANSWER, SECRET_QUESTION, Staff, a_call, sign_in

NEW_PASSWORD = "kestrel-harbour-19"
CALLS_SHOWN = 'data-class="cpni.call_log" data-decision="permit"'


def _ticket(client: TestClient, csrf: str, topic: str, ref: str = "ACC-0001") -> str:
    return str(client.post("/console/tickets", data={"account_ref": ref, "topic": topic, "channel": "inbound_call",
                                                     "csrf_token": csrf}).url)


def _give(client: TestClient, url: str, csrf: str, given: str, method: str = "password") -> str:
    return client.post(url + "/cpni", data={"method": method, "given": given, "unprompted": "yes",
                                            "csrf_token": csrf}).text


def _called_back(client: TestClient, url: str, csrf: str) -> None:
    client.post(url + "/cpni", data={"method": "call_number_of_record", "csrf_token": csrf})


def test_an_unauthenticated_caller_cannot_replace_the_cpni_password_to_unlock_call_detail_on_another_ticket(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int) -> None:
    """The attack: on a billing ticket a caller who proved nothing dictates a new password, then calls again
    and gives it. 64.2010(b): call detail only "if the customer first provides the carrier with a password"."""
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    billing = _ticket(client, csrf, "billing")
    answer = client.post(billing + "/secrets", data={"change": "password", "secret": NEW_PASSWORD,
                                                     "repeat": NEW_PASSWORD, "csrf_token": csrf})
    assert answer.status_code == 422 and "after the caller is authenticated on this ticket" in answer.text
    assert inbox.messages == []
    technical = _ticket(client, csrf, "technical")
    assert CALLS_SHOWN not in _give(client, technical, csrf, NEW_PASSWORD)
    with engine.connect() as conn:
        assert credentials.secret_holds(conn, account_id, "cpni_password", CPNI_PASSWORD)
        [deny] = [e for e in audit.search(conn, action="access.deny") if e.detail.get("action") == "change"]
        assert audit.search(conn, action="account.change") == []
    assert deny.detail["change"] == "password" and "authenticated" in deny.reason


def test_setting_the_cpni_password_notifies_the_email_of_record_without_the_password(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf, "billing")
    assert 'id="changes-need-authentication"' in client.get(url).text
    assert "/console/tickets" in _give(client, url, csrf, CPNI_PASSWORD)  # the current password authenticates
    answer = client.post(url + "/secrets", data={"change": "password", "secret": NEW_PASSWORD,
                                                 "repeat": NEW_PASSWORD, "csrf_token": csrf})
    assert answer.status_code == 200 and "customer was notified" in answer.text and NEW_PASSWORD not in answer.text
    [sent] = inbox.messages
    assert sent["To"] == CANARY_EMAIL and "account password" in sent["Subject"]
    assert NEW_PASSWORD not in sent.as_string() and CPNI_PASSWORD not in sent.as_string()
    with engine.connect() as conn:
        assert credentials.secret_holds(conn, account_id, "cpni_password", NEW_PASSWORD)
        assert not credentials.secret_holds(conn, account_id, "cpni_password", CPNI_PASSWORD)
        change = audit.search(conn, action="account.change")[0]
        events = audit.search(conn, limit=50)
    assert change.detail == {"ticket": 1, "change": "password", "created": False}
    assert not any(NEW_PASSWORD in repr(e) for e in events)


def test_a_new_secret_question_is_created_with_its_notice_and_its_answer_authenticates_loosely_typed(
        mail_client: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, rep: Staff,
        account_id: int) -> None:
    client, inbox = mail_client
    other = an_account(engine, keyring, ref="ACC-0002", email="second.holder@canary.example")
    a_call(engine, keyring, other)
    csrf = sign_in(client, rep)
    billing = _ticket(client, csrf, "billing", "ACC-0002")
    _called_back(client, billing, csrf)  # nothing on file yet: a call-back to the number of record
    client.post(billing + "/secrets", data={"change": "secret_question", "question": "Which river did you row first?",
                                            "secret": "  The Quill  ", "csrf_token": csrf})
    [sent] = inbox.messages
    assert sent["To"] == "second.holder@canary.example" and "secret question" in sent["Subject"]
    assert "Quill" not in sent.get_payload() and "river" not in sent.get_payload()
    with engine.connect() as conn:
        assert audit.search(conn, action="account.change")[0].detail["created"] is True
    technical = _ticket(client, csrf, "technical", "ACC-0002")
    page = client.get(technical).text
    assert "Which river did you row first?" in page and "No CPNI password is on file" not in page
    assert CALLS_SHOWN in _give(client, technical, csrf, "the   QUILL", "secret_question")
    assert "Which river did you row first?" not in client.get(technical).text  # authenticated: no longer shown


def test_three_wrong_answers_for_a_customer_on_any_tickets_in_24_hours_leave_only_the_alternatives(
        client: TestClient, engine: Engine, rep: Staff, other_rep: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf, "technical")
    assert SECRET_QUESTION in client.get(url).text
    first = _give(client, url, csrf, "heron-lantern-74")
    assert "Given: not the CPNI password on file; 2 more attempts for this customer in 24 hours" in first
    second = _ticket(client, csrf, "technical")  # a new contact does not start a new count
    _give(client, second, csrf, SECRET_ANSWER.upper() + "x", "secret_question")
    last = _give(client, second, csrf, "nope-nope")
    assert "use an alternative now" in last
    locked = _give(client, second, csrf, CPNI_PASSWORD)  # the right one, too late today
    assert "3 wrong answers for this customer in 24 hours" in locked and "next try is possible from" in locked
    page = client.get(second).text
    assert CALLS_SHOWN not in page and 'id="cpni-locked"' in page and "Send call detail to the address" in page
    other = TestClient(client.app)
    other_csrf = sign_in(other, other_rep)  # another representative, another ticket: still locked
    assert "3 wrong answers for this customer" in _give(other, _ticket(other, other_csrf, "technical"), other_csrf,
                                                        CPNI_PASSWORD)
    with engine.connect() as conn:
        failures = audit.search(conn, action="cpni.verification_failed")
    assert [e.detail["failures"] for e in failures] == [3, 2, 1]
    assert not any(secret in repr(e) for e in failures for secret in ("heron-lantern-74", "nope-nope"))
    _called_back(client, second, csrf)  # the alternatives remain
    assert CALLS_SHOWN in client.get(second).text


def test_a_topic_that_may_not_change_credentials_changes_nothing_and_is_audited_as_a_deny(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf, "technical")
    assert 'id="set-password"' not in client.get(url).text
    answer = client.post(url + "/secrets", data={"change": "password", "secret": NEW_PASSWORD,
                                                 "repeat": NEW_PASSWORD, "csrf_token": csrf})
    assert answer.status_code == 422 and "may not be changed on a technical ticket" in answer.text
    assert inbox.messages == []
    with engine.connect() as conn:
        assert credentials.secret_holds(conn, account_id, "cpni_password", CPNI_PASSWORD)
        [deny] = [e for e in audit.search(conn, action="access.deny") if e.detail.get("action") == "change"]
    assert deny.record_classes == ("subscriber.credentials",) and deny.detail["change"] == "password"


@pytest.mark.parametrize(("form", "problem"), [
    ({"change": "password", "secret": "555-0100-x", "repeat": "555-0100-x"}, "digits of the account"),
    ({"change": "password", "secret": "acc-0001-pw", "repeat": "acc-0001-pw"}, "must not contain the account refer"),
    ({"change": "password", "secret": "short", "repeat": "short"}, "Password: at least 6 characters"),
    ({"change": "password", "secret": NEW_PASSWORD, "repeat": NEW_PASSWORD + "!"}, "Repeat: the two passwords"),
    ({"change": "secret_question", "question": "What is your mother's maiden name?", "secret": "Quill"},
     "must not ask for biographical or account information"),
    ({"change": "secret_question", "question": "What is your date of birth?", "secret": "1 May"},
     "mentions &#39;birth&#39;"),
    ({"change": "secret_question", "question": "Which river did you row first?", "secret": "x"},
     "Answer: at least 3 characters"),
])
def test_credentials_made_of_biographical_or_account_information_are_refused_naming_the_field(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int, form: dict[str, str],
        problem: str) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf, "billing")
    _called_back(client, url, csrf)
    answer = client.post(url + "/secrets", data={**form, "csrf_token": csrf})
    assert answer.status_code == 422 and problem in answer.text and inbox.messages == []
    with engine.connect() as conn:
        assert audit.search(conn, action="account.change") == []


def test_an_account_without_a_cpni_password_offers_only_the_alternatives(
        client: TestClient, engine: Engine, keyring: Keyring, rep: Staff, account_id: int) -> None:
    a_call(engine, keyring, an_account(engine, keyring, ref="ACC-0003"))
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf, "technical", "ACC-0003")
    page = client.get(url).text
    assert "No CPNI password is on file for this account" in page and 'id="record-cpni"' not in page
    assert "Given: not the CPNI password on file" in _give(client, url, csrf, CPNI_PASSWORD)


def test_a_refused_change_of_the_address_of_record_is_in_the_chain_too(
        client: TestClient, engine: Engine, rep: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    answer = client.post(_ticket(client, csrf, "technical") + "/address-of-record",
                         data={"email": "elsewhere@canary.example", "csrf_token": csrf})
    assert answer.status_code == 422
    with engine.connect() as conn:
        denied = [e.detail["change"] for e in audit.search(conn, action="access.deny") if "change" in e.detail]
    assert denied == ["address_of_record"]


def test_in_person_the_type_of_government_photo_id_is_required_and_authenticates_the_customer(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int) -> None:
    """64.2010(d): in-store disclosure to a customer who "first presents ... a valid photo ID matching the
    customer's account information"; the type checked is recorded."""
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    form = {"account_ref": "ACC-0001", "topic": "billing", "channel": "in_person", "csrf_token": csrf}
    missing = client.post("/console/tickets", data=form)
    assert missing.status_code == 422 and "record which government photo ID you checked" in missing.text
    wrong_channel = client.post("/console/tickets", data={**form, "channel": "inbound_call",
                                                          "identity_document": "passport"})
    assert wrong_channel.status_code == 422 and "only in person" in wrong_channel.text
    url = str(client.post("/console/tickets", data={**form, "identity_document": "passport"}).url)
    assert "in person (passport checked)" in client.get(url).text
    answer = client.post(url + "/secrets", data={"change": "password", "secret": NEW_PASSWORD,
                                                 "repeat": NEW_PASSWORD, "csrf_token": csrf})
    assert answer.status_code == 200 and len(inbox.messages) == 1
    with engine.connect() as conn:
        verified = audit.search(conn, action="ticket.cpni_verified")
    assert [e.detail for e in verified] == [{"ticket": 1, "method": "in_person", "identity_document": "passport"}]
