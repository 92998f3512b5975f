"""PostgreSQL: a time rule that expires a whole month partition with no held rows drops the partition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.records.tables import content_item
from custodian.retention import hold_service
from custodian.retention.executor import run_retention
from custodian.retention.planner import build_plan
from custodian.retention.service import receipts
from tests.builders.records import an_account
from tests.builders.retention import add_content, spectrumvoip_schedule

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
OLD_MONTH = datetime(2026, 1, 10, tzinfo=UTC)  # January: wholly before NOW − 90 days


def _partitions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                     "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'content_item'"))
                   .scalars())


@pytest.fixture
def pg(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("partitions exist on PostgreSQL only")
    return engine


def test_an_expired_month_of_only_covered_rows_is_dropped_whole(pg: Engine, keyring: Keyring,
                                                                blobs: LocalBlobStore) -> None:
    acc = an_account(pg, keyring)
    with transaction(pg) as conn:
        for i in range(4):
            add_content(conn, acc, "content.call_recording", OLD_MONTH + timedelta(days=i), keyring=keyring,
                        blobs=blobs, body=b"january")
        add_content(conn, acc, "content.call_recording", datetime(2026, 3, 1, tzinfo=UTC))  # expired, month not whole
        young = add_content(conn, acc, "content.call_recording", NOW - timedelta(days=5))
    with pg.connect() as conn:
        assert build_plan(conn, spectrumvoip_schedule(), NOW).deletions == {"content.call_recording": 5}
    run_retention(pg, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW, actor="t")
    assert "content_item_y2026m01" not in _partitions(pg)
    assert "content_item_y2026m03" in _partitions(pg)
    with pg.connect() as conn:
        assert set(conn.execute(select(content_item.c.record_key)).scalars()) == {young}
        assert receipts(conn)[0].deleted == {"content.call_recording": 5}
    assert list(blobs.stored()) == []


def test_a_month_with_a_held_row_is_kept_and_swept_row_by_row(pg: Engine, keyring: Keyring,
                                                              blobs: LocalBlobStore) -> None:
    acc = an_account(pg, keyring)
    held_acc = an_account(pg, keyring, ref="HELD")
    with transaction(pg) as conn:
        add_content(conn, acc, "content.call_recording", OLD_MONTH)
        kept = add_content(conn, held_acc, "content.call_recording", OLD_MONTH)
        hold_service.place_hold(conn, account_id=held_acc, until=NOW + timedelta(days=30), reason="2703(f)",
                                source="cli", actor="t", now=NOW - timedelta(days=1))
    run_retention(pg, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW, actor="t")
    assert "content_item_y2026m01" in _partitions(pg)
    with pg.connect() as conn:
        assert set(conn.execute(select(content_item.c.record_key)).scalars()) == {kept}


def test_a_month_with_rows_of_another_class_is_not_dropped(pg: Engine, keyring: Keyring,
                                                           blobs: LocalBlobStore) -> None:
    acc = an_account(pg, keyring)
    with transaction(pg) as conn:
        add_content(conn, acc, "content.call_recording", OLD_MONTH)
        voice = add_content(conn, acc, "content.voice_message", OLD_MONTH)  # under the 200 cap: kept
    run_retention(pg, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW, actor="t")
    assert "content_item_y2026m01" in _partitions(pg)
    with pg.connect() as conn:
        assert set(conn.execute(select(content_item.c.record_key)).scalars()) == {voice}
