"""The cookie banner's server side: /consent.js, the record of a choice (CORS, GPC), /.well-known/gpc.json."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.builders.consent import record
from tests.builders.consent_web import ledger, spectrumvoip_app  # noqa: F401
from tests.builders.legal import activate_spectrumvoip
from tests.builders.records import an_account

from custodian.app import create_app
from custodian.consent import service
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.runtime import Runtime

SITE = "https://www.spectrumvoip.com"
CONSENT_ID = "0b7c1e2a-7d8f-4f1e-9a55-2f4c3b1d9e00"
TOKEN = "t" * 40


def config_of(client: TestClient) -> dict[str, Any]:
    """The CONFIG consent.js was served with."""
    script = client.get("/consent.js").text
    found = re.search(r"var CONFIG = (\{.*?\});\n", script)
    assert found is not None
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def answer(client: TestClient, choices: dict[str, str], *, origin: str | None = SITE, gpc: bool = False,
           headers: dict[str, str] | None = None, version: str | None = None) -> object:
    """consent.js posting one answer from `origin`."""
    sent = {**({"Origin": origin} if origin else {}), **(headers or {})}
    body = {"consent_id": CONSENT_ID, "version": version or config_of(client)["version"], "choices": choices,
            "gpc": gpc}
    return client.post("/api/v1/consent/web", json=body, headers=sent)


def test_consent_js_carries_the_policys_cookie_categories_and_loads_from_other_sites(
        spectrumvoip_app: TestClient) -> None:  # noqa: F811
    served = spectrumvoip_app.get("/consent.js")
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/javascript")
    assert served.headers["cross-origin-resource-policy"] == "cross-origin"
    config = config_of(spectrumvoip_app)
    assert config["provider"] == "SpectrumVoIP, Inc."
    assert config["endpoint"] == "http://testserver/api/v1/consent/web"
    categories = {c["purpose"]: (c["essential"], c["gpc"]) for c in config["categories"]}
    assert categories == {"authentication": (True, False), "legal_obligation": (True, False),
                          "site_analytics": (False, False), "targeted_advertising": (False, True)}
    assert len(served.text.splitlines()) < 250
    assert config["gpcHeader"] is False


def test_consent_js_knows_when_its_own_request_carried_the_gpc_header(
        spectrumvoip_app: TestClient) -> None:  # noqa: F811
    served = spectrumvoip_app.get("/consent.js", headers={"Sec-GPC": "1"})
    assert '"gpcHeader": true' in served.text and "Sec-GPC" in served.headers["vary"]


def test_a_choice_from_the_providers_site_is_recorded_under_the_anonymous_id_with_cors(
        spectrumvoip_app: TestClient, engine: Engine) -> None:  # noqa: F811
    preflight = spectrumvoip_app.options("/api/v1/consent/web", headers={
        "Origin": SITE, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == SITE
    recorded = answer(spectrumvoip_app, {"site_analytics": "granted", "targeted_advertising": "denied"})
    assert recorded.status_code == 201 and recorded.json() == {"recorded": 2, "gpc": False}  # type: ignore[attr-defined]
    assert recorded.headers["access-control-allow-origin"] == SITE  # type: ignore[attr-defined]
    assert ledger(engine) == [(None, CONSENT_ID, "site_analytics", "any", "granted", "web_banner"),
                              (None, CONSENT_ID, "targeted_advertising", "any", "denied", "web_banner")]
    now = utcnow()
    with engine.connect() as conn:
        policy = policy_store.in_force(conn, now).compiled()  # type: ignore[union-attr]
        snapshot = service.load_snapshot(conn, policy, now)
    assert snapshot.allowed_subject(CONSENT_ID, "site_analytics", now).allowed
    assert not snapshot.allowed_subject(CONSENT_ID, "targeted_advertising", now).allowed


def test_another_origin_may_not_record_a_choice(spectrumvoip_app: TestClient, engine: Engine) -> None:  # noqa: F811
    preflight = spectrumvoip_app.options("/api/v1/consent/web", headers={
        "Origin": "https://tracker.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 403 and "access-control-allow-origin" not in preflight.headers
    refused = answer(spectrumvoip_app, {"site_analytics": "granted"}, origin="https://tracker.example")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert ledger(engine) == []


def test_the_sec_gpc_header_opts_out_of_sale_and_sharing_whatever_the_answer_says(
        spectrumvoip_app: TestClient, engine: Engine) -> None:  # noqa: F811
    """Cal. Civ. Code §1798.135(b)(1); CCPA Regulations §7025(b): `Sec-GPC: 1` is an opt-out request."""
    recorded = answer(spectrumvoip_app, {"targeted_advertising": "granted", "site_analytics": "granted"},
                      headers={"Sec-GPC": "1"})
    assert recorded.json() == {"recorded": 2, "gpc": True}  # type: ignore[attr-defined]
    assert ledger(engine) == [(None, CONSENT_ID, "site_analytics", "any", "granted", "web_banner"),
                              (None, CONSENT_ID, "targeted_advertising", "any", "denied", "gpc")]


def test_a_stale_banner_an_unknown_purpose_or_a_bad_id_records_nothing(
        spectrumvoip_app: TestClient, engine: Engine) -> None:  # noqa: F811
    stale = answer(spectrumvoip_app, {"site_analytics": "granted"}, version="0" * 64)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "banner_changed"  # type: ignore[attr-defined]
    unknown = answer(spectrumvoip_app, {"authentication": "denied"})
    assert unknown.status_code == 422  # type: ignore[attr-defined]
    assert unknown.json()["error"]["fields"][0]["field"] == "choices.authentication"  # type: ignore[attr-defined]
    bad_id = spectrumvoip_app.post("/api/v1/consent/web", json={
        "consent_id": "<script>", "version": config_of(spectrumvoip_app)["version"], "choices": {}},
        headers={"Origin": SITE})
    assert bad_id.status_code == 422 and bad_id.json()["error"]["fields"][0]["field"] == "consent_id"
    assert ledger(engine) == []


def test_the_well_known_gpc_file_declares_support_with_the_policy_date(
        spectrumvoip_app: TestClient) -> None:  # noqa: F811
    served = spectrumvoip_app.get("/.well-known/gpc.json")
    assert served.status_code == 200 and served.json() == {"gpc": True, "lastUpdate": "2020-03-03"}


def test_without_a_policy_in_force_there_is_no_banner(engine: Engine, master_key: bytes, tmp_path: Path) -> None:
    with TestClient(create_app(Runtime(engine, master_key, LocalBlobStore(tmp_path)))) as client:
        assert client.get("/consent.js").status_code == 503
        assert client.get("/.well-known/gpc.json").status_code == 503



def test_the_suppression_list_is_csv_for_the_api_token_only(engine: Engine, master_key: bytes, keyring: Keyring,
                                                           tmp_path: Path) -> None:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
        policy = policy_store.in_force(conn, utcnow()).compiled()  # type: ignore[union-attr]
    account_id = an_account(engine, keyring, email="Opted.Out@example.net")
    record(engine, policy, account_id, "marketing", "denied", utcnow() - timedelta(minutes=1))
    runtime = Runtime(engine, master_key, LocalBlobStore(tmp_path))
    with TestClient(create_app(runtime, api_token=TOKEN)) as client:
        path = "/api/v1/consent/suppression?purpose=marketing&channel=email"
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer " + "x" * 40}).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        listed = client.get(path, headers=auth)
        assert listed.status_code == 200 and listed.headers["content-type"].startswith("text/csv")
        assert listed.text == "contact\r\nopted.out@example.net\r\n"
        assert listed.headers["x-custodian-list"] == "suppressed" and listed.headers["x-custodian-count"] == "1"
        opt_in = client.get("/api/v1/consent/suppression?purpose=app_contacts&channel=email", headers=auth)
        assert "permission list" in opt_in.headers["x-custodian-note"]
        missing = client.get("/api/v1/consent/suppression?purpose=marketing", headers=auth)
        assert missing.status_code == 422 and missing.json()["error"]["fields"][0]["field"] == "channel"
        unknown = client.get("/api/v1/consent/suppression?purpose=nothing&channel=sms", headers=auth)
        assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["field"] == "purpose"
