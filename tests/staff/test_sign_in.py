"""Sign-in under attack: parallel guesses cannot outrun the lockout, every refusal costs one argon2
check (no username probing by timing), and the check runs outside any database transaction.

Seed 002 (SpectrumVoIP): "These safeguards include reasonable administrative, technical, and
physical measures to safeguard the confidentiality and security of personal information against
anticipated threats and unauthorized access to personal information."
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update

from custodian.audit import store as audit
from custodian.crypto.passwords import dummy_hash
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.staff import credentials, sign_in
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.service import SignInLimits, StaffError
from custodian.staff.tables import staff_member
from tests.builders.staff import new_member

LIMITS = SignInLimits(max_failed_attempts=5)
PARALLEL = 10


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every argon2 verification of a staff password, by the hash it was checked against."""
    seen: list[str] = []
    real = credentials.password_matches

    def counting(password_hash: str, password: str) -> bool:
        seen.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(credentials, "password_matches", counting)
    yield seen


def _in_parallel(count: int, attempt: Callable[[int], object]) -> list[object]:
    """Run `attempt(i)` in `count` threads released together; bounded by a join timeout."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        results[i] = attempt(i)  # type: ignore[call-overload]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def _stored(engine: Engine, username: str) -> tuple[str, int]:
    with engine.connect() as conn:
        row = conn.execute(select(staff_member.c.password_hash, staff_member.c.failed_attempts)
                           .where(staff_member.c.username == username)).one()
    return row.password_hash, row.failed_attempts


def test_parallel_wrong_passwords_are_all_counted_and_none_is_checked_after_the_limit(
        engine: Engine, master_key: bytes, checks: list[str]) -> None:
    """The attack: 30 parallel guesses were all checked and left the counter at 2 (limit 5)."""
    made = new_member(engine, master_key, "rita")
    now = utcnow()
    results = _in_parallel(PARALLEL, lambda i: sign_in.check_password(engine, "rita", f"guess-{i}", now, LIMITS))
    real_hash, failures = _stored(engine, "rita")
    assert results == [None] * PARALLEL
    assert failures == PARALLEL  # every attempt counted, none lost to the race
    assert checks.count(real_hash) == LIMITS.max_failed_attempts  # guesses beyond the limit never reach the hash
    assert checks.count(dummy_hash()) == PARALLEL - LIMITS.max_failed_attempts
    assert sign_in.check_password(engine, "rita", made.password, now, LIMITS) is None  # locked, even when right
    assert checks[-1] == dummy_hash()


def test_the_right_password_racing_with_guesses_signs_in_only_inside_the_limit(
        engine: Engine, master_key: bytes) -> None:
    made = new_member(engine, master_key, "rita")
    now = utcnow()
    results = _in_parallel(PARALLEL, lambda i: sign_in.check_password(
        engine, "rita", made.password if i % 2 else "wrong", now, LIMITS))
    _hash, failures = _stored(engine, "rita")
    assert failures == PARALLEL
    assert sum(r is not None for r in results) <= LIMITS.max_failed_attempts


def test_a_lock_runs_out_and_the_count_starts_again(engine: Engine, master_key: bytes) -> None:
    made = new_member(engine, master_key, "rita")
    now = utcnow()
    for _ in range(LIMITS.max_failed_attempts):
        assert sign_in.check_password(engine, "rita", "wrong", now, LIMITS) is None
    assert sign_in.check_password(engine, "rita", made.password, now + timedelta(minutes=14), LIMITS) is None
    later = now + timedelta(minutes=16)
    assert sign_in.check_password(engine, "rita", made.password, later, LIMITS) is not None
    assert _stored(engine, "rita")[1] == 1


def test_the_attempt_that_reaches_the_limit_with_the_right_password_is_not_locked_out(
        engine: Engine, master_key: bytes) -> None:
    made = new_member(engine, master_key, "rita")
    now = utcnow()
    for _ in range(LIMITS.max_failed_attempts - 1):
        sign_in.check_password(engine, "rita", "wrong", now, LIMITS)
    member = sign_in.check_password(engine, "rita", made.password, now, LIMITS)
    assert member is not None
    with engine.connect() as conn:
        current = staff_store.staff_by_id(conn, member.id)
    assert current is not None and current.locked_until is None


@pytest.mark.parametrize("state", ["unknown", "disabled", "locked", "pending", "wrong"])
def test_every_refusal_does_exactly_one_argon2_check(engine: Engine, master_key: bytes, checks: list[str],
                                                    state: str) -> None:
    """A locked or disabled account answered in 10 ms and an unknown one in 500 ms: usernames could be probed."""
    made = new_member(engine, master_key, "rita", channel="console" if state == "pending" else "shell")
    now = utcnow()
    if state == "disabled":
        with transaction(engine) as conn:
            staff_service.disable_staff(conn, "rita", actor="t", now=now)
    if state == "locked":
        with transaction(engine) as conn:
            conn.execute(update(staff_member).values(locked_until=now + timedelta(minutes=5),
                                                     failed_attempts=LIMITS.max_failed_attempts))
    checks.clear()
    username = "nobody" if state == "unknown" else "rita"
    password = "wrong" if state == "wrong" else made.password
    assert sign_in.check_password(engine, username, password, now, LIMITS) is None
    assert len(checks) == 1
    assert checks[0] == (_stored(engine, "rita")[0] if state == "wrong" else dummy_hash())


def test_the_password_check_holds_no_transaction_open(engine: Engine, master_key: bytes,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 inside the SQLite write transaction made 50 parallel logins turn the service to 503."""
    made = new_member(engine, master_key, "rita")
    writes_done: list[bool] = []
    real = credentials.password_matches

    def write_elsewhere() -> None:
        with transaction(engine) as conn:  # the same row, on another connection, while the hash is checked
            conn.execute(update(staff_member).where(staff_member.c.username == "rita").values(display_name="R"))
        writes_done.append(True)

    def checking(password_hash: str, password: str) -> bool:
        writer = threading.Thread(target=write_elsewhere)
        writer.start()
        writer.join(timeout=5)
        return real(password_hash, password)

    monkeypatch.setattr(credentials, "password_matches", checking)
    assert sign_in.check_password(engine, "rita", made.password, utcnow(), LIMITS) is not None
    assert writes_done == [True]


def test_changing_a_password_needs_the_current_one_and_ends_the_other_sessions(
        engine: Engine, master_key: bytes) -> None:
    made = new_member(engine, master_key, "rita")
    now = utcnow()
    with transaction(engine) as conn:
        here = staff_service.start_session(conn, made.staff_id, now)
        elsewhere = staff_service.start_session(conn, made.staff_id, now)
        member = staff_store.staff_by_id(conn, made.staff_id)
    assert member is not None
    with pytest.raises(StaffError, match="current_password"):
        sign_in.change_password(engine, member, "not it", "a brand new passphrase", keep_session="", now=now)
    with engine.connect() as conn:
        assert staff_store.session_by_token(conn, elsewhere) is not None  # a refused change ends nothing
        assert any(e.reason == "wrong current password" for e in audit.search(conn, actor="staff:rita"))
    sign_in.change_password(engine, member, made.password, "a brand new passphrase",
                            keep_session=staff_store.token_hash(here), now=now)
    with engine.connect() as conn:
        assert staff_store.session_by_token(conn, here) is not None
        assert staff_store.session_by_token(conn, elsewhere) is None
    assert sign_in.check_password(engine, "rita", "a brand new passphrase", now, LIMITS) is not None
