"""The officer's breach register and data map in the console (issue 18 §2, §3): an incident recorded through the
form, its clocks, the accounts a representative read found in the audit trail, a delay, customers e-mailed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.compliance import breach_store as store
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, an_account
from tests.builders.smtp import Inbox
from tests.builders.staff import CPNI_PASSWORD, Staff, sign_in


def _rep_reads_the_account(client: TestClient, rep: Staff) -> None:
    csrf = sign_in(client, rep)
    url = client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "billing",
                                                "channel": "inbound_call", "csrf_token": csrf}).url
    client.post(f"{url}/cpni", data={"given": CPNI_PASSWORD, "unprompted": "yes", "csrf_token": csrf})
    assert CANARY_NAME in client.get(str(url)).text
    client.cookies.clear()


def _record(client: TestClient, csrf: str, **changes: object) -> object:
    form = {"discovered": "2026-11-16", "determined": "2026-11-20", "description": "A representative browsed accounts",
            "classes": ["cpni.call_log", "subscriber.basic"], "rules": ["fcc_2023", "texas"], "harm": "likely",
            "affected": "", "csrf_token": csrf, **changes}
    return client.post("/console/officer/breaches", data=form)


def test_an_incident_from_the_form_to_customers_told(mail_client: tuple[TestClient, Inbox], rep: Staff,
                                                     officer: Staff, account_id: int) -> None:
    client, inbox = mail_client
    _rep_reads_the_account(client, rep)
    csrf = sign_in(client, officer)
    page = _record(client, csrf)
    reference = str(page.url).rsplit("/", 1)[-1]  # type: ignore[attr-defined]
    assert reference.startswith("BR-") and "Tell law enforcement (Secret Service, FBI) by" in page.text  # type: ignore[attr-defined]
    # 47 CFR 64.2011(a) (2024): seven business days after 20 November 2026, Thanksgiving skipped.
    assert re.search(r'data-key="law_enforcement_due">.*?2026-12-02', page.text, re.S)  # type: ignore[attr-defined]
    today = client.get("/console/officer/breaches").text
    assert reference in today
    base = f"/console/officer/breaches/{reference}"
    found = client.post(f"{base}/affected", data={"reader": "rita", "start": "2020-01-01", "end": "2099-12-31",
                                                  "csrf_token": csrf})
    assert "Affected accounts" in found.text and re.search(r"Affected accounts <span[^>]*>1</span>", found.text)
    delayed = client.post(f"{base}/delays", data={"agency": "FBI", "until": "2099-01-31", "csrf_token": csrf})
    assert "FBI: customers not told before 2099-01-31" in delayed.text
    client.post(f"{base}/notifications", data={"kind": "law_enforcement", "csrf_token": csrf})
    told = client.post(f"{base}/notifications", data={"kind": "customer", "csrf_token": csrf})
    assert [m["To"] for m in inbox.messages] == [CANARY_EMAIL]
    assert "notice of a data security incident" in inbox.messages[0]["Subject"]
    listed = re.search(r'id="notification-list">(.*?)</table>', told.text, re.S)
    assert listed and "Law enforcement (Secret Service, FBI)" in listed.group(1)
    assert "Customers (by e-mail)" in listed.group(1)
    assert CANARY_EMAIL not in told.text and CANARY_NAME not in told.text


def test_listing_a_hipaa_account_offers_the_business_associate_clock(client: TestClient, officer: Staff,
                                                                     engine: Engine, keyring: Keyring) -> None:
    """45 CFR 164.410(b), applied by the policy to HIPAA accounts."""
    clinic = an_account(engine, keyring, ref="ACC-H", profile="hipaa")
    csrf = sign_in(client, officer)
    reference = str(_record(client, csrf).url).rsplit("/", 1)[-1]  # type: ignore[attr-defined]
    with transaction(engine) as conn:
        incident = store.incident_by_reference(conn, reference)
        store.insert_affected(conn, incident.id, [store.Affected(clinic, "entered", None, ())])
    page = client.get(f"/console/officer/breaches/{reference}").text
    assert "HIPAA business associate notice to the covered entity" in page and 'id="missing-rules"' in page
    added = client.post(f"/console/officer/breaches/{reference}/rules",
                        data={"rules": ["hipaa_business_associate"], "csrf_token": csrf}).text
    assert 'data-key="covered_entity_due"' in added and 'id="missing-rules"' not in added


def test_a_form_without_what_the_clocks_need_is_answered_with_the_reason(client: TestClient, officer: Staff) -> None:
    csrf = sign_in(client, officer)
    answer = _record(client, csrf, rules=[], description="Laptop stolen")
    assert answer.status_code == 422 and "Choose at least one rule set" in answer.text  # type: ignore[attr-defined]
    assert "Laptop stolen</textarea>" in answer.text and 'value="cpni.call_log" checked' in answer.text  # kept
    answer = _record(client, csrf, determined="yesterday")
    assert answer.status_code == 422 and "Give the determination day" in answer.text  # type: ignore[attr-defined]


def test_the_data_map_draws_the_policy_and_lists_each_rule_it_links_to(client: TestClient, officer: Staff) -> None:
    sign_in(client, officer)
    page = client.get("/console/officer/data-map").text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="data-map" role="group"' in page
    targets = set(re.findall(r'<a href="#([\w.-]+)">', page))
    anchors = set(re.findall(r'<div id="([\w.-]+)"><dt>', page))
    assert targets and targets <= anchors
    assert "recipient-payment_processor" in anchors and "purpose-billing" in anchors


def test_only_the_privacy_officer_opens_the_register_and_the_map(client: TestClient, rep: Staff, desk: Staff) -> None:
    for member in (rep, desk):
        client.cookies.clear()
        csrf = sign_in(client, member)
        assert client.get("/console/officer/breaches").status_code == 403
        assert client.get("/console/officer/data-map").status_code == 403
        assert _record(client, csrf).status_code == 403  # type: ignore[attr-defined]
