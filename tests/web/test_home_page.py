"""The home page (the privacy centre) and the system endpoints over HTTP, on both databases."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from custodian.api.system import figures_out
from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import make_engine
from custodian.records.figures import store_figures
from custodian.runtime import Runtime
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, an_account
from tests.builders.staff import a_staff_member, policy_in_force, sign_in

TOKEN = "t" * 40  # the operator's API token (CUSTODIAN_API_TOKEN) in these tests


def _three_accounts(engine: Engine, keyring: Keyring) -> None:
    an_account(engine, keyring, ref="R-1")
    an_account(engine, keyring, ref="R-2", status="suspended")
    an_account(engine, keyring, ref="B-1", kind="business", profile="hipaa", controller="Clinic")


def _app(runtime: Runtime) -> FastAPI:
    return create_app(runtime, api_token=TOKEN)


def test_the_home_page_is_the_providers_privacy_centre(client: TestClient, engine: Engine) -> None:
    policy_in_force(engine)
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>SpectrumVoIP, Inc. privacy centre · Custodian</title>" in page.text
    assert '<h1 id="page-heading">SpectrumVoIP, Inc. privacy centre</h1>' in page.text
    for door in ('href="/privacy"', 'href="/legal"', 'href="/legal/status"', 'href="/console/login"'):
        assert door in page.text, door
    assert 'href="mailto:privacy@spectrumvoip.com"' in page.text  # the policy's privacy contact


def test_every_door_the_home_page_links_is_open(client: TestClient, engine: Engine) -> None:
    policy_in_force(engine)
    links = set(re.findall(r'href="(/[^"]*)"', client.get("/").text))
    assert {"/privacy", "/legal", "/console/login"} <= links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_home_page_shows_no_store_figures(client: TestClient, engine: Engine, keyring: Keyring) -> None:
    _three_accounts(engine, keyring)
    page = client.get("/").text
    assert "figure-accounts-total" not in page and "Call records" not in page and "/api/v1/figures" not in page


def test_without_a_policy_the_home_page_says_so_and_links_no_notice(client: TestClient) -> None:
    page = client.get("/").text
    assert "No privacy policy is in force yet" in page
    assert 'href="/privacy"' not in page
    assert 'href="/legal"' in page and 'href="/console/login"' in page


def test_the_privacy_centre_links_the_customer_portal_and_privacy_requests(
        runtime: Runtime, engine: Engine) -> None:
    """Seed 002: customers "download that data through their Admin Portal"; people who cannot sign in
    make a privacy request."""
    policy_in_force(engine)
    with TestClient(create_app(runtime)) as http:
        page = http.get("/").text
    assert 'href="/portal/"' in page and 'href="/privacy/requests"' in page


def test_the_home_page_shows_no_personal_data(
        client: TestClient, engine: Engine, keyring: Keyring) -> None:
    an_account(engine, keyring)
    page = client.get("/").text
    assert CANARY_NAME not in page and CANARY_EMAIL not in page


def test_the_home_page_is_a_complete_accessible_document(client: TestClient) -> None:
    page = client.get("/").text
    assert '<html lang="en">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>Privacy centre · Custodian</title>" in page
    assert 'href="/static/custodian.css"' in page and 'href="/api/docs"' in page


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


def test_the_figures_api_answers_an_api_token_with_what_the_store_holds(
        runtime: Runtime, engine: Engine, keyring: Keyring) -> None:
    _three_accounts(engine, keyring)
    with TestClient(_app(runtime)) as http:
        answer = http.get("/api/v1/figures", headers={"Authorization": f"Bearer {TOKEN}"})
    with engine.connect() as conn:
        expected = figures_out(store_figures(conn)).model_dump(mode="json")
    assert answer.status_code == 200
    assert answer.json() == expected
    assert answer.json()["accounts"]["by_status"] == {"active": 2, "suspended": 1, "closed": 0}
    assert answer.json()["accounts"]["controlled_by_business_client"] == 1


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "Basic eDp5"},
                                     {"Authorization": f"Bearer {TOKEN}x"}])
def test_the_figures_api_refuses_an_anonymous_caller_with_401(runtime: Runtime, engine: Engine, keyring: Keyring,
                                                               headers: dict[str, str]) -> None:
    _three_accounts(engine, keyring)
    with TestClient(_app(runtime)) as http:
        answer = http.get("/api/v1/figures", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthenticated"
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert "accounts" not in answer.text


def test_without_a_configured_token_no_bearer_token_opens_the_figures(client: TestClient) -> None:
    assert client.get("/api/v1/figures", headers={"Authorization": "Bearer "}).status_code == 401
    assert client.get("/api/v1/figures", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 401


def test_the_figures_api_answers_a_signed_in_privacy_officer_and_refuses_a_representative(
        client: TestClient, engine: Engine, master_key: bytes) -> None:
    rules = policy_in_force(engine)
    officer = a_staff_member(engine, master_key, "petra", "privacy_officer", rules)
    rep = a_staff_member(engine, master_key, "rita", "support_representative", rules)
    answers = []
    for member in (officer, rep):
        sign_in(client, member)
        session = client.cookies.get("custodian_console")  # scoped to /console: a script sends it itself
        assert session
        answers.append(http_get_with_session(client, session))
        client.cookies.clear()
    assert answers[0].status_code == 200 and answers[0].json()["accounts"]["total"] == 0
    assert answers[1].status_code == 403 and answers[1].json()["error"]["code"] == "forbidden"


def http_get_with_session(client: TestClient, session: str) -> Response:
    """GET the figures with a console session cookie sent by hand."""
    return client.get("/api/v1/figures", headers={"Cookie": f"custodian_console={session}"})


def test_the_openapi_document_describes_the_figures_endpoint(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    answer_schema = document["paths"]["/api/v1/figures"]["get"]["responses"]["200"]
    assert answer_schema["content"]["application/json"]["schema"]["$ref"].endswith("/FiguresOut")
    assert "/healthz" in document["paths"]
    assert "/" not in document["paths"]
