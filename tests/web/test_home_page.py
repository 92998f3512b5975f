"""The home page and system endpoints over HTTP, on both databases."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.api.system import figures_out
from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import make_engine
from custodian.records.figures import store_figures
from custodian.runtime import Runtime
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, an_account


def _figure(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, f"no element #{element_id} on the page"
    return match.group(1).strip()


def _breakdown_count(html: str, figure: str) -> str:
    match = re.search(rf'data-figure="{figure}".*?<td class="num">([^<]*)</td>', html, re.S)
    assert match, f"no row {figure} on the page"
    return match.group(1)


def _three_accounts(engine: Engine, keyring: Keyring) -> None:
    an_account(engine, keyring, ref="R-1")
    an_account(engine, keyring, ref="R-2", status="suspended")
    an_account(engine, keyring, ref="B-1", kind="business", profile="hipaa", controller="Clinic")


def test_the_home_page_shows_the_live_account_counts(
        client: TestClient, engine: Engine, keyring: Keyring) -> None:
    _three_accounts(engine, keyring)
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert _figure(page.text, "figure-accounts-total") == "3"
    assert _breakdown_count(page.text, "accounts-status-active") == "2"
    assert _breakdown_count(page.text, "accounts-status-suspended") == "1"
    assert _breakdown_count(page.text, "accounts-kind-business") == "1"
    assert _breakdown_count(page.text, "accounts-profile-hipaa") == "1"
    assert _figure(page.text, "figure-calls") == "0"


def test_the_home_page_changes_as_the_store_changes(
        client: TestClient, engine: Engine, keyring: Keyring) -> None:
    assert _figure(client.get("/").text, "figure-accounts-total") == "0"
    an_account(engine, keyring)
    assert _figure(client.get("/").text, "figure-accounts-total") == "1"


def test_the_home_page_shows_no_personal_data(
        client: TestClient, engine: Engine, keyring: Keyring) -> None:
    an_account(engine, keyring)
    page = client.get("/").text
    assert CANARY_NAME not in page and CANARY_EMAIL not in page


def test_the_home_page_is_a_complete_accessible_document(client: TestClient) -> None:
    page = client.get("/").text
    assert '<html lang="en">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>Record store overview · Custodian</title>" in page
    assert 'href="/static/custodian.css"' in page and 'href="/api/docs"' in page
    assert "custodian audit verify" in page


def test_healthz_answers_ok_while_the_database_answers(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_healthz_answers_503_with_a_json_error_when_the_database_is_unreachable(
        master_key: bytes, blobs: LocalBlobStore) -> None:
    engine = make_engine("sqlite:////nonexistent-directory/custodian.db")
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs)
    with TestClient(create_app(runtime)) as http:
        answer = http.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "database_unavailable"


def test_the_figures_api_answers_what_the_store_holds(
        client: TestClient, engine: Engine, keyring: Keyring) -> None:
    _three_accounts(engine, keyring)
    answer = client.get("/api/v1/figures")
    with engine.connect() as conn:
        expected = figures_out(store_figures(conn)).model_dump(mode="json")
    assert answer.status_code == 200
    assert answer.json() == expected
    assert answer.json()["accounts"]["by_status"] == {"active": 2, "suspended": 1, "closed": 0}
    assert answer.json()["accounts"]["controlled_by_business_client"] == 1


def test_the_openapi_document_describes_the_figures_endpoint(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    answer_schema = document["paths"]["/api/v1/figures"]["get"]["responses"]["200"]
    assert answer_schema["content"]["application/json"]["schema"]["$ref"].endswith("/FiguresOut")
    assert "/healthz" in document["paths"]
    assert "/" not in document["paths"]
