"""The fulfil seam: a verified request is answered only by a registered fulfiller, which closes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import fulfilment, service
from tests.builders.dsr import RECEIVED_AT, a_request
from tests.builders.legal import spectrumvoip
from tests.builders.records import an_account


@pytest.fixture
def no_fulfillers() -> Iterator[None]:
    saved = dict(fulfilment.FULFILLERS)
    fulfilment.FULFILLERS.clear()
    yield
    fulfilment.FULFILLERS.clear()
    fulfilment.FULFILLERS.update(saved)


def _verified(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> str:
    an_account(engine, keyring)
    receipt, token = a_request(engine, keyring, blobs)
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=1))
    return receipt.reference


def test_a_type_without_a_fulfiller_is_refused_not_pretended(engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
                                                             no_fulfillers: None) -> None:
    reference = _verified(engine, keyring, blobs)
    with transaction(engine) as conn, pytest.raises(fulfilment.FulfilmentNotWired):
        fulfilment.fulfil(conn, keyring, reference, actor="staff:dana", now=RECEIVED_AT)


def test_a_registered_fulfiller_answers_a_verified_request_and_closes_it(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, no_fulfillers: None) -> None:
    seen: list[int | None] = []

    def export(conn, keyring, request, actor, now):  # type: ignore[no-untyped-def]
        seen.append(request.account_id)
        return fulfilment.Outcome("export link sent")

    fulfilment.register("access", export)
    reference = _verified(engine, keyring, blobs)
    with transaction(engine) as conn:
        outcome = fulfilment.fulfil(conn, keyring, reference, actor="staff:dana", now=RECEIVED_AT)
        again = service.read(conn, keyring, reference, actor="staff:dana", now=RECEIVED_AT)
    assert outcome.summary == "export link sent" and seen == [again.account_id] and again.state == "fulfilled"
    with transaction(engine) as conn, pytest.raises(service.StepNotAllowed):
        fulfilment.fulfil(conn, keyring, reference, actor="staff:dana", now=RECEIVED_AT)
