"""Signing in to the portal: the staff console's rules (issue 15 §1: "Same session, lockout and CSRF rules as
the staff console; sessions stored hashed") and a second factor, "an e-mailed code on a new device
(remembered 30 days)"."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from custodian.staff.throttle import Rate, ThrottleRates
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import Inbox
from tests.builders.staff import csrf_of
from tests.web.portal.conftest import ONLINE_PASSWORD, REF, code_in, enrol


def _password(client: TestClient, password: str = ONLINE_PASSWORD, ref: str = REF) -> tuple[int, str]:
    page = client.get("/portal/")
    answer = client.post("/portal/login", data={"account_ref": ref, "password": password,
                                                "csrf_token": csrf_of(page.text)})
    return answer.status_code, str(answer.url) + "\n" + answer.text


def _sign_out(client: TestClient) -> None:
    page = client.get("/portal/account")
    client.post("/portal/logout", data={"csrf_token": csrf_of(page.text)})
    assert client.get("/portal/account").url.path == "/portal/"


def test_a_new_browser_needs_the_emailed_code_and_may_be_remembered(portal: tuple[TestClient, Inbox],
                                                                    runtime: Runtime, account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    with TestClient(client.app) as other:  # another browser: no remembered-device cookie
        status, page = _password(other)
        assert status == 200 and "/portal/verify" in page
        assert inbox.messages[-1]["To"] == CANARY_EMAIL
        assert other.get("/portal/account").url.path == "/portal/verify"  # half signed in sees nothing
        answer = other.post("/portal/verify", data={"code": code_in(inbox), "remember": "yes",
                                                    "csrf_token": csrf_of(page)})
        assert answer.url.path == "/portal/account"
        _sign_out(other)
        sent = len(inbox.messages)
        status, page = _password(other)  # remembered: straight in, no new code
        assert "/portal/account" in page.splitlines()[0] and len(inbox.messages) == sent


def test_a_wrong_emailed_code_is_refused(portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    with TestClient(client.app) as other:
        _status, page = _password(other)
        wrong = f"{(int(code_in(inbox)) + 1) % 10**6:06d}"
        answer = other.post("/portal/verify", data={"code": wrong, "csrf_token": csrf_of(page)})
        assert answer.status_code == 401 and other.get("/portal/account").url.path == "/portal/verify"


def test_five_wrong_passwords_lock_the_online_account(portal: tuple[TestClient, Inbox], runtime: Runtime,
                                                      account_id: int) -> None:
    client, inbox = portal
    runtime.throttle = ThrottleRates(sign_in_per_username=Rate(100, timedelta(minutes=1)))  # the lock, not the bucket
    enrol(client, inbox)
    _sign_out(client)
    for _ in range(5):
        assert _password(client, "not the password at all")[0] == 401
    status, _ = _password(client)
    assert status == 401  # locked: even the right password is refused for 15 minutes


def test_an_unknown_account_and_a_wrong_password_get_the_same_answer(portal: tuple[TestClient, Inbox],
                                                                     account_id: int) -> None:
    client, inbox = portal
    enrol(client, inbox)
    _sign_out(client)
    wrong = _password(client, "not the password at all")
    unknown = _password(client, ONLINE_PASSWORD, "ACC-9999")
    assert wrong[0] == unknown[0] == 401
    assert wrong[1].replace(csrf_of(wrong[1]), "") == unknown[1].replace(csrf_of(unknown[1]), "")


def test_sign_in_is_throttled_per_account_reference(portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, _ = portal
    statuses = [_password(client, f"guess number {n}")[0] for n in range(7)]
    assert statuses[:5] == [401] * 5 and 429 in statuses[5:]


def test_signed_out_pages_redirect_to_sign_in(portal: tuple[TestClient, Inbox], account_id: int) -> None:
    client, _ = portal
    assert client.get("/portal/account").url.path == "/portal/"
    assert client.get("/portal/records/cpni.call_log").url.path == "/portal/"


def test_no_mail_server_still_answers_the_same(runtime: Runtime, account_id: int) -> None:
    runtime.mailer = Mailer("127.0.0.1", 1, "privacy@spectrumvoip.example", timeout_s=0.5)
    with TestClient(client_app(runtime)) as client:
        page = client.get("/portal/enrol")
        answer = client.post("/portal/enrol", data={"account_ref": REF, "email": CANARY_EMAIL,
                                                    "csrf_token": csrf_of(page.text)})
        assert answer.url.path == "/portal/enrol/code"


def client_app(runtime: Runtime):  # type: ignore[no-untyped-def]
    from custodian.app import create_app

    return create_app(runtime)
