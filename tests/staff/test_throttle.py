"""Token buckets in the database: a limit per client address or username that holds across worker
processes and parallel requests; time is injected, never slept."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Connection, Engine, event, select

from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.staff import throttle
from custodian.staff.tables import rate_bucket
from custodian.staff.throttle import Rate, Throttled

KEY = b"k" * 32
PER_MINUTE = Rate(5, timedelta(minutes=1))


def _take(engine: Engine, value: str, now: object, rate: Rate = PER_MINUTE) -> None:
    with transaction(engine) as conn:
        throttle.take(conn, KEY, "sign_in.address", value, rate, now)  # type: ignore[arg-type]


def test_a_bucket_allows_its_attempts_then_refuses_with_the_seconds_to_wait(engine: Engine) -> None:
    now = utcnow()
    for _ in range(PER_MINUTE.attempts):
        _take(engine, "198.51.100.7", now)
    with pytest.raises(Throttled) as refused:
        _take(engine, "198.51.100.7", now)
    assert refused.value.retry_after == 12  # one token refills every 60/5 seconds
    _take(engine, "203.0.113.9", now)  # another address has its own bucket


def test_a_bucket_refills_evenly_and_never_beyond_its_size(engine: Engine) -> None:
    now = utcnow()
    for _ in range(PER_MINUTE.attempts):
        _take(engine, "198.51.100.7", now)
    _take(engine, "198.51.100.7", now + timedelta(seconds=12))  # one token back
    with pytest.raises(Throttled) as refused:
        _take(engine, "198.51.100.7", now + timedelta(seconds=13))
    assert refused.value.retry_after == 11
    later = now + timedelta(hours=5)  # a long rest fills the bucket to its size, not more
    for _ in range(PER_MINUTE.attempts):
        _take(engine, "198.51.100.7", later)
    with pytest.raises(Throttled):
        _take(engine, "198.51.100.7", later)


def test_parallel_attempts_never_take_more_tokens_than_the_bucket_holds(engine: Engine) -> None:
    now, count = utcnow(), 12
    barrier, outcomes = threading.Barrier(count), []

    def attempt() -> None:
        barrier.wait(timeout=30)
        try:
            _take(engine, "198.51.100.7", now)
            outcomes.append("taken")
        except Throttled:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("taken") == PER_MINUTE.attempts
    assert outcomes.count("refused") == count - PER_MINUTE.attempts


def test_buckets_name_no_address_or_username_in_clear(engine: Engine) -> None:
    _take(engine, "198.51.100.7", utcnow())
    with engine.connect() as conn:
        names = conn.execute(select(rate_bucket.c.bucket_key)).scalars().all()
    assert len(names) == 1 and "198.51.100.7" not in names[0]
    assert names[0] == throttle.bucket_key(KEY, "sign_in.address", "198.51.100.7")


def test_a_refusal_is_audited_by_scope_without_the_value(engine: Engine) -> None:
    now = utcnow()
    tight = Rate(1, timedelta(minutes=1))
    buckets = [("sign_in.address", "198.51.100.7", tight), ("sign_in.username", "rita", tight)]
    throttle.admit(engine, KEY, buckets, actor="console", action="staff.login_throttled", now=now)
    with pytest.raises(Throttled):
        throttle.admit(engine, KEY, buckets, actor="console", action="staff.login_throttled", now=now)
    with engine.connect() as conn:
        [event] = audit.search(conn, action="staff.login_throttled")
    assert event.actor == "console" and "198.51.100.7" not in repr(event) and "rita" not in repr(event)


def test_buckets_untouched_for_a_day_are_removed_as_new_ones_appear(engine: Engine) -> None:
    now = utcnow()
    _take(engine, "198.51.100.7", now)
    _take(engine, "203.0.113.9", now + timedelta(days=1, minutes=1))
    with engine.connect() as conn:
        names = conn.execute(select(rate_bucket.c.bucket_key)).scalars().all()
    assert names == [throttle.bucket_key(KEY, "sign_in.address", "203.0.113.9")]


def test_on_postgresql_an_admission_does_not_wait_for_the_wal_flush_but_a_refusal_does(engine: Engine) -> None:
    """A bucket's count lost in a crash only refills it early; the refusal's audit event must last."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite in WAL mode with synchronous=NORMAL does not flush at commit")
    settings: list[str] = []

    def commit_setting(conn: Connection) -> None:
        settings.append(conn.exec_driver_sql("SHOW synchronous_commit").scalar_one())

    event.listen(engine, "commit", commit_setting)
    try:
        tight = Rate(1, timedelta(minutes=1))
        buckets = [("intake.address", "198.51.100.7", tight)]
        throttle.admit(engine, KEY, buckets, actor="requester:api", action="legal.intake_throttled", now=utcnow())
        with pytest.raises(Throttled):
            throttle.admit(engine, KEY, buckets, actor="requester:api", action="legal.intake_throttled", now=utcnow())
    finally:
        event.remove(engine, "commit", commit_setting)
    assert settings == ["off", "on"]
