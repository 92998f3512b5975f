"""Settings -> Runtime for CLI commands, and the one place CLI failures become exit codes."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from custodian.crypto.keyring import AccountShredded, KeyMismatch
from custodian.crypto.master import MasterKeyMissing, load_master_key
from custodian.db.engine import make_engine
from custodian.ingest.registry import UnknownFormat
from custodian.ingest.source import ImportFileError
from custodian.legal.service import RequestNotFound
from custodian.mail.smtp import Mailer
from custodian.retention.hold_service import HoldNotFound
from custodian.retention.service import NoPolicyInForce
from custodian.runtime import Runtime
from custodian.settings import Settings
from custodian.staff.service import SignInLimits

console = Console(stderr=True, soft_wrap=True)  # a failure is one line, however long
out = Console(soft_wrap=True)

EXPECTED_ERRORS: tuple[type[BaseException], ...] = (
    MasterKeyMissing, KeyMismatch, AccountShredded, ImportFileError, UnknownFormat, FileNotFoundError,
    ValueError, RequestNotFound, HoldNotFound, NoPolicyInForce,
)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process settings (environment, then `.env`)."""
    return Settings()


def runtime() -> Runtime:
    """Build the runtime from settings; fails with a one-line reason when not initialised."""
    s = settings()
    secret = s.master_key.get_secret_value() if s.master_key else None
    key = load_master_key(secret, s.master_key_path)
    mailer = Mailer(s.smtp_host, s.smtp_port, s.smtp_from, s.smtp_starttls, s.smtp_username,
                    s.smtp_password.get_secret_value() if s.smtp_password else None)
    return Runtime.build(s.resolved_database_url(), key, s.resolved_blob_dir(), mailer,
                         SignInLimits(*s.staff_limits()))


def database() -> Engine:
    """Just the database, for commands that read no personal data (audit verification)."""
    s = settings()
    embedded = s.data_dir / "custodian.db"
    if not s.database_url and not embedded.exists():
        # Connecting would create an empty SQLite file and then fail on the missing schema.
        raise FileNotFoundError(f"no database at {embedded}; run `custodian init`")
    return make_engine(s.resolved_database_url())


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
    except EXPECTED_ERRORS as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(code)
    except OperationalError as exc:
        # The driver's message names hosts and users; the reason is enough to act on.
        console.print(f"[red]error:[/red] database unavailable ({type(exc.orig).__name__}); "
                      "check CUSTODIAN_DATABASE_URL and that the server is running", highlight=False)
        sys.exit(code)
