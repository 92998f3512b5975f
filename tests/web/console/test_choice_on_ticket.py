"""A representative records a customer's choice on a ticket (issue 16 §3): "A representative records a choice on
a ticket (audited, with the customer told by e-mail)". Seed 004 (Com 1): a customer may ask not to receive
product notices, the "No Solicitation" request, by telling the provider."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.consent import service
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import Inbox
from tests.builders.staff import Staff, sign_in


def _ticket(client: TestClient, csrf: str) -> str:
    return str(client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "billing",
                                                     "channel": "inbound_call", "csrf_token": csrf}).url)


def test_a_choice_the_customer_states_is_recorded_with_the_ticket_and_the_customer_is_told(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf)
    page = client.get(url)
    assert "Record the customer&#39;s choice" in page.text or "Record the customer's choice" in page.text
    answer = client.post(url + "/choice", data={"purpose": "marketing", "medium": "email", "choice": "denied",
                                                "how": "representative", "csrf_token": csrf})
    assert answer.status_code == 200 and "choice was recorded" in answer.text
    with engine.connect() as conn:
        [entry] = service.history(conn, account_id)
        [recorded] = audit.search(conn, action="consent.recorded")
    assert (entry.purpose, entry.medium, entry.choice, entry.channel, entry.ticket_id) == (
        "marketing", "email", "denied", "representative", int(url.rsplit("/", 1)[1]))
    assert entry.recorded_by == f"staff:{rep.username}" and recorded.account_id == account_id
    [mail] = inbox.messages
    assert mail["To"] == CANARY_EMAIL
    assert "Press releases, new products and promotional offers" in mail.get_payload()
    assert "by e-mail: no" in mail.get_payload()


def test_a_choice_that_does_not_fit_the_policy_is_refused_and_nothing_is_sent(
        mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff, account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf)
    answer = client.post(url + "/choice", data={"purpose": "provide_service", "medium": "any", "choice": "denied",
                                                "how": "representative", "csrf_token": csrf})
    assert answer.status_code == 422 and "essential and offers no choice" in answer.text
    assert inbox.messages == []
    with engine.connect() as conn:
        assert service.history(conn, account_id) == []


def test_a_closed_ticket_records_no_choice(mail_client: tuple[TestClient, Inbox], engine: Engine, rep: Staff,
                                          account_id: int) -> None:
    client, inbox = mail_client
    csrf = sign_in(client, rep)
    url = _ticket(client, csrf)
    client.post(url + "/close", data={"csrf_token": csrf})
    answer = client.post(url + "/choice", data={"purpose": "marketing", "medium": "any", "choice": "denied",
                                                "how": "representative", "csrf_token": csrf})
    assert answer.status_code == 422 and "ticket is closed" in answer.text
    assert inbox.messages == []
    with engine.connect() as conn:
        assert service.history(conn, account_id) == []
