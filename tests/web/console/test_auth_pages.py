"""Console sign-in over HTTP: password, TOTP enrolment with a QR code, own password, acknowledgement."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.access.rules import AccessRules
from custodian.app import create_app
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import credentials
from custodian.staff import service as staff_service
from custodian.staff.service import SignInLimits
from tests.builders.staff import STAFF_PASSWORD, Staff, csrf_of, sign_in


def test_a_new_staff_member_enrols_the_second_factor_chooses_a_password_and_acknowledges_the_policy(
        client: TestClient, engine: Engine, master_key: bytes, rules: AccessRules) -> None:
    """Seed 000: "All … employees are required to acknowledge" the policy."""
    with transaction(engine) as conn:
        made = staff_service.add_staff(conn, master_key, username="nina", display_name="Nina",
                                       role="support_representative", roles=rules.staff_roles(), actor="t",
                                       now=utcnow())
    login = client.get("/console/login")
    answer = client.post("/console/login", data={"username": "nina", "password": made.password,
                                                 "csrf_token": csrf_of(login.text)})
    assert "<svg" in answer.text and made.totp_secret in answer.text
    answer = client.post("/console/totp", data={"code": credentials.totp_code(made.totp_secret, utcnow()),
                                                "csrf_token": csrf_of(answer.text)})
    assert str(answer.url).endswith("/console/password")
    assert client.get("/console/lookup?q=ACC-0001").url.path == "/console/password"
    answer = client.post("/console/password", data={"new_password": STAFF_PASSWORD, "repeat": STAFF_PASSWORD,
                                                    "csrf_token": csrf_of(answer.text)})
    assert str(answer.url).endswith("/console/acknowledge") and "I have read the policy" in answer.text
    assert client.get("/console/tickets/1").url.path == "/console/acknowledge"
    answer = client.post("/console/acknowledge", data={"csrf_token": csrf_of(answer.text)})
    assert answer.url.path == "/console/" and "Open a ticket" in answer.text


def test_the_console_is_closed_without_a_session_and_half_way_without_the_second_factor(
        client: TestClient, rep: Staff) -> None:
    assert client.get("/console/").url.path == "/console/login"
    login = client.get("/console/login")
    client.post("/console/login", data={"username": rep.username, "password": STAFF_PASSWORD,
                                        "csrf_token": csrf_of(login.text)})
    assert client.get("/console/").url.path == "/console/totp"


def test_a_wrong_password_says_nothing_about_which_part_was_wrong(client: TestClient, rep: Staff) -> None:
    login = client.get("/console/login")
    for username in (rep.username, "nobody"):
        answer = client.post("/console/login", data={"username": username, "password": "nope",
                                                     "csrf_token": csrf_of(login.text)})
        assert answer.status_code == 401 and "Wrong username or password" in answer.text


def test_a_login_without_the_csrf_cookie_pair_is_refused(client: TestClient, rep: Staff) -> None:
    answer = client.post("/console/login", data={"username": rep.username, "password": STAFF_PASSWORD,
                                                 "csrf_token": "guess"})
    assert answer.status_code == 403


def test_the_session_cookie_is_http_only_and_same_site_strict(client: TestClient, rep: Staff) -> None:
    login = client.get("/console/login")
    answer = client.post("/console/login", data={"username": rep.username, "password": STAFF_PASSWORD,
                                                 "csrf_token": csrf_of(login.text)}, follow_redirects=False)
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie


def test_signing_out_ends_the_session(client: TestClient, rep: Staff) -> None:
    csrf = sign_in(client, rep)
    client.post("/console/logout", data={"csrf_token": csrf})
    assert client.get("/console/").url.path == "/console/login"


def test_cookies_are_secure_when_the_public_address_is_https(runtime: Runtime) -> None:
    with TestClient(create_app(runtime, secure_cookies=True)) as client:
        assert "secure" in client.get("/console/login").headers["set-cookie"].lower()
    with TestClient(create_app(runtime)) as client:
        assert "secure" not in client.get("/console/login").headers["set-cookie"].lower()


def test_the_console_locks_out_after_the_operators_number_of_failures(runtime: Runtime, rep: Staff) -> None:
    runtime.sign_in = SignInLimits(max_failed_attempts=2)
    with TestClient(create_app(runtime)) as client:
        login = client.get("/console/login")
        for _ in range(2):
            client.post("/console/login", data={"username": rep.username, "password": "nope",
                                                "csrf_token": csrf_of(login.text)})
        answer = client.post("/console/login", data={"username": rep.username, "password": STAFF_PASSWORD,
                                                     "csrf_token": csrf_of(login.text)})
    assert answer.status_code == 401


def test_a_console_session_ends_after_the_operators_idle_timeout(runtime: Runtime, rep: Staff) -> None:
    runtime.sign_in = SignInLimits(idle_timeout=timedelta(seconds=0))
    with TestClient(create_app(runtime)) as client:
        login = client.get("/console/login")
        client.post("/console/login", data={"username": rep.username, "password": STAFF_PASSWORD,
                                            "csrf_token": csrf_of(login.text)})
        assert client.get("/console/").url.path == "/console/login"  # idle at once: back to sign-in
