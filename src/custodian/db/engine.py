"""Engine creation: SQLite in WAL mode for the embedded default, PostgreSQL through psycopg 3."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def make_engine(url: str, connect_timeout: int | None = None) -> Engine:
    """Create the engine for `url`, configuring SQLite pragmas on every connection."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin)
        return engine
    timeout = {"connect_timeout": connect_timeout} if connect_timeout else {}
    return create_engine(url, pool_pre_ping=True, connect_args=timeout)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted records are overwritten, not left in free pages
    # Checkpoint the WAL every ~80 MB rather than every 4 MB: batched writers (imports, the audit trail)
    # rewrite the same index pages many times between checkpoints, and each checkpoint costs an fsync.
    cursor.execute("PRAGMA wal_autocheckpoint=20000")
    cursor.execute("PRAGMA journal_size_limit=134217728")  # and shrink the WAL back to 128 MB after one
    cursor.close()


def _begin(conn: Connection) -> None:
    # Writers take SQLite's write lock at BEGIN, so concurrent writers queue instead of failing
    # mid-transaction; readers begin deferred and never wait behind an import.
    writing = conn.get_execution_options().get(_WRITES, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


_WRITES = "custodian_writes"
_OUTCOME = "custodian_on_outcome"


_WRITER_WAIT = 30.0  # seconds, as SQLite's busy timeout
_writer_locks: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()
_writer_locks_guard = threading.Lock()


@contextmanager
def _one_writer_per_process(engine: Engine) -> Iterator[None]:
    """On SQLite, the process's writing transactions queue on one lock before `BEGIN IMMEDIATE`.

    SQLite lets one writer in at a time and makes the others poll with growing sleeps (up to 100 ms each), so
    under load a short write can wait far longer than the writes ahead of it took; a lock hands over at once.
    Writers of other processes still meet at SQLite's own lock. Re-entrant, and after the busy timeout a writer
    goes on without it (SQLite still decides). PostgreSQL writers never wait on each other here."""
    if engine.dialect.name != "sqlite":
        yield
        return
    with _writer_locks_guard:
        lock = _writer_locks.get(engine)
        if lock is None:
            lock = _writer_locks[engine] = threading.RLock()
    held = lock.acquire(timeout=_WRITER_WAIT)
    try:
        yield
    finally:
        if held:
            lock.release()


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """Open one writing transaction: commit on success, roll back on error. Edges call this; stores never commit."""
    with _one_writer_per_process(engine), engine.connect() as conn:
        conn = conn.execution_options(**{_WRITES: True})
        conn.info.pop(_OUTCOME, None)
        try:
            with conn.begin():
                yield conn
        except BaseException:
            _settle(conn, committed=False)
            raise
        _settle(conn, committed=True)


def on_outcome(conn: Connection, callback: Callable[[bool], None]) -> None:
    """Call `callback(committed)` once the transaction `transaction()` opened for `conn` commits or rolls back.

    A transaction opened any other way never calls it (the deletion log then counts its entry as committed).
    """
    conn.info.setdefault(_OUTCOME, []).append(callback)


def _settle(conn: Connection, *, committed: bool) -> None:
    try:
        callbacks = conn.info.pop(_OUTCOME, [])
    except Exception:
        return
    for callback in callbacks:
        callback(committed)


def is_postgres(conn: Connection | Engine) -> bool:
    """True when the connection talks to PostgreSQL."""
    return conn.dialect.name == "postgresql"
