""""Who received my data" (issue 17 §3): the customer's accounting of disclosures in the portal, newest first,
paged, each read audited; a production a nondisclosure order still covers is not shown, not even as a count."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.access.rules import AccessRules
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.disclosures.store import Release, record_release
from custodian.kernel.clock import utcnow
from custodian.policy.vocabulary import CLASS_LABELS
from tests.builders.smtp import Inbox
from tests.web.portal.conftest import enrol

SEALED_AGENCY = "Sealed Task Force"


def _released(engine: Engine, account_id: int, count: int, *, sealed: bool = False) -> None:
    now = utcnow()
    with transaction(engine) as conn:
        for i in range(count):
            made_at = now - timedelta(days=count - i)
            if sealed:
                release = Release(SEALED_AGENCY, "legal_obligation", ("cpni.call_log",), "identifiable", 0, "0" * 64,
                                  "zip", withheld_until_lifted=True)
            else:
                release = Release("advertising_networks", "targeted_advertising", ("web.cookie",), "identifiable", 0,
                                  f"{i:064d}", "csv")
            record_release(conn, release, [account_id], actor="staff:officer", now=made_at)


def test_the_customer_sees_who_received_their_data_in_the_policys_words_and_the_read_is_audited(
        portal: tuple[TestClient, Inbox], engine: Engine, account_id: int, rules: AccessRules) -> None:
    client, inbox = portal
    enrol(client, inbox)
    _released(engine, account_id, 1)
    account_page = client.get("/portal/account").text
    assert 'href="/portal/disclosures"' in account_page
    page = client.get("/portal/disclosures")
    assert page.status_code == 200
    assert "Advertising and third-party cookie providers" in page.text and CLASS_LABELS["web.cookie"] in page.text
    assert "advertising_networks" not in page.text and "web.cookie" not in page.text  # people's words only
    with engine.connect() as conn:
        events = audit.search(conn, action="access.permit", actor="customer")
    assert any(e.detail.get("view") == "disclosures" and e.account_id == account_id for e in events)


def test_a_sealed_production_does_not_appear_at_all_and_the_list_pages_by_twenty_five(
        portal: tuple[TestClient, Inbox], engine: Engine, account_id: int, rules: AccessRules) -> None:
    client, inbox = portal
    enrol(client, inbox)
    _released(engine, account_id, 2, sealed=True)
    empty = client.get("/portal/disclosures").text
    assert SEALED_AGENCY not in empty and "We have not given your records to anyone" in empty
    _released(engine, account_id, 30)
    first = client.get("/portal/disclosures").text
    second = client.get("/portal/disclosures?page=2").text
    assert "Page 1 of 2" in first and "Page 2 of 2" in second  # 30 shown, the 2 sealed not counted
    assert first.count("<tr>") == 26 and second.count("<tr>") == 6  # a header row and the disclosures
    assert SEALED_AGENCY not in first + second and "legal process" not in first + second


def test_a_visitor_is_sent_to_sign_in(portal: tuple[TestClient, Inbox]) -> None:
    client, _ = portal
    answer = client.get("/portal/disclosures", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/portal/" and "Advertising" not in answer.text
