"""The assembled services one process works with: engine, master key, blob store."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from custodian.backup import deletions
from custodian.backup.deletion_log import DeletionLog
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import make_engine
from custodian.mail.smtp import Mailer
from custodian.staff.service import SignInLimits
from custodian.staff.throttle import ThrottleRates, bucket_secret


@dataclass
class Runtime:
    """Built once per process by an edge (app, CLI, job) from its settings."""

    engine: Engine
    master_key: bytes
    blobs: LocalBlobStore
    mailer: Mailer | None = None  # customer notices (CPNI change notices); None sends nothing
    sign_in: SignInLimits = field(default_factory=SignInLimits)  # staff lockout and session timeouts
    throttle: ThrottleRates = field(default_factory=ThrottleRates)  # sign-in and intake attempts per address
    replica: Engine | None = None  # a streaming replica for reporting reads (reading_engine)
    _replica_down: bool = field(default=False, repr=False)

    @classmethod
    def build(cls, database_url: str, master_key: bytes, blob_dir: Path, mailer: Mailer | None = None,
              sign_in: SignInLimits | None = None, throttle: ThrottleRates | None = None,
              deletion_log: Path | None = None, replica_url: str | None = None) -> Runtime:
        """Connect to the database (and the replica), open the blob store, attach the deletion log."""
        engine = make_engine(database_url)
        if deletion_log is not None:
            deletions.attach(engine, DeletionLog(deletion_log))
        return cls(engine=engine, master_key=master_key, blobs=LocalBlobStore(blob_dir),
                   mailer=mailer, sign_in=sign_in or SignInLimits(), throttle=throttle or ThrottleRates(),
                   replica=make_engine(replica_url, connect_timeout=3) if replica_url else None)

    def reading_engine(self) -> Engine:
        """Where read-only reporting reads go: the replica when one is configured and answers, else the primary.

        Losing the replica is logged once (and its return once); no read ever fails because of it.
        """
        if self.replica is None:
            return self.engine
        try:
            with self.replica.connect():
                pass
        except OperationalError:
            if not self._replica_down:
                _log.warning("read replica unreachable: reporting reads go to the primary database")
                self._replica_down = True
            return self.engine
        if self._replica_down:
            _log.warning("read replica reachable again: reporting reads go to it")
            self._replica_down = False
        return self.replica

    def bucket_secret(self) -> bytes:
        """The key naming rate buckets (derived from the master key)."""
        return bucket_secret(self.master_key)

    def keyring(self) -> Keyring:
        """A fresh keyring for one unit of work (a request, an import, a job run)."""
        return Keyring(self.master_key)


_log = logging.getLogger(__name__)
