"""Break-glass in red with its review queue, the privacy officer's audit pages, and the second officer's
approval of one-time credentials."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, text

from custodian.access.rules import AccessRules
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.staff import store as staff_store
from tests.builders.records import CANARY_NAME
from tests.builders.staff import Staff, a_staff_member, csrf_of, sign_in

REASON = "customer reports an outage, ticketing system down"


def test_break_glass_needs_a_reason_shows_it_in_red_and_waits_for_the_officers_review(
        client: TestClient, rep: Staff, officer: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    refused = client.post("/console/break-glass", data={"account_ref": "ACC-0001", "reason": "", "csrf_token": csrf})
    assert refused.status_code == 422 and "Reason: say why" in refused.text
    page = client.post("/console/break-glass", data={"account_ref": "ACC-0001", "reason": REASON,
                                                     "csrf_token": csrf})
    assert 'class="break-glass-banner"' in page.text and REASON in page.text and CANARY_NAME in page.text
    client.cookies.clear()
    csrf = sign_in(client, officer)
    queue = client.get("/console/officer/reviews").text
    assert REASON in queue and 'class="break-glass-reason"' in queue and CANARY_NAME not in queue
    client.post("/console/officer/reviews/1", data={"outcome": "justified", "note": "checked", "csrf_token": csrf})
    queue = client.get("/console/officer/reviews").text
    assert "Nothing awaits review" in queue and "Justified" in queue


def test_every_permit_and_deny_of_a_ticket_view_is_in_the_chain(client: TestClient, engine: Engine, rep: Staff,
                                                                 account_id: int) -> None:
    """Issue: every permit and deny is recorded (actor, ticket, account, classes, purpose, decision, reason)."""
    csrf = sign_in(client, rep)
    client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "technical",
                                          "channel": "inbound_call", "csrf_token": csrf})
    with engine.connect() as conn:
        events = audit.search(conn, action="access.*")
        assert audit.verify(conn) is None
    decided = {(e.action, e.record_classes) for e in events}
    assert ("access.deny", ("cpni.call_log",)) in decided
    assert ("access.permit", ("subscriber.basic",)) in decided
    assert len(events) == 5 and all(e.account_id == account_id and e.actor == "staff:rita" for e in events)
    assert all(e.detail["ticket"] == 1 and e.detail["purpose"] == "support" for e in events)


def test_the_officer_searches_the_trail_sees_each_staff_members_volume_and_the_chain_status(
        client: TestClient, rep: Staff, officer: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "technical",
                                          "channel": "inbound_call", "csrf_token": csrf})
    client.cookies.clear()
    sign_in(client, officer)
    found = client.get("/console/officer/audit?actor=staff:rita&action=access.deny").text
    assert "call detail needs the CPNI password" in found and "access.permit" not in found
    report = client.get("/console/officer/staff").text
    row = report[report.index('data-staff="rita"'):].split("</tr>")[0]
    assert re.findall(r'class="num">(\d+)<', row) == ["1", "4", "1", "0"]  # tickets, permits, denials, break-glass
    assert "Intact:" in client.get("/console/officer/chain").text


def test_officer_pages_are_closed_to_other_roles(client: TestClient, rep: Staff) -> None:
    sign_in(client, rep)
    for path in ("reviews", "audit", "staff", "chain"):
        assert client.get(f"/console/officer/{path}").status_code == 403


def test_the_chain_page_rechecks_only_what_follows_the_last_recorded_whole_chain_verification(
        client: TestClient, engine: Engine, officer: Staff) -> None:
    csrf = sign_in(client, officer)
    page = client.get("/console/officer/chain").text
    assert "never verified and recorded yet" in page and "Intact:" in page
    answer = client.post("/console/officer/chain/verify", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    with engine.connect() as conn:
        recorded = audit.search(conn, action="audit.verified")[0]
    assert recorded.actor == "staff:petra" and recorded.detail["intact"] is True
    through = recorded.detail["through_seq"]
    page = client.get("/console/officer/chain").text
    assert f"verified intact through event {through}" in page and "by staff:petra" in page
    with transaction(engine) as conn:  # tampering before the checkpoint is left to the next whole-chain run...
        conn.execute(text("UPDATE audit_event SET reason = 'edited' WHERE seq = 1"))
    assert "Intact:" in client.get("/console/officer/chain").text
    client.post("/console/officer/chain/verify", data={"csrf_token": csrf})
    page = client.get("/console/officer/chain").text  # ...which finds it, and the page says so
    assert 'role="alert"' in page and "found the chain broken at event 1" in page
    with transaction(engine) as conn:  # tampering after the checkpoint shows at once
        conn.execute(text(f"UPDATE audit_event SET reason = 'edited' WHERE seq = {through + 1}"))
    assert f"Broken at event {through + 1}" in client.get("/console/officer/chain").text


def test_verifying_the_chain_needs_the_officer_and_the_form_token(client: TestClient, rep: Staff,
                                                                  officer: Staff) -> None:
    csrf = sign_in(client, rep)
    assert client.post("/console/officer/chain/verify", data={"csrf_token": csrf}).status_code == 403
    client.cookies.clear()
    sign_in(client, officer)
    assert client.post("/console/officer/chain/verify", data={"csrf_token": "forged"}).status_code == 403


def test_the_audit_search_takes_a_trailing_star_as_a_prefix_for_actor_and_action(
        client: TestClient, rep: Staff, officer: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)
    client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "technical",
                                          "channel": "inbound_call", "csrf_token": csrf})
    client.cookies.clear()
    sign_in(client, officer)
    found = client.get("/console/officer/audit?actor=staff:*&action=ticket.*").text
    assert "staff:rita" in found and "ticket.open" in found and "staff.login" not in found
    exact = client.get("/console/officer/audit?actor=staff:ri&action=ticket.open").text
    assert "ticket.open" not in exact.split("</form>")[-1]  # without the star, 'staff:ri' is nobody


def test_credentials_one_officer_issues_work_only_after_a_second_officer_approves_them(
        client: TestClient, engine: Engine, master_key: bytes, officer: Staff, rules: AccessRules) -> None:
    """Separation of duties: the privacy officer cannot create a legal-desk member and act as it alone."""
    csrf = sign_in(client, officer)
    page = client.post("/console/admin/staff", data={"username": "lena", "role": "legal_desk", "name": "Lena",
                                                     "csrf_token": csrf})
    password = re.search(r'id="issued-password">([^<]+)<', page.text)
    assert password and "another privacy officer approves" in page.text
    with engine.connect() as conn:
        [pending] = [i for i in staff_store.issues(conn) if i.username == "lena"]
    approve = f"/console/officer/credentials/{pending.id}/approve"
    report = client.get("/console/officer/staff").text
    assert f'data-issue="{pending.id}"' in report and "awaiting a second officer" in report and approve not in report
    assert client.post(approve, data={"csrf_token": csrf}).status_code == 422
    client.cookies.clear()
    assert _login(client, "lena", password.group(1)).status_code == 401
    second = a_staff_member(engine, master_key, "olga", "privacy_officer", rules)
    csrf = sign_in(client, second)
    assert approve in client.get("/console/officer/staff").text
    approved = client.post(approve, data={"csrf_token": csrf})
    assert "approved by staff:olga" in approved.text
    client.cookies.clear()
    answer = _login(client, "lena", password.group(1))
    assert answer.status_code == 200 and answer.url.path == "/console/totp"


def _login(client: TestClient, username: str, password: str) -> Response:
    login = client.get("/console/login")
    return client.post("/console/login", data={"username": username, "password": password,
                                               "csrf_token": csrf_of(login.text)})


def test_the_chain_page_reports_a_retyped_field_and_never_answers_500(client: TestClient, engine: Engine,
                                                                      database_url: str, officer: Staff) -> None:
    """Issue: the officer's chain page never answers 500, even on a BLOB where text belongs (SQLite only)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("only SQLite stores a value of another type in a typed column")
    csrf = sign_in(client, officer)
    client.post("/console/officer/chain/verify", data={"csrf_token": csrf})
    with engine.connect() as conn:
        recorded = audit.search(conn, action="audit.verified")[0]
    with transaction(engine) as conn:
        conn.execute(text(f"UPDATE audit_event SET detail = X'00ff' WHERE seq = {recorded.seq}"))
        conn.execute(text("UPDATE audit_event SET reason = X'00ff' WHERE seq = 2"))
    page = client.get("/console/officer/chain")
    assert page.status_code == 200 and "Broken at event 2" in page.text
    assert client.post("/console/officer/chain/verify", data={"csrf_token": csrf}).status_code == 200
    with engine.connect() as conn:
        failed = audit.search(conn, action="audit.verification_failed")[0]
    assert failed.detail["break_seq"] == 2 and "field reason holds bytes" in failed.detail["problem"]
