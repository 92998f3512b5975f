"""Staff identities: argon2id passwords, TOTP with replay refusal, lockout, sessions with idle timeout, and
the second officer's approval of one-time credentials issued in the console."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.staff import credentials, sign_in
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.service import DEFAULT_LIMITS, SignInLimits, StaffError
from custodian.staff.tables import staff_member
from tests.builders.staff import new_member

ROLES = ("support_representative", "privacy_officer")


def _add(engine: Engine, master_key: bytes, username: str = "rita") -> staff_service.NewCredentials:
    with transaction(engine) as conn:
        return staff_service.add_staff(conn, master_key, username=username, display_name="Rita", role=ROLES[0],
                                       roles=ROLES, actor="test", channel="shell", now=utcnow())


def test_passwords_are_stored_as_argon2id_and_totp_secrets_sealed(engine: Engine, master_key: bytes) -> None:
    made = _add(engine, master_key)
    with engine.connect() as conn:
        row = conn.execute(select(staff_member)).one()
    assert row.password_hash.startswith("$argon2id$") and made.password not in row.password_hash
    assert made.totp_secret.encode() not in row.totp_secret_enc
    assert credentials.open_totp_secret(master_key, row.totp_secret_enc) == made.totp_secret


def test_a_role_outside_the_policy_and_a_taken_username_are_refused(engine: Engine, master_key: bytes) -> None:
    _add(engine, master_key)
    with transaction(engine) as conn, pytest.raises(StaffError, match="username: 'rita' is taken"):
        staff_service.add_staff(conn, master_key, username="rita", display_name="", role=ROLES[0], roles=ROLES,
                                actor="t", channel="shell", now=utcnow())
    with transaction(engine) as conn, pytest.raises(StaffError, match="role: 'janitor'"):
        staff_service.add_staff(conn, master_key, username="jan", display_name="", role="janitor", roles=ROLES,
                                actor="t", channel="shell", now=utcnow())


def test_repeated_failures_lock_the_account_even_for_the_right_password(engine: Engine, master_key: bytes) -> None:
    made = _add(engine, master_key)
    now = utcnow()
    for _ in range(DEFAULT_LIMITS.max_failed_attempts):
        assert sign_in.check_password(engine, "rita", "wrong", now) is None
    assert sign_in.check_password(engine, "rita", made.password, now) is None
    assert sign_in.check_password(engine, "rita", made.password, now + timedelta(minutes=16)) is not None
    with engine.connect() as conn:
        events = audit.search(conn, actor="staff:rita")
    assert any("locked out" in e.reason for e in events)


def test_a_totp_code_is_accepted_once_and_never_again(engine: Engine, master_key: bytes) -> None:
    made = _add(engine, master_key)
    now = utcnow()
    code = credentials.totp_code(made.totp_secret, now)
    with transaction(engine) as conn:
        member = staff_store.staff_by_username(conn, "rita")
        assert member is not None
        assert sign_in.check_totp(conn, master_key, member, code, now)
        member = staff_store.staff_by_username(conn, "rita")
        assert member is not None and member.totp_enrolled
        assert not sign_in.check_totp(conn, master_key, member, code, now)
        assert not sign_in.check_totp(conn, master_key, member, "000000x", now)


def test_an_idle_session_ends(engine: Engine, master_key: bytes) -> None:
    made = _add(engine, master_key)
    now = utcnow()
    with transaction(engine) as conn:
        token = staff_service.start_session(conn, made.staff_id, now)
        assert staff_service.live_session(conn, token, now + timedelta(minutes=10)) is not None
        assert staff_service.live_session(conn, token, now + timedelta(minutes=26)) is None
        assert staff_service.live_session(conn, token, now) is None  # deleted, not merely refused


def test_an_operator_can_tighten_lockout_and_session_limits(engine: Engine, master_key: bytes) -> None:
    made = _add(engine, master_key)
    strict = SignInLimits(max_failed_attempts=2, lockout=timedelta(hours=1), idle_timeout=timedelta(minutes=5),
                          session_lifetime=timedelta(hours=1))
    now = utcnow()
    for _ in range(2):
        assert sign_in.check_password(engine, "rita", "wrong", now, strict) is None
    assert sign_in.check_password(engine, "rita", made.password, now + timedelta(minutes=59), strict) is None
    assert sign_in.check_password(engine, "rita", made.password, now + timedelta(minutes=61), strict)
    with transaction(engine) as conn:
        token = staff_service.start_session(conn, made.staff_id, now)
        assert staff_service.live_session(conn, token, now + timedelta(minutes=6), strict) is None
        token = staff_service.start_session(conn, made.staff_id, now)
        for minutes in range(4, 57, 4):  # kept alive by use every four minutes...
            assert staff_service.live_session(conn, token, now + timedelta(minutes=minutes), strict) is not None
        # ...until the lifetime cap: five minutes since last use is not idle, an hour and a minute is too old
        assert staff_service.live_session(conn, token, now + timedelta(minutes=61), strict) is None


def test_disabling_or_resetting_ends_every_session(engine: Engine, master_key: bytes) -> None:
    made = _add(engine, master_key)
    now = utcnow()
    with transaction(engine) as conn:
        token = staff_service.start_session(conn, made.staff_id, now)
        reset = staff_service.reset_staff(conn, master_key, "rita", actor="t", channel="shell", now=now)
        assert staff_service.live_session(conn, token, now) is None
        assert reset.password != made.password and reset.totp_secret != made.totp_secret
        token = staff_service.start_session(conn, made.staff_id, now)
        staff_service.disable_staff(conn, "rita", actor="t", now=now)
        assert staff_service.live_session(conn, token, now) is None
    assert sign_in.check_password(engine, "rita", reset.password, now) is None


def _officers(engine: Engine, master_key: bytes) -> tuple[staff_store.StaffMember, staff_store.StaffMember]:
    new_member(engine, master_key, "petra", role="privacy_officer")
    new_member(engine, master_key, "olga", role="privacy_officer")
    with engine.connect() as conn:
        petra, olga = staff_store.staff_by_username(conn, "petra"), staff_store.staff_by_username(conn, "olga")
    assert petra is not None and olga is not None
    return petra, olga


def test_credentials_an_officer_issues_in_the_console_open_nothing_until_a_second_officer_approves(
        engine: Engine, master_key: bytes) -> None:
    """Separation of duties: an officer cannot create a legal-desk member and then act as it alone."""
    petra, olga = _officers(engine, master_key)
    made = new_member(engine, master_key, "lena", role="legal_desk", actor="staff:petra", channel="console")
    now = utcnow()
    assert sign_in.check_password(engine, "lena", made.password, now) is None
    with engine.connect() as conn:
        [issue, *_shell] = staff_store.issues(conn)
        assert any("approval" in e.reason for e in audit.search(conn, actor="staff:lena"))
    assert (issue.username, issue.state, issue.issued_by, issue.channel) == ("lena", "pending", "staff:petra",
                                                                             "console")
    with transaction(engine) as conn, pytest.raises(StaffError, match="second privacy officer"):
        staff_service.approve_issue(conn, issue.id, petra, now)
    with transaction(engine) as conn:
        staff_service.approve_issue(conn, issue.id, olga, now)
    assert sign_in.check_password(engine, "lena", made.password, now) is not None
    with engine.connect() as conn:
        [event] = audit.search(conn, action="staff.credentials_approved")
        assert staff_store.issues(conn, issue_id=issue.id)[0].decided_by == "staff:olga"
    assert event.actor == "staff:olga" and event.detail["issued_by"] == "staff:petra"


def test_no_one_approves_their_own_credentials_or_approves_twice(engine: Engine, master_key: bytes) -> None:
    petra, olga = _officers(engine, master_key)
    with transaction(engine) as conn:
        staff_service.reset_staff(conn, master_key, "olga", actor="staff:petra", channel="console", now=utcnow())
        [issue] = [i for i in staff_store.issues(conn) if i.state == "pending"]
    with transaction(engine) as conn, pytest.raises(StaffError, match="your own credentials"):
        staff_service.approve_issue(conn, issue.id, olga, utcnow())
    rep = new_member(engine, master_key, "rita")
    with engine.connect() as conn:
        rita = staff_store.staff_by_id(conn, rep.staff_id)
    assert rita is not None
    with transaction(engine) as conn, pytest.raises(StaffError, match="only a privacy officer"):
        staff_service.approve_issue(conn, issue.id, rita, utcnow())
    with transaction(engine) as conn:
        staff_service.reset_staff(conn, master_key, "olga", actor="staff:petra", channel="console", now=utcnow())
    with transaction(engine) as conn, pytest.raises(StaffError, match="already superseded"):
        staff_service.approve_issue(conn, issue.id, petra, utcnow())


def test_credentials_an_operator_issues_at_the_shell_work_at_once_and_are_listed(
        engine: Engine, master_key: bytes) -> None:
    made = new_member(engine, master_key, "lena", role="legal_desk", actor="cli:root")
    assert sign_in.check_password(engine, "lena", made.password, utcnow()) is not None
    with engine.connect() as conn:
        [issue] = staff_store.issues(conn)
        [event] = audit.search(conn, action="staff.add")
    assert (issue.state, issue.channel, issue.issued_by) == ("not_required", "shell", "cli:root")
    assert event.detail["channel"] == "shell"


def test_the_policys_named_credentials_admin_issues_credentials_that_work_at_once(
        engine: Engine, master_key: bytes) -> None:
    """A provider with a single privacy officer names it in the policy (only the shell activates one)."""
    _officers(engine, master_key)
    by_admin = new_member(engine, master_key, "lena", role="legal_desk", actor="staff:petra", channel="console")
    assert sign_in.check_password(engine, "lena", by_admin.password, utcnow()) is None  # no admin named
    with transaction(engine) as conn:
        again = staff_service.reset_staff(conn, master_key, "lena", actor="staff:petra", channel="console",
                                          now=utcnow(), credentials_admin="petra")
        by_other = staff_service.reset_staff(conn, master_key, "olga", actor="staff:petra", channel="console",
                                             now=utcnow(), credentials_admin="someone")
    assert sign_in.check_password(engine, "lena", again.password, utcnow()) is not None
    assert sign_in.check_password(engine, "olga", by_other.password, utcnow()) is None
    with engine.connect() as conn:
        states = {(i.username, i.action): i.state for i in staff_store.issues(conn)}
    assert states[("lena", "reset")] == "not_required" and states[("lena", "add")] == "superseded"
    assert states[("olga", "reset")] == "pending"
