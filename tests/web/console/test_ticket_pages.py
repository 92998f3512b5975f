"""The ticket journey over HTTP: a ticket grants exactly what the policy gives the role and topic."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.builders.records import CANARY_COUNTERPART, CANARY_EMAIL, CANARY_NAME
from tests.builders.staff import CPNI_PASSWORD, Staff, sign_in


def _open(client: TestClient, csrf: str, topic: str, channel: str) -> str:
    answer = client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": topic, "channel": channel,
                                                   "summary": "caller asks about a call", "csrf_token": csrf})
    assert answer.status_code == 200, answer.text
    assert re.search(r"/console/tickets/\d+$", str(answer.url))
    return str(answer.url)


def test_call_detail_on_an_inbound_call_shows_only_after_the_cpni_password_then_closing_ends_access(
        client: TestClient, rep: Staff, account_id: int) -> None:
    """Seed 002: "the representative is allowed to access only the personal information that he or she needs"."""
    csrf = sign_in(client, rep)
    url = _open(client, csrf, "technical", "inbound_call")
    page = client.get(url).text
    assert CANARY_NAME in page
    assert 'data-class="cpni.call_log" data-decision="deny"' in page
    assert "0142" not in page and "Send to address of record" in page
    answer = client.post(url + "/cpni", data={"given": CPNI_PASSWORD, "unprompted": "yes", "csrf_token": csrf})
    assert 'data-class="cpni.call_log" data-decision="permit"' in answer.text
    assert CANARY_COUNTERPART not in answer.text and "•••••••••42" in answer.text
    closed = client.post(url + "/close", data={"csrf_token": csrf}).text
    assert CANARY_NAME not in closed and CANARY_EMAIL not in closed
    assert 'data-decision="permit"' not in closed and "The ticket is closed" in closed


def test_a_billing_ticket_shows_no_call_detail_and_the_card_only_by_its_last_four(
        client: TestClient, rep: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    page = client.get(_open(client, csrf, "billing", "email")).text
    assert "cpni.call_log" not in page
    assert 'data-class="billing.payment_instrument" data-decision="permit"' in page
    assert "Masked: last four" in page


def test_a_topic_outside_the_role_cannot_be_opened(client: TestClient, rep: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    answer = client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "legal",
                                                   "channel": "email", "csrf_token": csrf})
    assert answer.status_code == 422 and "Topic: your role has no access" in answer.text


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, rep: Staff, account_id: int) -> None:
    sign_in(client, rep)
    answer = client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "billing",
                                                   "channel": "email", "csrf_token": "forged"})
    assert answer.status_code == 403


def test_another_staff_members_ticket_is_not_found(client: TestClient, rep: Staff, other_rep: Staff,
                                                   account_id: int) -> None:
    url = _open(client, sign_in(client, rep), "billing", "email")
    client.cookies.clear()
    sign_in(client, other_rep)
    answer = client.get(url)
    assert answer.status_code == 403 and CANARY_NAME not in answer.text


def test_look_up_by_email_or_number_shows_directory_information_only_until_a_ticket_exists(
        client: TestClient, rep: Staff, account_id: int) -> None:
    sign_in(client, rep)
    for query in (CANARY_EMAIL.upper(), "(512) 555-0100", "ACC-0001"):
        page = client.get("/console/lookup", params={"q": query}).text
        assert "<td>ACC-0001</td>" in page and "Residential" in page, query
        assert CANARY_NAME not in page and "Austin" not in page
    assert "No account matches" in client.get("/console/lookup", params={"q": "nobody@else.example"}).text
