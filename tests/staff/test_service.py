"""Staff identities: argon2id passwords, TOTP with replay refusal, lockout, sessions with idle timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.staff import credentials
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.service import DEFAULT_LIMITS, SignInLimits, StaffError
from custodian.staff.tables import staff_member

ROLES = ("support_representative", "privacy_officer")


def _add(engine: Engine, master_key: bytes, username: str = "rita") -> staff_service.NewCredentials:
    with transaction(engine) as conn:
        return staff_service.add_staff(conn, master_key, username=username, display_name="Rita", role=ROLES[0],
                                       roles=ROLES, actor="test", now=utcnow())


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
                                actor="t", now=utcnow())
    with transaction(engine) as conn, pytest.raises(StaffError, match="role: 'janitor'"):
        staff_service.add_staff(conn, master_key, username="jan", display_name="", role="janitor", roles=ROLES,
                                actor="t", now=utcnow())


def test_repeated_failures_lock_the_account_even_for_the_right_password(engine: Engine, master_key: bytes) -> None:
    made = _add(engine, master_key)
    now = utcnow()
    for _ in range(DEFAULT_LIMITS.max_failed_attempts):
        with transaction(engine) as conn:
            assert staff_service.check_password(conn, "rita", "wrong", now) is None
    with transaction(engine) as conn:
        assert staff_service.check_password(conn, "rita", made.password, now) is None
        assert staff_service.check_password(conn, "rita", made.password, now + timedelta(minutes=16)) is not None
        events = audit.search(conn, actor="staff:rita")
    assert any("locked out" in e.reason for e in events)


def test_a_totp_code_is_accepted_once_and_never_again(engine: Engine, master_key: bytes) -> None:
    made = _add(engine, master_key)
    now = utcnow()
    code = credentials.totp_code(made.totp_secret, now)
    with transaction(engine) as conn:
        member = staff_store.staff_by_username(conn, "rita")
        assert member is not None
        assert staff_service.check_totp(conn, master_key, member, code, now)
        member = staff_store.staff_by_username(conn, "rita")
        assert member is not None and member.totp_enrolled
        assert not staff_service.check_totp(conn, master_key, member, code, now)
        assert not staff_service.check_totp(conn, master_key, member, "000000x", now)


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
    with transaction(engine) as conn:
        for _ in range(2):
            assert staff_service.check_password(conn, "rita", "wrong", now, strict) is None
        assert staff_service.check_password(conn, "rita", made.password, now + timedelta(minutes=59), strict) is None
        assert staff_service.check_password(conn, "rita", made.password, now + timedelta(minutes=61), strict)
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
        reset = staff_service.reset_staff(conn, master_key, "rita", actor="t", now=now)
        assert staff_service.live_session(conn, token, now) is None
        assert reset.password != made.password and reset.totp_secret != made.totp_secret
        token = staff_service.start_session(conn, made.staff_id, now)
        staff_service.disable_staff(conn, "rita", actor="t", now=now)
        assert staff_service.live_session(conn, token, now) is None
        assert staff_service.check_password(conn, "rita", reset.password, now) is None
