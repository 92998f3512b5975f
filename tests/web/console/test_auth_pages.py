"""Console sign-in over HTTP: password, TOTP enrolment with a QR code, own password, acknowledgement; sign-in
rate-limited per client address and username (429 with Retry-After); a password change needs the current one."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from custodian.access.rules import AccessRules
from custodian.app import create_app
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import credentials
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.service import SignInLimits
from custodian.staff.throttle import Rate, ThrottleRates
from custodian.web.console.guard import SESSION_COOKIE
from tests.builders.staff import STAFF_PASSWORD, Staff, csrf_of, sign_in


def test_a_new_staff_member_enrols_the_second_factor_chooses_a_password_and_acknowledges_the_policy(
        client: TestClient, engine: Engine, master_key: bytes, rules: AccessRules) -> None:
    """Seed 000: "All … employees are required to acknowledge" the policy."""
    with transaction(engine) as conn:
        made = staff_service.add_staff(conn, master_key, username="nina", display_name="Nina",
                                       role="support_representative", roles=rules.staff_roles(), actor="t",
                                       channel="shell", now=utcnow())
    login = client.get("/console/login")
    answer = client.post("/console/login", data={"username": "nina", "password": made.password,
                                                 "csrf_token": csrf_of(login.text)})
    assert "<svg" in answer.text and made.totp_secret in answer.text
    answer = client.post("/console/totp", data={"code": credentials.totp_code(made.totp_secret, utcnow()),
                                                "csrf_token": csrf_of(answer.text)})
    assert str(answer.url).endswith("/console/password")
    assert client.get("/console/lookup?q=ACC-0001").url.path == "/console/password"
    answer = client.post("/console/password", data={"current_password": made.password,
                                                    "new_password": STAFF_PASSWORD, "repeat": STAFF_PASSWORD,
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


def _login(client: TestClient, username: str, password: str) -> Response:
    login = client.get("/console/login")
    return client.post("/console/login", data={"username": username, "password": password,
                                               "csrf_token": csrf_of(login.text)})


def test_a_flood_of_sign_ins_from_one_address_is_refused_with_429_and_retry_after(
        runtime: Runtime, engine: Engine, rep: Staff) -> None:
    """The attack: 50 parallel bogus sign-ins made the whole service answer 503."""
    runtime.throttle = ThrottleRates(sign_in_per_address=Rate(3, timedelta(minutes=1)))
    with TestClient(create_app(runtime)) as client:
        answers = [_login(client, f"guess{i}", "hunter2-secret") for i in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert 0 < int(answers[-1].headers["retry-after"]) <= 20  # one of 3 tokens a minute comes back
    with engine.connect() as conn:
        [event] = audit.search(conn, action="staff.login_throttled")
        trail = repr(audit.search(conn))
    assert event.detail["scope"] == "sign_in.address" and "hunter2-secret" not in trail and "guess3" not in trail


def test_guesses_at_one_username_are_refused_from_any_address(runtime: Runtime, rep: Staff) -> None:
    runtime.throttle = ThrottleRates(sign_in_per_username=Rate(2, timedelta(minutes=1)))
    with TestClient(create_app(runtime)) as client:
        assert [_login(client, rep.username, "nope").status_code for _ in range(2)] == [401, 401]
    with TestClient(create_app(runtime), client=("203.0.113.9", 50000)) as elsewhere:
        refused = _login(elsewhere, rep.username, STAFF_PASSWORD)
    assert refused.status_code == 429 and "retry-after" in refused.headers


def test_changing_the_console_password_needs_the_current_one_and_ends_the_other_sessions(
        runtime: Runtime, rep: Staff) -> None:
    with TestClient(create_app(runtime)) as here, TestClient(create_app(runtime)) as elsewhere:
        csrf = sign_in(here, rep)
        with transaction(runtime.engine) as conn:  # a second full session (a TOTP code is accepted only once)
            other = staff_service.start_session(conn, rep.id, utcnow())
            staff_store.touch_session(conn, staff_store.token_hash(other), utcnow(), stage="full")
        elsewhere.cookies.set(SESSION_COOKIE, other, path="/console")
        new = "a much longer passphrase"
        wrong = here.post("/console/password", data={"current_password": "not mine", "new_password": new,
                                                     "repeat": new, "csrf_token": csrf})
        assert wrong.status_code == 422 and "not your current password" in wrong.text
        assert elsewhere.get("/console/").url.path == "/console/"
        done = here.post("/console/password", data={"current_password": STAFF_PASSWORD, "new_password": new,
                                                    "repeat": new, "csrf_token": csrf})
        assert done.url.path == "/console/"
        assert here.get("/console/").url.path == "/console/"
        assert elsewhere.get("/console/").url.path == "/console/login"


def test_a_non_ascii_csrf_token_or_totp_code_is_refused_never_a_server_error(client: TestClient, rep: Staff) -> None:
    """Issue: non-ASCII CSRF tokens or TOTP codes give 4xx, never 500 (hmac.compare_digest refuses them)."""
    page = client.get("/console/login")
    assert client.post("/console/login", data={"username": "rita", "password": "x",
                                               "csrf_token": "ünïcødé"}).status_code == 403
    answer = client.post("/console/login", data={"username": rep.username, "password": STAFF_PASSWORD,
                                                  "csrf_token": csrf_of(page.text)})
    refused = client.post("/console/totp", data={"code": "١٢٣٤٥٦", "csrf_token": csrf_of(answer.text)})
    assert refused.status_code in (200, 401, 422) and "/console/totp" in str(refused.url)
    assert client.post("/console/totp", data={"code": "123456", "csrf_token": "é" * 43}).status_code == 403


def test_a_member_chooses_a_time_zone_and_console_times_show_in_it_with_utc_on_hover(
        client: TestClient, rep: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    unknown = client.post("/console/settings/time-zone", data={"time_zone": "Mars/Olympus", "csrf_token": csrf})
    assert unknown.status_code == 422 and "is not a known IANA zone" in unknown.text
    saved = client.post("/console/settings/time-zone", data={"time_zone": "America/Chicago", "csrf_token": csrf})
    assert saved.url.path == "/console/password" and "America/Chicago" in saved.text
    client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "billing", "channel": "email",
                                          "csrf_token": csrf})
    tickets = client.get("/console/tickets").text
    assert re.search(r'<time datetime="[0-9T:-]+Z" title="[0-9 :-]+ UTC">[0-9 :-]+ C[SD]T</time>', tickets)


def test_the_time_zone_form_needs_the_sessions_csrf_token(client: TestClient, rep: Staff) -> None:
    sign_in(client, rep)
    refused = client.post("/console/settings/time-zone", data={"time_zone": "Europe/Paris", "csrf_token": "x"})
    assert refused.status_code == 403


def test_each_role_lands_on_its_own_home(client: TestClient, desk: Staff, officer: Staff, rep: Staff) -> None:
    for member, home in ((desk, "/console/legal/"), (officer, "/console/officer/"), (rep, "/console/")):
        sign_in(client, member)
        assert client.get("/console/").url.path == home
        client.cookies.clear()
