"""Portal corrections the policy holds for evidence: which ones, and the request they open for staff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.portal_corrections import CorrectionRefused, needs_evidence, queue_correction
from tests.builders.legal import spectrumvoip
from tests.builders.records import an_account

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)


def test_by_default_only_a_change_of_name_needs_evidence() -> None:
    policy = spectrumvoip()
    assert needs_evidence(policy, "name")
    assert not needs_evidence(policy, "address") and not needs_evidence(policy, "phone")


def test_the_request_is_verified_by_the_sign_in_and_due_under_the_customers_state(engine: Engine,
                                                                                   keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        reference = queue_correction(conn, keyring, spectrumvoip(), account_id, "name", "  Ada   Byron ", NOW)
        request = service.read(conn, keyring, reference, actor="staff:dana", now=NOW)
    assert (request.state, request.account_id, request.verified_at) == ("in_progress", account_id, NOW)
    assert request.details.details == "Correct the name to: Ada Byron"
    assert request.jurisdiction == "US-TX"  # from the postal address of record (Austin, TX)
    assert request.due_on == NOW.date() + timedelta(days=45)  # Tex. Bus. & Com. Code 541.052


def test_an_empty_new_value_is_refused_and_nothing_is_queued(engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn, pytest.raises(CorrectionRefused):
        queue_correction(conn, keyring, spectrumvoip(), account_id, "name", "   ", NOW)
    with engine.connect() as conn:
        assert service.queue(conn) == []
