"""No portal route shows one customer's records to another customer or to a visitor, whatever URL is guessed.

Issue 15 §2: the customer sees "the numbers they hold and held (their own periods only, never a previous or
later holder's)"; every view is of their own account."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from custodian.consent import service as consent
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import export_jobs
from custodian.kernel.clock import utcnow
from custodian.kernel.phone import national_format
from custodian.policy.vocabulary import CLASS_LABELS
from custodian.records import store as records
from custodian.records.tables import content_item
from custodian.web.portal import portal_routers
from tests.builders.legal import spectrumvoip
from tests.builders.records import CANARY_COUNTERPART, CANARY_EMAIL, CANARY_NAME, CANARY_STREET, an_account
from tests.builders.retention import add_content
from tests.builders.smtp import Inbox
from tests.builders.staff import csrf_of
from tests.web.portal.conftest import enrol

SECRETS = (CANARY_NAME, CANARY_EMAIL, CANARY_STREET, CANARY_COUNTERPART, national_format(CANARY_COUNTERPART),
           "canary voice")


def _urls(key: str, job: int, receipt: str) -> list[tuple[str, str]]:
    guesses = {"record_class": tuple(CLASS_LABELS), "key": (key, "00" * 16, "zz"), "job_id": (str(job), "999999"),
               "receipt_id": (receipt, "00000000-0000-4000-8000-000000000000")}
    urls = []
    for route in (r for router in portal_routers() for r in router.routes):
        assert isinstance(route, APIRoute) and route.path.startswith("/portal")
        paths = [route.path]
        for name in re.findall(r"{(\w+)}", route.path):
            paths = [p.replace("{" + name + "}", guess) for p in paths for guess in guesses[name]]
        urls += [(method, path) for method in route.methods for path in paths]
    return urls


@pytest.mark.parametrize("who", ["visitor", "other_customer"])
def test_no_portal_route_shows_another_accounts_records(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
        account_id: int, who: str) -> None:
    client, inbox = portal
    with transaction(engine) as conn:
        key = add_content(conn, account_id, "content.voice_message", utcnow(), keyring=keyring, blobs=blobs,
                          body=b"canary voice").hex()
        job = export_jobs.start(conn, account_id, now=utcnow())
        receipt = consent.record(conn, spectrumvoip(), account_id=account_id, purpose="call_recording",
                                 choice="granted", channel="portal", made_at=utcnow(), actor="customer",
                                 now=utcnow()).receipt_id  # ACC-0001's consent receipt is its own too
    export_jobs.run(engine, keyring, blobs, spectrumvoip().document, job)
    with engine.connect() as conn:
        done = export_jobs.latest(conn, keyring, account_id, now=utcnow())
    assert done is not None and done.link  # ACC-0001's download link is a secret like its records
    csrf = "none"
    if who == "other_customer":
        an_account(engine, keyring, ref="ACC-0002", first_name="Other", last_name="Person",
                   email="other.person@example.com", address=None)
        csrf = enrol(client, inbox, ref="ACC-0002", email="other.person@example.com")
    urls = _urls(key, job, receipt)
    assert len(urls) > 100
    for method, url in urls:
        if url.endswith(("/logout", "/close")) and method == "POST":
            continue  # would end the session walking the rest
        answer = client.request(method, url, data={"csrf_token": csrf, "confirm": "yes"} if method == "POST" else None)
        assert answer.status_code < 500, url
        for secret in (*SECRETS, done.link.rsplit("/", 1)[1], "consentReceiptID"):
            assert secret not in answer.text, (method, url, secret)
    with engine.connect() as conn:  # the walk's deletes and corrections reached nothing of ACC-0001
        assert conn.execute(select(content_item.c.account_id)).scalars().all() == [account_id]
        assert records.read_account(conn, keyring, account_id).email == CANARY_EMAIL
    page = client.get("/portal/account")
    assert (page.url.path == "/portal/") == (who == "visitor")
    if who == "other_customer":
        assert csrf_of(page.text)
