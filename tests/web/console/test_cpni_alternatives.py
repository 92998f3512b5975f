"""When the caller cannot give the CPNI password, call detail goes to the address of record or the
customer is called back at the number of record (47 CFR 64.2010(b)); the representative never sees it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.audit import store as audit
from tests.builders.records import CANARY_COUNTERPART, CANARY_EMAIL
from tests.builders.smtp import Inbox
from tests.builders.staff import Staff, sign_in


def _inbound_ticket(client: TestClient, csrf: str, topic: str = "technical") -> str:
    return str(client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": topic,
                                                     "channel": "inbound_call", "csrf_token": csrf}).url)


def test_call_detail_is_mailed_to_the_address_of_record_and_stays_hidden_from_the_representative(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _inbound_ticket(client, csrf)
    answer = client.post(url + "/cpni-mail", data={"csrf_token": csrf})
    assert answer.status_code == 200 and "sent to the e-mail address of record" in answer.text
    assert CANARY_COUNTERPART not in answer.text
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == CANARY_EMAIL
    assert CANARY_COUNTERPART in inbox.messages[0].get_payload()
    assert 'data-class="cpni.call_log" data-decision="deny"' in client.get(url).text
    with engine.connect() as conn:
        assert [e.action for e in audit.search(conn, action="cpni.sent*")] == ["cpni.sent_to_address_of_record"]


def test_a_ticket_whose_topic_shows_no_call_detail_cannot_mail_it_and_the_refusal_is_in_the_chain(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    answer = client.post(_inbound_ticket(client, csrf, "billing") + "/cpni-mail", data={"csrf_token": csrf})
    assert answer.status_code == 422 and inbox.messages == []
    with engine.connect() as conn:
        [deny] = [e for e in audit.search(conn, action="access.deny")
                  if e.detail.get("action") == "send_to_address_of_record"]
    assert deny.record_classes == ("cpni.call_log",) and "not needed for a billing ticket" in deny.reason


def test_a_call_back_at_the_number_of_record_releases_call_detail(client: TestClient, rep: Staff,
                                                                  account_id: int) -> None:
    csrf = sign_in(client, rep)
    url = _inbound_ticket(client, csrf)
    page = client.post(url + "/cpni", data={"method": "call_number_of_record", "csrf_token": csrf}).text
    assert 'data-class="cpni.call_log" data-decision="permit"' in page
    refused = client.post(url + "/cpni", data={"method": "biographical_questions", "csrf_token": csrf})
    assert refused.status_code == 422 and "Method: not a way the policy accepts" in refused.text


def test_the_password_path_needs_the_unprompted_confirmation(client: TestClient, rep: Staff,
                                                             account_id: int) -> None:
    csrf = sign_in(client, rep)
    url = _inbound_ticket(client, csrf)
    answer = client.post(url + "/cpni", data={"method": "password", "csrf_token": csrf})
    assert answer.status_code == 422 and "without being prompted" in answer.text
    assert 'data-decision="deny"' in client.get(url).text
