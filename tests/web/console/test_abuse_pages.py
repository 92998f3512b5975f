"""The abuse analyst's console: the queue shows figures against peers, never content; actions happen on the analyst's
own abuse ticket, and a block waits for a recorded contact with the customer (002 P105)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from custodian.abuse.profile import Figure, Finding
from custodian.abuse.store import save_findings
from custodian.access.rules import AccessRules
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.records.tables import account, content_item
from tests.builders.abuse import an_account_with_usage, number_of
from tests.builders.retention import add_content
from tests.builders.staff import Staff, a_staff_member, csrf_of, sign_in


@pytest.fixture
def analyst(engine: Engine, master_key: bytes, rules: AccessRules) -> Staff:
    return a_staff_member(engine, master_key, "ana", "abuse_analyst", rules)


@pytest.fixture
def case_of_spam(engine: Engine, keyring: Keyring, rules: AccessRules) -> int:
    """ACC-SPAM in the queue: 133 messages a day where its peers send under one."""
    account_id = an_account_with_usage(engine, keyring, "ACC-SPAM", numbers=2, messages=10)
    figures = (Figure("calls", 0.1, 0.2, 0.1), Figure("minutes", 0.1, 0.2, 0.1), Figure("messages", 133.3, 0.7, 0.2))
    with transaction(engine) as conn:
        save_findings(conn, [Finding(account_id, "residential", "2-5 numbers", 40, figures)], 30, utcnow())
    return 1


def test_the_queue_shows_the_account_and_its_figures_to_the_abuse_analyst_only(
        client: TestClient, analyst: Staff, officer: Staff, case_of_spam: int) -> None:
    """002 P104: usage "in comparison to typical levels of permissible usage"."""
    sign_in(client, analyst)
    page = client.get("/console/abuse")
    assert page.status_code == 200
    assert "ACC-SPAM" in page.text and "Messages a day: 133.3 (typical 0.7)" in page.text
    assert 'href="/console/abuse"' in page.text  # the analyst's navigation leads here
    case = client.get(f"/console/abuse/cases/{case_of_spam}")
    assert "Open an abuse ticket" in case.text and "133.3" in case.text
    client.cookies.clear()
    sign_in(client, officer)
    assert client.get("/console/abuse").status_code == 403


def test_a_block_waits_for_a_contact_then_is_recorded_without_showing_the_number(
        client: TestClient, analyst: Staff, case_of_spam: int) -> None:
    """002 P105: "Prior to taking such action, SpectrumVoIP will attempt to contact the Customer to discuss the
    cause for the excessive or abusive use." """
    csrf = sign_in(client, analyst)
    page = client.post("/console/tickets", data={"account_ref": "ACC-SPAM", "topic": "abuse", "channel": "email",
                                                 "summary": "usage above peers", "csrf_token": csrf})
    assert page.status_code == 200
    ticket = int(str(page.url).rstrip("/").rsplit("/", 1)[1])
    case_url = f"/console/abuse/cases/{case_of_spam}"
    form = {"ticket": str(ticket), "number": number_of("ACC-SPAM", 1), "reason": "4,000 texts a day to strangers",
            "csrf_token": csrf}
    refused = client.post(f"{case_url}/block", data=form)
    assert refused.status_code == 422 and "record a contact with the customer" in refused.text
    done = client.post(f"{case_url}/contact", data={"ticket": str(ticket), "method": "phone",
                                                    "outcome": "no_answer", "csrf_token": csrf})
    assert "Contact recorded" in done.text
    blocked = client.post(f"{case_url}/block", data=form)
    assert blocked.status_code == 200 and "blocked from sending" in blocked.text
    assert number_of("ACC-SPAM", 1) not in blocked.text and "In force" in blocked.text
    without_token = client.post(f"{case_url}/contact", data={"ticket": str(ticket), "method": "phone",
                                                             "outcome": "reached"})
    assert without_token.status_code == 403
    assert csrf_of(blocked.text) == csrf


def test_the_analyst_picks_a_communication_by_kind_and_time_never_by_its_content_and_deletes_it(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, analyst: Staff,
        case_of_spam: int) -> None:
    """004 P35: "review, delete or block access to communications that may harm Com 1 Communications, its customers or
    third parties." The analyst sees what identifies a stored message (its kind, direction and time), never its
    text, and the deletion goes through customer deletion."""
    with transaction(engine) as conn:
        account_id = conn.execute(select(account.c.id).where(account.c.ref == "ACC-SPAM")).scalar_one()
        key = add_content(conn, account_id, "content.sms_body", utcnow(), keyring=keyring, blobs=blobs,
                          body=b"harmful canary text").hex()
    csrf = sign_in(client, analyst)
    page = client.post("/console/tickets", data={"account_ref": "ACC-SPAM", "topic": "abuse", "channel": "email",
                                                 "summary": "usage above peers", "csrf_token": csrf})
    ticket = int(str(page.url).rstrip("/").rsplit("/", 1)[1])
    case_url = f"/console/abuse/cases/{case_of_spam}"
    client.post(f"{case_url}/contact", data={"ticket": str(ticket), "method": "phone", "outcome": "reached",
                                             "csrf_token": csrf})
    case = client.get(case_url).text
    assert f'<option value="{key}">Text message contents, ' in case and "harmful canary text" not in case
    done = client.post(f"{case_url}/delete", data={"ticket": str(ticket), "record": key,
                                                   "reason": "phishing links sent to strangers", "csrf_token": csrf})
    assert done.status_code == 200 and "The communication is deleted." in done.text
    with engine.connect() as conn:
        assert conn.execute(select(content_item).where(content_item.c.account_id == account_id)).first() is None
