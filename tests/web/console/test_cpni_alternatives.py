"""When the caller cannot give the CPNI password, call detail goes to the address of record or the
customer is called back at the number of record (47 CFR 64.2010(b)); the representative never sees it.

64.2003(b): "an address that the carrier has associated with the customer's account for at least 30
days": a newer address gets no call detail. It counts as sent only when the mail server accepted it."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.kernel.clock import utcnow
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.records import CANARY_COUNTERPART, CANARY_EMAIL, an_account
from tests.builders.smtp import Inbox, smtp_server
from tests.builders.staff import Staff, a_call, sign_in


def _inbound_ticket(client: TestClient, csrf: str, topic: str = "technical", ref: str = "ACC-0001") -> str:
    return str(client.post("/console/tickets", data={"account_ref": ref, "topic": topic,
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
        [sent] = audit.search(conn, action="cpni.sent*")
        [permit] = [e for e in audit.search(conn, action="access.permit")
                    if e.detail.get("action") == "send_to_address_of_record"]
    assert (sent.action, sent.account_id, sent.record_classes) == ("cpni.sent_to_address_of_record", account_id,
                                                                   ("cpni.call_log",))
    assert sent.seq > permit.seq  # the release was committed first; "sent" only once the server took it


def test_call_detail_is_never_mailed_to_an_address_of_record_younger_than_30_days(
        mail_client: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, rep: Staff,
        account_id: int) -> None:
    client, inbox = mail_client
    recent = an_account(engine, keyring, ref="ACC-0009", email="moved.recently@canary.example",
                        address_since=utcnow() - timedelta(days=29))
    a_call(engine, keyring, recent)
    csrf = sign_in(client, rep)
    answer = client.post(_inbound_ticket(client, csrf, ref="ACC-0009") + "/cpni-mail", data={"csrf_token": csrf})
    assert answer.status_code == 422 and "at least 30 days before call detail is sent to it" in answer.text
    assert inbox.messages == [] and "moved.recently" not in answer.text
    with engine.connect() as conn:
        [deny] = [e for e in audit.search(conn, action="access.deny")
                  if e.detail.get("action") == "send_to_address_of_record"]
        assert audit.search(conn, action="cpni.sent*") == []
    assert deny.account_id == recent and "30 days" in deny.reason and deny.detail["eligible_at"]


def test_call_detail_the_mail_server_refuses_is_audited_as_not_sent_with_the_reason(
        client: TestClient, runtime: Runtime, engine: Engine, rep: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    url = _inbound_ticket(client, csrf)
    with smtp_server(refuse_recipients=True) as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        answer = client.post(url + "/cpni-mail", data={"csrf_token": csrf})
    assert "Call detail: not sent" in answer.text and "refused the recipient" in answer.text
    assert inbox.messages == [] and "sent to the e-mail address of record" not in answer.text
    with engine.connect() as conn:
        assert audit.search(conn, action="cpni.sent_to_address_of_record") == []
        [failed] = audit.search(conn, action="cpni.send_failed")
    assert failed.account_id == account_id and "refused the recipient" in failed.reason
    assert CANARY_EMAIL not in failed.reason


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
