"""`custodian demo` shows the whole product: its mail in an outbox, its own retention policy kept, a staff
member per role, CPNI passwords, legal requests in every state a desk meets, and a guide whose steps work.

The demo is built once for the module (a few seconds), through the CLI, into a temporary data directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from custodian.access.in_force import rules_in_force
from custodian.app import create_app
from custodian.consent.cpni import SUBJECT as CPNI_NOTICE_SUBJECT
from custodian.consent.tables import consent_entry, cpni_notice
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal.tables import legal_notice, legal_request
from custodian.mail.outbox import list_messages
from custodian.records.tables import account, account_credential
from custodian.retention.planner import schedule_of
from custodian.retention.service import policy_in_force
from custodian.retention.targets import accounts_to_purge
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.tables import staff_member
from tests.builders.demo import BuiltDemo, built_demo
from tests.builders.staff import STAFF_PASSWORD, Staff, sign_in


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltDemo]:
    with built_demo(tmp_path_factory.mktemp("demo")) as demo:
        yield demo


def _guide_step(output: str, number: int) -> str:
    found = re.search(rf"^\s*{number}\. (.*)$", output, re.M)
    assert found, f"no step {number} in the guide"
    return found.group(1)


def _credentials(output: str, username: str) -> tuple[str, str]:
    found = re.search(rf"{username}\s+one-time password (\S+)\s+TOTP secret (\S+)", output)
    assert found, f"no sign-in for {username}"
    return found.group(1), found.group(2)


def _as_member(built: BuiltDemo, username: str) -> Staff:
    """The demo staff member, having chosen their own password as the first sign-in asks."""
    _, secret = _credentials(built.output, username)
    with transaction(built.runtime.engine) as conn:
        member = staff_store.staff_by_username(conn, username)
        assert member is not None
        staff_service.set_password(conn, member, STAFF_PASSWORD, utcnow())
    return Staff(member.id, username, member.role, secret)


def test_the_demos_mail_lands_in_the_outbox_and_its_notices_read_sent(built: BuiltDemo) -> None:
    messages = list_messages(built.data / "outbox")
    legal = [m for m in messages if m.subject.startswith("A legal request for your account")]
    assert len(legal) >= 2
    assert {m.subject for m in messages if m not in legal} == {CPNI_NOTICE_SUBJECT}  # demo/consent.py
    with built.runtime.engine.connect() as conn:
        outcomes = conn.execute(select(legal_notice.c.outcome)).scalars().all()
    assert outcomes and set(outcomes) == {"sent"}
    assert f"{len(outcomes)} sent to the demo outbox" in built.output


def test_no_closed_account_is_left_past_its_purge_deadline(built: BuiltDemo) -> None:
    now = utcnow()
    with built.runtime.engine.connect() as conn:
        closed = conn.execute(select(func.count()).select_from(account).where(account.c.status == "closed")).scalar()
        assert accounts_to_purge(conn, schedule_of(policy_in_force(conn, now)), now) == []
    assert closed
    assert re.search(r"Retention schedule run: [1-9]\d* closed accounts purged, [\d,]+ records deleted: ",
                     built.output)


def test_every_role_of_the_policy_has_a_demo_staff_member(built: BuiltDemo) -> None:
    with built.runtime.engine.connect() as conn:
        rules = rules_in_force(conn, utcnow())
        roles = set(conn.execute(select(staff_member.c.role)).scalars())
    assert rules is not None
    assert set(rules.staff_roles()) <= roles
    assert {"legal_desk", "privacy_officer", "support_representative"} <= roles


def test_some_accounts_have_a_cpni_password_on_file(built: BuiltDemo) -> None:
    with built.runtime.engine.connect() as conn:
        kinds = conn.execute(select(account_credential.c.credential)).scalars().all()
    assert kinds.count("cpni_password") >= 3


def test_the_demo_records_consent_choices_and_cpni_notices_through_the_ledger(built: BuiltDemo) -> None:
    with built.runtime.engine.connect() as conn:
        choices = conn.execute(select(consent_entry.c.choice, consent_entry.c.channel, consent_entry.c.audit_seq)
                               ).all()
        notices = conn.execute(select(func.count()).select_from(cpni_notice)).scalar()
    assert {"granted", "denied", "withdrawn"} <= {row.choice for row in choices}
    assert "oral_call" in {row.channel for row in choices} and all(row.audit_seq for row in choices)
    assert notices == 4


def test_the_legal_desk_holds_a_request_in_each_state_a_desk_meets(built: BuiltDemo) -> None:
    with built.runtime.engine.connect() as conn:
        rows = {(r.kind, r.state) for r in conn.execute(select(legal_request.c.kind, legal_request.c.state))}
    assert {("data", "needs_information"), ("data", "approved"), ("data", "delivered"),
            ("preservation", "approved"), ("emergency", "in_review")} <= rows


def test_the_guide_names_the_addresses_every_sign_in_and_three_steps(built: BuiltDemo) -> None:
    assert "Try this" in built.output and "http://127.0.0.1:8000/console/login" in built.output
    for username in ("demo-rep", "demo-legal", "demo-officer"):
        _credentials(built.output, username)
    assert all(_guide_step(built.output, n) for n in (1, 2, 3))


def test_guide_step_one_shows_call_detail_after_the_cpni_password(built: BuiltDemo) -> None:
    step = _guide_step(built.output, 1)
    found = re.search(r"account (\S+), .* CPNI password (\S+);", step)
    assert found
    with TestClient(create_app(built.runtime, outbox_dir=built.data / "outbox")) as http:
        csrf = sign_in(http, _as_member(built, "demo-rep"))
        ticket = http.post("/console/tickets", data={"account_ref": found.group(1), "topic": "technical",
                                                     "channel": "inbound_call", "csrf_token": csrf})
        assert ticket.status_code == 200 and "/console/tickets/" in str(ticket.url)
        page = http.post(f"{ticket.url}/cpni", data={"given": found.group(2), "unprompted": "yes",
                                                     "csrf_token": csrf})
    assert 'id="authenticated"' in page.text
    assert 'data-class="cpni.call_log" data-decision="permit"' in page.text
    assert "•••" in page.text  # call detail rows, the counterpart masked for a technical ticket


def test_guide_steps_two_and_three_open_what_they_name(built: BuiltDemo) -> None:
    desk_step, officer_step = _guide_step(built.output, 2), _guide_step(built.output, 3)
    emergency, lacking = re.findall(r"LR-\d{4}-[0-9A-F]{8}", desk_step)
    notified = re.findall(r"LR-\d{4}-[0-9A-F]{8}", officer_step)[0]
    with TestClient(create_app(built.runtime, outbox_dir=built.data / "outbox")) as http:
        sign_in(http, _as_member(built, "demo-legal"))
        queue = http.get("/console/legal/").text
        assert queue.index(emergency) < queue.index(lacking)
        http.cookies.clear()
        sign_in(http, _as_member(built, "demo-officer"))
        outbox = http.get("/console/outbox", params={"q": notified})
        assert outbox.status_code == 200 and "A legal request for your account" in outbox.text
        assert "Retention" in http.get("/console/officer/retention").text
        links = re.findall(rf'href="(/console/legal/requests/\d+)">{notified}<', http.get("/console/legal/").text)
        assert links, "the queue links the notified request"
        page = http.get(links[0]).text
        assert 'data-outcome="sent"' in page and f'href="/console/outbox?q={notified}"' in page
