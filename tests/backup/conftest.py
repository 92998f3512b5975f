"""A deletion log attached to the test engine, as the runtime attaches one to its engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from custodian.backup import deletions
from custodian.backup.deletion_log import DeletionLog


@pytest.fixture
def deletion_log(engine: Engine, tmp_path: Path) -> DeletionLog:
    log = DeletionLog(tmp_path / "data" / "deletion-log" / "deletions.jsonl")
    deletions.attach(engine, log)
    return log
