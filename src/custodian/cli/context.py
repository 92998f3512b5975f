"""Settings -> Runtime for CLI commands, and the one place CLI failures become exit codes."""

from __future__ import annotations

import errno
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the runtime's dependencies load when a command first needs them
    from sqlalchemy import Engine
    from sqlalchemy.exc import OperationalError

    from custodian.runtime import Runtime
    from custodian.settings import Settings

DISK_FULL_SQLSTATE = "53100"  # PostgreSQL's disk_full


def expected_errors() -> tuple[type[BaseException], ...]:
    """The domain errors a command reports as one line (imported on the error path only)."""
    from custodian.backup.archive import BackupError
    from custodian.backup.deletion_log import DeletionLogBroken
    from custodian.crypto.blobs import BlobStoreUnwritable
    from custodian.crypto.keyring import AccountShredded, KeyMismatch
    from custodian.crypto.master import MasterKeyMissing
    from custodian.dsr.store import PrivacyRequestNotFound
    from custodian.ingest.registry import UnknownFormat
    from custodian.ingest.source import ImportFileError
    from custodian.legal.service import RequestNotFound
    from custodian.retention.hold_service import HoldNotFound
    from custodian.retention.service import NoPolicyInForce

    return (MasterKeyMissing, KeyMismatch, AccountShredded, BlobStoreUnwritable, ImportFileError, UnknownFormat,
            FileNotFoundError, ValueError, RequestNotFound, HoldNotFound, NoPolicyInForce, PrivacyRequestNotFound,
            BackupError, DeletionLogBroken)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process settings (environment, then `.env`)."""
    from custodian.settings import Settings

    return Settings()


def runtime(configured: Settings | None = None) -> Runtime:
    """Build the runtime from settings (or `configured`); fails with a one-line reason when not initialised."""
    from custodian.crypto.master import load_master_key
    from custodian.crypto.passwords import set_hashing_slots
    from custodian.mail.smtp import Mailer
    from custodian.runtime import Runtime
    from custodian.staff.service import SignInLimits
    from custodian.staff.throttle import Rate, ThrottleRates

    s = configured or settings()
    secret = s.master_key.get_secret_value() if s.master_key else None
    key = load_master_key(secret, s.master_key_path)
    mailer = Mailer(s.smtp_host, s.smtp_port, s.smtp_from, s.smtp_starttls, s.smtp_username,
                    s.smtp_password.get_secret_value() if s.smtp_password else None)
    set_hashing_slots(s.password_hash_slots)
    return Runtime.build(s.resolved_database_url(), key, s.resolved_blob_dir(), mailer,
                         SignInLimits(*s.staff_limits()), ThrottleRates(*(Rate(*r) for r in s.throttle_rates())),
                         deletion_log=s.deletion_log_path, replica_url=s.replica_database_url)


def writing_runtime() -> Runtime:
    """The runtime of a command that writes: the master key is checked against the stored keys first, so a
    wrong key stops the command with one line (KeyMismatch) before anything is written."""
    rt = runtime()
    with rt.engine.connect() as conn:
        rt.keyring().verify(conn)
    return rt


@contextmanager
def holding_job_lock(rt: Runtime, name: str) -> Iterator[None]:
    """Run the block as job NAME, alone: a second run while one is live exits 75 ("already running")."""
    from custodian.jobs.lock import job_lock

    with job_lock(rt.engine, name, settings().data_dir):
        yield


def database() -> Engine:
    """Just the database, for commands that read no personal data (audit verification); any deletion made
    through it is still recorded in the deletion log."""
    from custodian.backup import deletions
    from custodian.backup.deletion_log import DeletionLog
    from custodian.db.engine import make_engine

    s = settings()
    embedded = s.data_dir / "custodian.db"
    if not s.database_url and not embedded.exists():
        # Connecting would create an empty SQLite file and then fail on the missing schema.
        raise FileNotFoundError(f"no database at {embedded}; run `custodian init`")
    engine = make_engine(s.resolved_database_url())
    deletions.attach(engine, DeletionLog(s.deletion_log_path))
    return engine


def actor() -> str:
    """Who runs this command, for the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


@contextmanager
def failures(code: int = 1) -> Iterator[None]:
    """Turn expected domain errors into `error: reason` on stderr and a non-zero exit."""
    try:
        yield
    except Exception as exc:
        exit_code = _failure_exit_code(exc, code)
        if exit_code is None:
            raise
        sys.exit(exit_code)


def _failure_exit_code(exc: Exception, code: int) -> int | None:
    """Report an expected failure as one line and give its exit code; None for an unexpected one."""
    from custodian.cli.terminal import report_error
    from custodian.jobs.lock import EX_TEMPFAIL, JobAlreadyRunning

    if isinstance(exc, JobAlreadyRunning):
        report_error(exc)
        return EX_TEMPFAIL  # cron may try again; the live run is left alone
    if isinstance(exc, expected_errors()):
        report_error(exc)
        return code
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            # The driver's message names hosts and users; the reason is enough to act on.
            report_error(database_failure(exc))
            return code
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        report_error(f"no space left on the disk holding {exc.filename or settings().data_dir.resolve()}")
        return code
    return None


def database_failure(exc: OperationalError) -> str:
    """One line for a database error. A full disk names the disk (the SQLite file's directory, or the
    database server's), never the database URL, which may carry a password."""
    from sqlalchemy import make_url

    if "disk is full" in str(exc.orig) or getattr(exc.orig, "sqlstate", None) == DISK_FULL_SQLSTATE:
        url = make_url(settings().resolved_database_url())
        if url.get_backend_name() == "sqlite" and url.database:
            return f"no space left on the disk holding the database in {Path(url.database).parent}"
        return "the database server's disk is full (PostgreSQL refused the write); free space on it"
    return (f"database unavailable ({type(exc.orig).__name__}); "
            "check CUSTODIAN_DATABASE_URL and that the server is running")
