"""Policy versions: every activation kept with its hash, effective time and who activated it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.policy import store
from tests.builders.policy import SMALL_POLICY, policy_with

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
REVISED = policy_with("Tell customers about new plans.", "Tell customers about new plans and offers.")


def test_activating_stores_the_version_and_audits_it(engine: Engine) -> None:
    with transaction(engine) as conn:
        version = store.activate(conn, SMALL_POLICY, actor="cli:officer", effective_at=NOW, now=NOW)
    with transaction(engine) as conn:
        assert store.in_force(conn, NOW) == version
        event, = audit.iter_events(conn)
    assert (event.action, event.actor, event.detail["version"]) == ("policy.activate", "cli:officer",
                                                                   version.version_hash)
    assert (version.activated_by, version.provider_name) == ("cli:officer", "Example Telecom, Inc.")
    assert version.compiled().version_hash == version.version_hash


def test_the_version_in_force_is_the_latest_whose_effective_time_has_come(engine: Engine) -> None:
    with transaction(engine) as conn:
        first = store.activate(conn, SMALL_POLICY, actor="a", effective_at=NOW - timedelta(days=30), now=NOW)
        later = store.activate(conn, REVISED, actor="a", effective_at=NOW + timedelta(days=30), now=NOW)
    with transaction(engine) as conn:
        assert store.in_force(conn, NOW) == first
        assert store.in_force(conn, NOW + timedelta(days=31)) == later
        assert store.in_force(conn, NOW - timedelta(days=31)) is None
        assert [v.version_hash for v in store.history(conn)] == [later.version_hash, first.version_hash]
        assert store.by_hash(conn, first.version_hash) == first


def test_an_invalid_policy_cannot_be_activated(engine: Engine) -> None:
    with transaction(engine) as conn, pytest.raises(ValueError, match="not valid"):
        store.activate(conn, SMALL_POLICY.replace("custodian_policy: 1", "custodian_policy: 2"), actor="a",
                       effective_at=NOW, now=NOW)
    with transaction(engine) as conn:
        assert store.history(conn) == []
