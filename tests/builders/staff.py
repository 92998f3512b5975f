"""Builders for staff access: the SpectrumVoIP policy in force, staff members, tickets, and a
console client signed in through the real login, second factor and acknowledgement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert

from custodian.access.in_force import rules_in_force
from custodian.access.rules import AccessRules
from custodian.access.secret_rules import normalise_answer
from custodian.db.engine import transaction
from custodian.db.partitions import ensure_partition
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.records import credentials as credentials_store
from custodian.records import payload
from custodian.records.tables import call_log
from custodian.staff import credentials
from custodian.staff import service as staff_service
from tests.builders.records import CANARY_COUNTERPART

SPECTRUMVOIP = Path(__file__).resolve().parents[2] / "examples" / "policies" / "002-spectrumvoip.yaml"
STAFF_PASSWORD = "correct horse battery staple"
CPNI_PASSWORD = "heron-lantern-73"  # the customer's own, on file for the console's test account
SECRET_QUESTION = "What was the name of your first boat?"
SECRET_ANSWER = "Quillwater Skiff"
CALL_AT = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)


def policy_in_force(engine: Engine) -> AccessRules:
    """Activate the SpectrumVoIP policy (effective a day ago) and return its access rules."""
    now = utcnow()
    with transaction(engine) as conn:
        policy_store.activate(conn, SPECTRUMVOIP.read_text(encoding="utf-8"), actor="test",
                              effective_at=now - timedelta(days=1), now=now)
        rules = rules_in_force(conn, now)
    assert rules is not None
    return rules


@dataclass(frozen=True)
class Staff:
    """A staff member with their TOTP secret and own password."""

    id: int
    username: str
    role: str
    totp_secret: str


def a_staff_member(engine: Engine, master_key: bytes, username: str, role: str, rules: AccessRules) -> Staff:
    """A staff member who has already chosen their own password (STAFF_PASSWORD)."""
    now = utcnow()
    with transaction(engine) as conn:
        made = staff_service.add_staff(conn, master_key, username=username, display_name=username.title(),
                                       role=role, roles=rules.staff_roles(), actor="test", channel="shell", now=now)
        member = staff_service.staff_store.staff_by_id(conn, made.staff_id)
        assert member is not None
        staff_service.set_password(conn, member, STAFF_PASSWORD, now)
    return Staff(made.staff_id, username, role, made.totp_secret)


def new_member(engine: Engine, master_key: bytes, username: str, *, role: str = "support_representative",
               roles: tuple[str, ...] = ("support_representative", "legal_desk", "privacy_officer"),
               actor: str = "cli:operator", channel: str = "shell") -> staff_service.NewCredentials:
    """A staff member as `custodian staff add` (or, with channel="console", the console) creates one."""
    with transaction(engine) as conn:
        return staff_service.add_staff(conn, master_key, username=username, display_name=username.title(), role=role,
                                       roles=roles, actor=actor, channel=channel, now=utcnow())


def a_call(engine: Engine, keyring: object, account_id: int, counterpart: str = CANARY_COUNTERPART) -> None:
    """One outgoing call of the account to `counterpart`, sealed as the importers seal it."""
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)  # type: ignore[attr-defined]
        sealed = cipher.seal(payload.encode(payload.CALL_FIELDS, {"own": "+15125550100", "counterpart": counterpart,
                                                                  "src": "+15125550100", "dst": counterpart}),
                             payload.aad("call_log", "payload", account_id))
        ensure_partition(conn, "call_log", CALL_AT)
        conn.execute(insert(call_log).values(account_id=account_id, started_at=CALL_AT, record_key=b"k" * 16,
                                             direction="out", source_format="custodian", duration_s=65,
                                             billsec_s=60, disposition="ANSWERED", payload_enc=sealed))


def cpni_secrets(engine: Engine, keyring: object, account_id: int) -> None:
    """The account's CPNI password and secret question on file, as a representative would have set them."""
    with transaction(engine) as conn:
        credentials_store.store_secret(conn, keyring, account_id, "cpni_password", CPNI_PASSWORD,  # type: ignore[arg-type]
                                       by="setup", now=utcnow())
        credentials_store.store_secret(conn, keyring, account_id, "secret_question",  # type: ignore[arg-type]
                                       normalise_answer(SECRET_ANSWER), question=SECRET_QUESTION, by="setup",
                                       now=utcnow())


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client: TestClient, staff: Staff, *, acknowledge: bool = True) -> str:
    """Sign in through the login form and the second factor; return the session's CSRF token."""
    page = client.get("/console/login")
    answer = client.post("/console/login", data={"username": staff.username, "password": STAFF_PASSWORD,
                                                 "csrf_token": csrf_of(page.text)})
    assert answer.status_code == 200 and "/console/totp" in str(answer.url), answer.text
    code = credentials.totp_code(staff.totp_secret, utcnow())
    answer = client.post("/console/totp", data={"code": code, "csrf_token": csrf_of(answer.text)})
    assert answer.status_code == 200, answer.text
    if acknowledge and "/console/acknowledge" in str(answer.url):
        answer = client.post("/console/acknowledge", data={"csrf_token": csrf_of(answer.text)})
    return csrf_of(answer.text)
