"""The privacy officer's figures page: the store's live counts, moved from the public home page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.crypto.keyring import Keyring
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, an_account
from tests.builders.staff import Staff, sign_in


def _figure(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, f"no element #{element_id} on the page"
    return match.group(1).strip()


def _breakdown_count(html: str, figure: str) -> str:
    match = re.search(rf'data-figure="{figure}".*?<td class="num">([^<]*)</td>', html, re.S)
    assert match, f"no row {figure} on the page"
    return match.group(1)


def test_the_officer_sees_the_live_account_counts(
        client: TestClient, engine: Engine, keyring: Keyring, officer: Staff, account_id: int) -> None:
    an_account(engine, keyring, ref="R-2", status="suspended")
    an_account(engine, keyring, ref="B-1", kind="business", profile="hipaa", controller="Clinic")
    sign_in(client, officer)
    page = client.get("/console/officer/figures")
    assert page.status_code == 200
    assert "<title>Record store figures · Custodian</title>" in page.text
    assert _figure(page.text, "figure-accounts-total") == "3"
    assert _breakdown_count(page.text, "accounts-status-active") == "2"
    assert _breakdown_count(page.text, "accounts-status-suspended") == "1"
    assert _breakdown_count(page.text, "accounts-profile-hipaa") == "1"
    assert _figure(page.text, "figure-calls") == "1"
    assert CANARY_NAME not in page.text and CANARY_EMAIL not in page.text
    assert "custodian audit verify" in page.text


def test_the_figures_follow_the_store(client: TestClient, engine: Engine, keyring: Keyring, officer: Staff) -> None:
    sign_in(client, officer)
    assert _figure(client.get("/console/officer/figures").text, "figure-accounts-total") == "0"
    an_account(engine, keyring)
    assert _figure(client.get("/console/officer/figures").text, "figure-accounts-total") == "1"


def test_only_the_officers_navigation_links_the_figures(client: TestClient, officer: Staff, rep: Staff) -> None:
    sign_in(client, rep)
    assert 'href="/console/officer/figures"' not in client.get("/console/").text
    assert client.get("/console/officer/figures").status_code == 403
    client.cookies.clear()
    sign_in(client, officer)
    assert 'href="/console/officer/figures"' in client.get("/console/officer/figures").text


def test_an_anonymous_visitor_is_sent_to_sign_in(client: TestClient, officer: Staff) -> None:
    answer = client.get("/console/officer/figures", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/login"
