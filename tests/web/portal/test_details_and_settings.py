"""Correct, Settings and Close in the portal.

Issue 15 §2: "Correct: name, postal address, contact phone and e-mail of record, each change audited and
notified"; 47 CFR 64.2010(f): the notice goes to the address of record and "must not reveal the changed
information or be sent to the new account information"; "A new e-mail of record is confirmed by a code
sent to it". Seed 002 P92–P94: the 911 location of each device, registered again after a move, history
kept; chat retention "24 hours and up". "Close the account: confirmation, the closure date, and the date
the data will be purged or de-identified under the policy's closure rule."
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import service as dsr_service
from custodian.dsr.tables import privacy_request
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.portal.tables import portal_account
from custodian.records import payload
from custodian.records import store as records
from custodian.records.tables import e911_address, number_assignment
from tests.builders.legal import spectrumvoip_with_privacy_requests
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import Inbox
from tests.builders.staff import csrf_of
from tests.web.portal.conftest import ONLINE_PASSWORD, REF, code_in, enrol

NEW_EMAIL = "fresh.start@elsewhere.example"
NUMBER = "+15125550100"


def _a_number(engine: Engine, keyring: Keyring, account_id: int) -> None:
    with transaction(engine) as conn:
        sealed = keyring.cipher(conn, account_id).seal(NUMBER, payload.aad("number_assignment", "number", account_id))
        conn.execute(insert(number_assignment).values(
            number_bidx=keyring.blind_index(conn, "number", NUMBER), number_enc=sealed, account_id=account_id,
            assigned_from=utcnow() - timedelta(days=400), created_at=utcnow()))


def test_a_new_email_of_record_is_confirmed_by_a_code_and_announced_to_the_old_address(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    page = client.post("/portal/details/email", data={"new_email": NEW_EMAIL, "csrf_token": csrf})
    assert page.status_code == 200 and inbox.messages[-1]["To"] == NEW_EMAIL
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).email == CANARY_EMAIL  # not before the code
    wrong = client.post("/portal/details/email/confirm", data={"code": "000000", "csrf_token": csrf})
    assert wrong.status_code == 422
    answer = client.post("/portal/details/email/confirm", data={"code": code_in(inbox), "csrf_token": csrf})
    assert answer.status_code == 200 and "e-mail address of record was changed" in answer.text
    notice = inbox.messages[-1]
    assert notice["To"] == CANARY_EMAIL and NEW_EMAIL not in notice.as_string()
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).email == NEW_EMAIL
        changes = audit.search(conn, action="account.change")
    assert [e.detail["change"] for e in changes] == ["address_of_record"]


def test_phone_and_address_corrections_are_audited_and_the_address_notified(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    client.post("/portal/details/phone", data={"contact_phone": "(512) 555-0177", "csrf_token": csrf})
    sent = len(inbox.messages)
    answer = client.post("/portal/details/address", data={
        "street": "1 New Street", "city": "Austin", "state": "TX", "postal_code": "78701", "country": "US",
        "csrf_token": csrf})
    assert answer.status_code == 200 and "postal address was corrected" in answer.text
    assert len(inbox.messages) == sent + 1 and "1 New Street" not in inbox.messages[-1].as_string()
    with engine.connect() as conn:
        view = records.read_account(conn, keyring, account_id)
        changes = [e.detail["change"] for e in audit.search(conn, action="account.change")]
    assert view.contact_phone == "+15125550177"
    assert view.address is not None and view.address.street == "1 New Street"
    assert sorted(changes) == ["address_of_record", "contact_phone"]
    refused = client.post("/portal/details/phone", data={"contact_phone": "call me", "csrf_token": csrf})
    assert refused.status_code == 422 and "not a telephone number" in refused.text


def test_a_change_of_name_awaits_review_as_a_correction_request_with_the_new_name_sealed(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, account_id: int) -> None:
    """By default a policy asks for evidence of a change of name (privacy_requests.corrections_need_evidence)."""
    client, inbox = portal
    csrf = enrol(client, inbox)
    before = _name(engine, keyring, account_id)
    answer = client.post("/portal/details/name", data={"first_name": "Ada", "last_name": "Byron", "csrf_token": csrf})
    assert answer.status_code == 200 and "Your new name awaits review" in answer.text
    with engine.connect() as conn:
        assert _name(engine, keyring, account_id) == before  # not applied
        assert not audit.search(conn, action="account.change")
        [queued] = dsr_service.queue(conn)
        request = dsr_service.read(conn, keyring, queued.reference, actor="staff:dana", now=utcnow())
        sealed = conn.execute(select(privacy_request.c.details_enc)).scalar_one()
    assert (request.request_type, request.state, request.account_id) == ("correction", "in_progress", account_id)
    assert request.details.details == "Correct the name to: Ada Byron" and request.details.email == CANARY_EMAIL
    assert b"Byron" not in sealed


def test_a_policy_that_asks_no_evidence_lets_the_name_change_at_once(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, account_id: int) -> None:
    text = spectrumvoip_with_privacy_requests("  corrections_need_evidence: []\n")
    with transaction(engine) as conn:
        policy_store.activate(conn, text, actor="test", effective_at=utcnow() - timedelta(days=1), now=utcnow())
    client, inbox = portal
    csrf = enrol(client, inbox)
    answer = client.post("/portal/details/name", data={"first_name": "Ada", "last_name": "Byron", "csrf_token": csrf})
    assert answer.status_code == 200 and "Your name was corrected" in answer.text
    assert _name(engine, keyring, account_id) == ("Ada", "Byron")
    with engine.connect() as conn:
        assert dsr_service.queue(conn) == []


def _name(engine: Engine, keyring: Keyring, account_id: int) -> tuple[str, str]:
    with engine.connect() as conn:
        view = records.read_account(conn, keyring, account_id)
    return view.first_name, view.last_name


def test_a_911_location_is_registered_per_number_and_earlier_ones_kept(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, account_id: int) -> None:
    _a_number(engine, keyring, account_id)
    client, inbox = portal
    csrf = enrol(client, inbox)
    page = client.get("/portal/settings").text
    assert "(512) 555-0100" in page and NUMBER not in page and "No location registered" in page
    line = csrf_of(page) and page.split('name="line"')[1].split('value="')[1].split('"')[0]
    for street in ("10 First Street", "20 Second Street"):
        answer = client.post("/portal/settings/e911", data={"line": line, "street": street, "city": "Austin",
                                                             "state": "TX", "postal_code": "78701", "csrf_token": csrf})
        assert answer.status_code == 200
    assert "10 First Street" in answer.text and "20 Second Street" in answer.text
    with engine.connect() as conn:
        assert len(conn.execute(select(e911_address)).all()) == 2
    refused = client.post("/portal/settings/e911", data={"line": "9999", "street": "x", "city": "y", "state": "TX",
                                                          "postal_code": "1", "csrf_token": csrf})
    assert refused.status_code == 422


def test_chat_is_kept_as_long_as_the_customer_chooses_but_at_least_24_hours(
        portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    assert client.post("/portal/settings/chat", data={"hours": "12", "csrf_token": csrf}).status_code == 422
    answer = client.post("/portal/settings/chat", data={"hours": "48", "csrf_token": csrf})
    assert answer.status_code == 200 and "kept 48 hours" in answer.text


def test_a_password_change_needs_the_current_one_notifies_and_ends_other_sessions(
        portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    new = "another quiet harbour night"
    refused = client.post("/portal/settings/password", data={"current_password": "wrong one entirely",
                                                              "new_password": new, "repeat": new, "csrf_token": csrf})
    assert refused.status_code == 422
    sent = len(inbox.messages)
    answer = client.post("/portal/settings/password", data={"current_password": ONLINE_PASSWORD,
                                                             "new_password": new, "repeat": new, "csrf_token": csrf})
    assert answer.status_code == 200 and "password was changed" in answer.text
    assert len(inbox.messages) == sent + 1 and new not in inbox.messages[-1].as_string()


def test_closing_shows_the_dates_of_the_closure_rule_and_ends_the_online_account(
        portal: tuple[TestClient, Inbox], engine: Engine, keyring: Keyring, account_id: int) -> None:
    client, inbox = portal
    csrf = enrol(client, inbox)
    today = utcnow().date()
    purge, latest = today + timedelta(days=30), today + timedelta(days=45)  # on_closure: 30 days, at the latest 45
    before = client.get("/portal/close").text
    assert purge.isoformat() in before and latest.isoformat() in before
    answer = client.post("/portal/close", data={"confirm": "yes", "csrf_token": csrf})
    assert answer.status_code == 200 and "Your account is closed" in answer.text
    assert today.isoformat() in answer.text and purge.isoformat() in answer.text
    assert client.get("/portal/account").url.path == "/portal/"
    with engine.connect() as conn:
        assert records.read_account(conn, keyring, account_id).closed_on == today
        assert conn.execute(select(portal_account)).first() is None
        [event] = audit.search(conn, action="account.close")
    assert event.account_id == account_id
    page = client.get("/portal/")
    again = client.post("/portal/login", data={"account_ref": REF, "password": ONLINE_PASSWORD,
                                               "csrf_token": csrf_of(page.text)})
    assert again.status_code == 401
