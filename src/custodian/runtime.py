"""The assembled services one process works with: engine, master key, blob store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

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

    @classmethod
    def build(cls, database_url: str, master_key: bytes, blob_dir: Path, mailer: Mailer | None = None,
              sign_in: SignInLimits | None = None, throttle: ThrottleRates | None = None) -> Runtime:
        """Connect to the database and open the blob store."""
        return cls(engine=make_engine(database_url), master_key=master_key, blobs=LocalBlobStore(blob_dir),
                   mailer=mailer, sign_in=sign_in or SignInLimits(), throttle=throttle or ThrottleRates())

    def bucket_secret(self) -> bytes:
        """The key naming rate buckets (derived from the master key)."""
        return bucket_secret(self.master_key)

    def keyring(self) -> Keyring:
        """A fresh keyring for one unit of work (a request, an import, a job run)."""
        return Keyring(self.master_key)
