"""Enrolment of the online account (47 CFR 64.2010).

Issue 15 §1: "a one-time code (10 minutes, single use, 5 tries) goes to the e-mail of record; the answer
never reveals whether the account exists"; the password follows the CPNI rules ("no account number, no
digits of the customer's numbers, no biographical answers"); 64.2010(f): notify "immediately whenever
a ... online account ... is created", the notice "must not reveal the changed information".
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from custodian.audit import store as audit
from custodian.kernel.clock import utcnow
from custodian.portal.tables import portal_account, portal_code, portal_session
from tests.builders.records import CANARY_EMAIL, CANARY_NAME
from tests.builders.smtp import Inbox
from tests.builders.staff import csrf_of
from tests.web.portal.conftest import ONLINE_PASSWORD, REF, code_in, enrol


def _ask(client: TestClient, ref: str, email: str) -> str:
    page = client.get("/portal/enrol")
    answer = client.post("/portal/enrol", data={"account_ref": ref, "email": email, "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 200
    return answer.text


def _finish(client: TestClient, page: str, code: str, password: str = ONLINE_PASSWORD) -> tuple[int, str]:
    answer = client.post("/portal/enrol/code", data={"code": code, "password": password, "repeat": password,
                                                     "csrf_token": csrf_of(page)})
    return answer.status_code, answer.text


def test_enrolment_mails_a_code_creates_the_account_and_notifies_without_the_password(
        portal: tuple[TestClient, Inbox], engine: Engine, account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    assert client.get("/portal/account").status_code == 200
    code_mail, notice = inbox.messages
    assert code_mail["To"] == CANARY_EMAIL and "one-time code" in code_mail["Subject"]
    assert notice["To"] == CANARY_EMAIL and "online account" in notice["Subject"]
    assert ONLINE_PASSWORD not in notice.as_string()
    with engine.connect() as conn:
        stored = conn.execute(select(portal_account)).one()
        sessions = conn.execute(select(portal_session.c.token_hash)).scalars().all()
        [event] = audit.search(conn, action="portal.enrol")
    assert stored.password_hash.startswith("$argon2id$") and ONLINE_PASSWORD not in stored.password_hash
    assert client.cookies.get("custodian_portal") not in sessions  # only the hash is stored
    assert event.account_id == account_id


def test_an_unknown_account_gets_the_same_answer_and_no_mail(portal: tuple[TestClient, Inbox],
                                                             account_id: int) -> None:
    client, inbox = portal
    known = _ask(client, REF, CANARY_EMAIL)
    unknown = _ask(client, "ACC-9999", "nobody@nowhere.example")
    wrong_email = _ask(client, REF, "someone.else@nowhere.example")
    strip = lambda page: page.replace(csrf_of(page), "")  # noqa: E731
    assert strip(known) == strip(unknown) == strip(wrong_email)
    assert len(inbox.messages) == 1  # only the real account's address got a code
    status, text = _finish(client, wrong_email, "000000")
    assert status == 422 and "code" in text


def test_a_code_works_once_for_five_tries_and_ten_minutes(portal: tuple[TestClient, Inbox], engine: Engine,
                                                          account_id: int) -> None:
    client, inbox = portal
    page = _ask(client, REF, CANARY_EMAIL)
    code = code_in(inbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert _finish(client, page, wrong)[0] == 422
    assert _finish(client, page, code)[0] == 422  # the right code after 5 tries is refused
    page = _ask(client, REF, CANARY_EMAIL)
    code = code_in(inbox)
    with engine.begin() as conn:  # the code was sent 11 minutes ago
        conn.execute(update(portal_code).values(expires_at=utcnow() - timedelta(minutes=1)))
    assert _finish(client, page, code)[0] == 422


def test_the_password_may_hold_no_account_information_or_biographical_answer(
        portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, inbox = portal
    page = _ask(client, REF, CANARY_EMAIL)
    code = code_in(inbox)
    status, text = _finish(client, page, code, f"my {REF} password")
    assert status == 422 and "account reference" in text
    status, text = _finish(client, text, code, f"{CANARY_NAME} the great")
    assert status == 422 and "name or address" in text
    status, text = _finish(client, text, code, "short")
    assert status == 422 and "12 characters" in text
    assert _finish(client, text, code)[0] == 200  # the code outlives refused passwords (within its 5 tries)


def test_an_account_enrols_once(portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    _ask(client, REF, CANARY_EMAIL)
    assert len(inbox.messages) == 2  # no new code for an account that already has an online account


def test_the_forms_need_their_security_token(portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, _ = portal
    client.get("/portal/enrol")
    answer = client.post("/portal/enrol", data={"account_ref": REF, "email": CANARY_EMAIL, "csrf_token": "forged"})
    assert answer.status_code == 403


def test_enrolment_is_throttled_to_five_an_hour_per_account(portal: tuple[TestClient, Inbox],
                                                            account_id: int) -> None:
    """Each enrolment mails a new code with 5 tries; 5 an hour keeps guessing to 25 tries an hour."""
    client, _ = portal
    statuses = []
    for _ in range(6):
        page = client.get("/portal/enrol")
        statuses.append(client.post("/portal/enrol", data={"account_ref": REF, "email": "guess@nowhere.example",
                                                           "csrf_token": csrf_of(page.text)}).status_code)
    assert statuses == [200] * 5 + [429]
