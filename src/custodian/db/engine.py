"""Engine creation: SQLite in WAL mode for the embedded default, PostgreSQL through psycopg 3."""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


POOL_SIZE = 16  # PostgreSQL connections a process keeps open (and as many more it may open for a burst)


def make_engine(url: str, connect_timeout: int | None = None) -> Engine:
    """Create the engine for `url`, configuring SQLite pragmas on every connection."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin)
        return engine
    timeout = {"connect_timeout": connect_timeout} if connect_timeout else {}
    # A pool at least as large as a web worker's threads (CUSTODIAN_WEB_THREADS, 8) plus its background work:
    # with SQLAlchemy's 5, the connections beyond it were opened and closed request after request, and each new
    # PostgreSQL backend starts with cold catalog caches.
    engine = create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_SIZE,
                           connect_args=timeout)
    event.listen(engine, "connect", _session_in_utc)
    return engine


def _session_in_utc(dbapi_connection: Any, _record: Any) -> None:
    """Every PostgreSQL session runs in UTC, whatever the server's TimeZone: times come back as UTC already
    (reading a million of them converted zone by zone cost a retention run a fifth of its client time), and
    no SQL depends on the server's zone."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    dbapi_connection.commit()


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


T = TypeVar("T")
_WRITES = "custodian_writes"
_OUTCOME = "custodian_on_outcome"


_WRITER_WAIT = 30.0  # seconds, as SQLite's busy timeout


@dataclass
class _WriterQueue:
    """One SQLite database's writers in this process: a re-entrant lock, and the lock file shared with the other
    processes (None for an in-memory database)."""

    lock: threading.RLock
    file: int | None
    held: threading.local  # per thread: how deep it is in this database's queued transactions


_writer_queues: WeakKeyDictionary[Engine, _WriterQueue] = WeakKeyDictionary()
_writer_queues_guard = threading.Lock()


def _queue_of(engine: Engine) -> _WriterQueue:
    with _writer_queues_guard:
        queue = _writer_queues.get(engine)
        if queue is None:
            database = engine.url.database or ""
            file = None
            if database and database != ":memory:" and not database.startswith("file:"):
                try:
                    file = os.open(database + "-writers", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                except OSError:  # a read-only or full data directory: SQLite itself will say what is wrong
                    file = None
                else:
                    weakref.finalize(engine, os.close, file)
            queue = _writer_queues[engine] = _WriterQueue(threading.RLock(), file, threading.local())
        return queue


@contextmanager
def _writers_queue(engine: Engine) -> Iterator[None]:
    """On SQLite, writing transactions queue on locks before `BEGIN IMMEDIATE`: a thread lock within the process,
    then an exclusive `flock` on the database's `-writers` file across processes.

    SQLite lets one writer in at a time and makes the others poll with growing sleeps (up to 100 ms each), so under
    load a short write can wait far longer than the writes ahead of it took, and one process's writers can starve
    another's; a waiter on these locks is woken as soon as the writer ahead commits. Re-entrant within a thread;
    a thread that waited `_WRITER_WAIT` seconds for its process's lock goes on without the queue (SQLite's own
    lock still decides). PostgreSQL writers never wait here."""
    if engine.dialect.name != "sqlite":
        yield
        return
    queue = _queue_of(engine)
    if not queue.lock.acquire(timeout=_WRITER_WAIT):
        yield
        return
    depth = getattr(queue.held, "depth", 0)
    file = queue.file if depth == 0 else None  # the file lock is taken once, by the outermost transaction
    try:
        if file is not None:
            fcntl.flock(file, fcntl.LOCK_EX)
        queue.held.depth = depth + 1
        try:
            yield
        finally:
            queue.held.depth = depth
            if file is not None:
                fcntl.flock(file, fcntl.LOCK_UN)
    finally:
        queue.lock.release()


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """Open one writing transaction: commit on success, roll back on error. Edges call this; stores never commit."""
    with _writers_queue(engine), engine.connect() as conn:
        conn = conn.execution_options(**{_WRITES: True})
        conn.info.pop(_OUTCOME, None)
        try:
            with conn.begin():
                yield conn
        except BaseException:
            _settle(conn, committed=False)
            raise
        _settle(conn, committed=True)


def reading_unless(engine: Engine, needs_write: Callable[[Connection], bool], work: Callable[[Connection], T]) -> T:
    """`work` on a reading connection, or in a writing transaction when `needs_write` (asked on that reading
    connection first) says it will write: a request that usually only reads takes no write lock for it."""
    with engine.connect() as conn:
        if not needs_write(conn):
            return work(conn)
    with transaction(engine) as conn:
        return work(conn)


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
