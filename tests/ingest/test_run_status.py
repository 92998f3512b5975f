"""A run whose process is gone is shown as interrupted, never `running` forever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from custodian.ingest.run_status import INTERRUPTED, RUNNING, STALE_AFTER, RunOwner, shown_status

NOW = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
OWNER = RunOwner("importer-1", 4242, "98765")


def test_a_run_whose_process_died_on_this_host_is_interrupted_at_once() -> None:
    assert shown_status(RUNNING, OWNER, NOW, now=NOW, here="importer-1", alive=lambda _o: False) == INTERRUPTED
    assert shown_status(RUNNING, OWNER, NOW - timedelta(days=3), now=NOW, here="importer-1",
                        alive=lambda _o: True) == RUNNING  # a slow but live run stays running


def test_a_run_owned_by_another_host_is_interrupted_once_its_heartbeat_is_stale() -> None:
    fresh = NOW - STALE_AFTER + timedelta(seconds=1)
    assert shown_status(RUNNING, OWNER, fresh, now=NOW, here="web-2", alive=lambda _o: False) == RUNNING
    assert shown_status(RUNNING, OWNER, NOW - STALE_AFTER - timedelta(seconds=1), now=NOW, here="web-2",
                        alive=lambda _o: True) == INTERRUPTED


def test_a_run_from_before_owners_were_recorded_is_judged_by_its_age() -> None:
    assert shown_status(RUNNING, None, NOW - timedelta(hours=1), now=NOW, here="importer-1",
                        alive=lambda _o: True) == INTERRUPTED


@given(status=st.sampled_from(["completed", "failed"]), alive=st.booleans(), age=st.integers(0, 10**6))
def test_a_finished_run_keeps_its_recorded_outcome(status: str, alive: bool, age: int) -> None:
    assert shown_status(status, OWNER, NOW - timedelta(seconds=age), now=NOW, here="importer-1",
                        alive=lambda _o: alive) == status
