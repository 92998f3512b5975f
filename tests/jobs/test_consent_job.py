"""The `consent-cpni-notices` job: the CPNI opt-out notices due, each sent once (47 CFR 64.2008(d))."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from custodian.consent.tables import cpni_notice
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.jobs.registry import JOBS
from custodian.runtime import Runtime
from tests.builders.consent import T0, activate
from tests.builders.records import an_account


def test_the_job_writes_each_due_notice_once(engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODIAN_DATA_DIR", str(tmp_path))
    activate(engine)
    an_account(engine, keyring, email="")
    runtime = Runtime(engine=engine, master_key=keyring.master_key, blobs=blobs, mailer=None)
    first = JOBS["consent-cpni-notices"](runtime, T0)
    second = JOBS["consent-cpni-notices"](runtime, T0 + timedelta(days=1))
    assert first == "0 CPNI notices e-mailed, 1 letters written, 0 not sent"
    assert second == "0 CPNI notices e-mailed, 0 letters written, 0 not sent"
    assert len(list((tmp_path / "letters").iterdir())) == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(cpni_notice)).scalar() == 1
