"""Preservation requests: a legal hold and an encrypted one-time snapshot per matched account, 90 days,
extendable once by 90, linked to a later data request, deleted on day 91 with a receipt."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.legal import preservation, service, submission
from custodian.legal.tables import legal_preservation
from custodian.retention import hold_service
from tests.builders.legal import a_request, spectrumvoip
from tests.legal.test_production import NOW, _load


def _preserved(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path) -> int:
    _load(engine, keyring, blobs, tmp)
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(
            kind="preservation", instrument=None, record_classes=["cpni.call_log", "subscriber.basic"]),
            channel="staff", actor="staff", now=NOW)
        assert done.state == "in_review", done.problems
        preservation.preserve(conn, keyring, blobs, spectrumvoip(), done.request_id, actor="staff", now=NOW)
    return done.request_id


def test_each_matched_account_is_held_and_snapshotted(engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
                                                       tmp_path: Path) -> None:
    """'SpectrumVoIP will generally agree to preserve a one-time snapshot of the then-existing account data that
    the Preservation Request specifies for ninety (90) days'."""
    request_id = _preserved(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        holds = hold_service.list_holds(conn, NOW, source_prefix=f"legal:preservation:{request_id}")
        rows = conn.execute(select(legal_preservation).order_by(legal_preservation.c.account_id)).all()
        first = rows[0].account_id
        keyring.shred(conn, first)  # the customer deletes their account: preserved evidence survives
        snapshot = preservation.snapshot_bytes(conn, keyring, blobs, request_id, first)
        state = service.get(conn, keyring, request_id).state
    assert len(holds) == 2 and all(h.until == NOW + timedelta(days=90) for h in holds)
    assert {h.classes for h in holds} == {frozenset({"cpni.call_log", "subscriber.basic"})}
    assert state == "approved" and len(rows) == 2
    with zipfile.ZipFile(io.BytesIO(snapshot)) as archive:
        assert "+14155550142" in archive.read("call_log.csv").decode()
        assert "manifest.json" in archive.namelist()
    on_disk = b"".join(p.read_bytes() for p in blobs.root.rglob("*") if p.is_file())
    assert b"+14155550142" not in on_disk


def test_a_preservation_is_extendable_once_by_ninety_days(engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
                                                          tmp_path: Path) -> None:
    request_id = _preserved(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        until = preservation.extend(conn, keyring, spectrumvoip(), request_id, actor="staff", now=NOW)
        assert until == NOW + timedelta(days=180)
        with pytest.raises(service.DeskRuleBroken, match="1 time"):
            preservation.extend(conn, keyring, spectrumvoip(), request_id, actor="staff", now=NOW)
        holds = hold_service.list_holds(conn, NOW, source_prefix=f"legal:preservation:{request_id}")
    assert all(h.until == until for h in holds)


def test_on_day_ninety_one_the_snapshot_is_deleted_with_a_receipt(engine: Engine, keyring: Keyring,
                                                                  blobs: LocalBlobStore, tmp_path: Path) -> None:
    """'On the ninety-first (91st) day the preserved data may be deleted unless the requestor has provided a
    formal Data Request in the interim.'"""
    request_id = _preserved(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        assert preservation.expire(conn, blobs, actor="job", now=NOW + timedelta(days=89, hours=23)) == []
        receipts = preservation.expire(conn, blobs, actor="job", now=NOW + timedelta(days=90))
        assert preservation.expire(conn, blobs, actor="job", now=NOW + timedelta(days=91)) == []  # idempotent
        rows = conn.execute(select(legal_preservation)).all()
        state = service.get(conn, keyring, request_id).state
        holds = hold_service.list_holds(conn, NOW + timedelta(days=90), source_prefix="legal:preservation:")
    assert len(receipts) == 2 and all(r["blob_removed"] for r in receipts)
    assert all(r.snapshot_blob_key is None and json.loads(r.receipt)["sha256"] == r.snapshot_sha256 for r in rows)
    assert state == "closed" and holds == []


def test_a_linked_data_request_keeps_the_snapshot_until_it_is_finished(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    request_id = _preserved(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        data = submission.submit(conn, keyring, spectrumvoip(), a_request(), channel="staff", actor="staff", now=NOW)
        preservation.link(conn, keyring, request_id, data.request_id, actor="staff", now=NOW)
        assert preservation.expire(conn, blobs, actor="job", now=NOW + timedelta(days=120)) == []
        service.transition(conn, data.request_id, keyring, "withdrawn", actor="staff", reason="done", now=NOW)
        assert len(preservation.expire(conn, blobs, actor="job", now=NOW + timedelta(days=120))) == 2
