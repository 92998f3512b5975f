"""The preference centre in the portal (issue 16 §3): "each purpose the policy lets the customer choose, per
channel (e-mail, SMS, phone, post), with the purpose's wording from the policy"; a receipt per choice
"downloadable in the portal" (§1); a browser's Global Privacy Control signal is an opt-out of sale and sharing
(Cal. Civ. Code 1798.135(b)(1)); a material policy change is announced by "a portal banner" (§5).

Seed 002 (SpectrumVoIP) P50: "we will offer individuals the opportunity to choose (opt-out) whether their
personal information is (i) to be disclosed to a third party or (ii) to be used for a purpose that is
materially different"."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.consent import service
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from tests.builders.records import an_account
from tests.builders.smtp import Inbox
from tests.builders.staff import SPECTRUMVOIP, csrf_of
from tests.web.portal.conftest import enrol

MARKETING = "Press releases, new products and promotional offers; unsubscribe link in every e-mail"


def choices_of(engine: Engine, account_id: int) -> list[tuple[str, str, str, str]]:
    with engine.connect() as conn:
        return [(e.purpose, e.medium, e.choice, e.channel) for e in service.history(conn, account_id)]


def test_the_page_offers_each_optional_use_in_the_policys_words(portal: tuple[TestClient, Inbox],
                                                                account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    page = client.get("/portal/preferences")
    assert page.status_code == 200
    assert MARKETING in page.text and 'name="marketing.sms"' in page.text
    assert "Record calls, only where the account or extension elected to record" in page.text
    assert "Provide the purchased and subscribed Products" not in page.text  # essential: no choice


def test_saving_records_only_the_changed_choices_in_the_ledger(portal: tuple[TestClient, Inbox], engine: Engine,
                                                               account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    page = client.get("/portal/preferences")
    saved = client.post("/portal/preferences", data={"csrf_token": csrf_of(page.text) or csrf,
                                                     "marketing.email": "no", "marketing.sms": "yes"})
    assert saved.status_code == 200 and "Your choices were saved." in saved.text
    assert choices_of(engine, account_id) == [("marketing", "email", "denied", "portal")]
    assert "No — you opted out" in saved.text


def test_a_form_without_its_token_changes_nothing(portal: tuple[TestClient, Inbox], engine: Engine,
                                                  account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    refused = client.post("/portal/preferences", data={"marketing.email": "no"})
    assert refused.status_code == 403 and choices_of(engine, account_id) == []


def test_an_answer_the_page_did_not_offer_is_refused_naming_it(portal: tuple[TestClient, Inbox], engine: Engine,
                                                               account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    refused = client.post("/portal/preferences", data={"csrf_token": csrf, "provide_service.any": "no"})
    assert refused.status_code == 422 and "provide_service.any" in refused.text
    assert choices_of(engine, account_id) == []


def test_the_customer_downloads_the_receipt_of_their_own_choice_only(portal: tuple[TestClient, Inbox],
                                                                    engine: Engine, keyring: Keyring,
                                                                    account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    client.post("/portal/preferences", data={"csrf_token": csrf, "call_recording.any": "yes"})
    with engine.connect() as conn:
        [own] = service.history(conn, account_id)
    answer = client.get(f"/portal/preferences/receipts/{own.receipt_id}")
    receipt = json.loads(answer.text)
    assert answer.headers["content-disposition"].startswith("attachment")
    assert (receipt["version"], receipt["consentReceiptID"], receipt["piiPrincipalId"]) == (
        "KI-CR-v1.1.0", own.receipt_id, "ACC-0001")
    other = an_account(engine, keyring, ref="ACC-9999")
    with transaction(engine) as conn:
        policy = policy_store.in_force(conn, utcnow())
        assert policy is not None
        theirs = service.record(conn, policy.compiled(), account_id=other, purpose="call_recording", choice="granted",
                                channel="portal", made_at=utcnow(), actor="customer", now=utcnow())
    assert client.get(f"/portal/preferences/receipts/{theirs.receipt_id}").status_code == 404


def test_a_global_privacy_control_signal_opts_the_account_out_of_sale_and_sharing(
        portal: tuple[TestClient, Inbox], engine: Engine, account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    page = client.get("/portal/preferences", headers={"Sec-GPC": "1"})
    assert "Global Privacy Control signal was honoured" in page.text
    assert ("targeted_advertising", "any", "denied", "gpc") in choices_of(engine, account_id)
    client.get("/portal/preferences", headers={"Sec-GPC": "1"})
    assert len([c for c in choices_of(engine, account_id) if c[3] == "gpc"]) == 1  # once, not on every visit


def test_a_material_policy_change_is_announced_on_every_portal_page(portal: tuple[TestClient, Inbox],
                                                                    engine: Engine, account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    assert "Our privacy notice changed" not in client.get("/portal/account").text
    text = SPECTRUMVOIP.read_text(encoding="utf-8").replace(
        "    classes: [marketing.lead, subscriber.basic]\n",
        "    classes: [marketing.lead, subscriber.basic, billing.transactions]\n", 1)
    with transaction(engine) as conn:
        policy_store.activate(conn, text, actor="test", effective_at=utcnow() - timedelta(minutes=1), now=utcnow())
    page = client.get("/portal/account").text
    assert "Our privacy notice changed on" in page and "now also uses" in page
    assert 'href="/portal/preferences">Review your choices' in page


def test_the_portal_is_described_in_the_openapi_schema(portal: tuple[TestClient, Inbox]) -> None:
    """Issue 15 §4: "The portal and the request API are in the OpenAPI schema." """
    client, _ = portal
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/portal/preferences", "/portal/preferences/receipts/{receipt_id}", "/portal/export",
            "/portal/disclosures", "/api/v1/privacy-requests"} <= set(paths)
    assert paths["/portal/preferences"]["post"]["tags"] == ["Customer portal"]
