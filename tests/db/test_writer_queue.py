"""SQLite's writers queue on locks before `BEGIN IMMEDIATE` (issue 19 §2): a thread lock in the process and an
exclusive `flock` on the database's `-writers` file across processes, so a writer is woken as soon as the one
ahead commits instead of retrying with SQLite's growing sleeps."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from custodian.db.engine import make_engine, reading_unless, transaction


def _lock_is_free(path: Path) -> bool:
    """Whether another open file description may take the exclusive lock now (as another process would)."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_writing_transaction_holds_the_writers_file_lock_until_it_commits(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'custodian.db'}")
    lock_file = tmp_path / "custodian.db-writers"
    with transaction(engine) as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        assert not _lock_is_free(lock_file)
    assert _lock_is_free(lock_file)
    engine.dispose()


def test_a_failed_transaction_releases_the_lock_too(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'custodian.db'}")
    with pytest.raises(RuntimeError), transaction(engine):
        raise RuntimeError("the write failed")
    assert _lock_is_free(tmp_path / "custodian.db-writers")
    engine.dispose()


def test_postgresql_writers_do_not_queue_here(engine: Engine, tmp_path: Path) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with transaction(engine) as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    assert not list(tmp_path.glob("*-writers"))


def test_work_that_only_reads_takes_no_write_lock_and_work_that_writes_does(tmp_path: Path) -> None:
    """`reading_unless`: a console page view whose session needs no update runs on a reading connection."""
    engine = make_engine(f"sqlite:///{tmp_path / 'custodian.db'}")
    lock_file = tmp_path / "custodian.db-writers"
    with transaction(engine) as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))

    def lock_free_while_working(_conn: object) -> bool:
        return _lock_is_free(lock_file)

    assert reading_unless(engine, lambda _conn: False, lock_free_while_working) is True
    assert reading_unless(engine, lambda _conn: True, lock_free_while_working) is False
    engine.dispose()
