"""Seed 002 P154: "SpectrumVoIP will comply with a Data Request sent from a Customer or End User only where
required by law and after a showing that such data cannot be obtained through the Admin Portal."

With `privacy_requests.portal_first` (set in 002's policy), a verified access or CPNI copy request of a customer
with an online account who did not say the portal cannot give the data is answered by pointing to the portal —
unless a privacy law requires an answer (the jurisdiction's deadline rule covers the type), which is never
turned away for that reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, insert, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.fulfillers import Answered, Desk, answer
from custodian.dsr.portal_first import points_to_portal
from custodian.dsr.tables import dsr_export
from custodian.portal.tables import portal_account
from tests.builders.dsr import LINK_BASE, RECEIVED_AT, a_request
from tests.builders.legal import spectrumvoip
from tests.builders.records import an_account

NOW = RECEIVED_AT + timedelta(hours=2)


def an_online_customer(engine: Engine, keyring: Keyring) -> int:
    """The canary account, with an online (portal) account."""
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        conn.execute(insert(portal_account).values(account_id=account_id, password_hash="argon2id-stand-in",
                                                   failed_attempts=0, created_at=RECEIVED_AT,
                                                   password_set_at=RECEIVED_AT))
    return account_id


def answered(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, **form: object) -> Answered:
    receipt, token = a_request(engine, keyring, blobs, account_ref="ACC-0001", **form)
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=1))
        return answer(conn, keyring, Desk(blobs, spectrumvoip(), LINK_BASE), receipt.reference, actor="staff:dana",
                      now=NOW)


def exports(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(dsr_export)).scalar_one())


def test_spectrumvoips_policy_puts_the_portal_first() -> None:
    assert spectrumvoip().document.privacy_requests.portal_first is True


@pytest.mark.parametrize("request_type", ["access", "cpni_copy"])
def test_without_a_showing_and_without_a_law_requiring_it_the_answer_points_to_the_portal(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, request_type: str) -> None:
    an_online_customer(engine, keyring)
    # Germany has no CPNI rule and the policy's table sets no deadline for access from "somewhere else"
    reply = answered(engine, keyring, blobs, request_type=request_type,
                     jurisdiction="ZZ" if request_type == "access" else "DE")
    assert f"{LINK_BASE}/portal/" in reply.mail.body and "Download everything" in reply.mail.body
    assert "say so on the form" in reply.mail.body
    assert reply.outcome.summary.startswith("pointed to the customer portal")
    assert exports(engine) == 0


def test_a_requester_who_says_the_portal_cannot_give_it_gets_the_copy(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    an_online_customer(engine, keyring)
    reply = answered(engine, keyring, blobs, jurisdiction="ZZ", portal_unavailable=True,
                     details="the portal shows only two years of calls")
    assert "/privacy/requests/download/" in reply.mail.body and exports(engine) == 1


@pytest.mark.parametrize(("request_type", "jurisdiction"), [("access", "US-CA"), ("access", "DE"),
                                                            ("cpni_copy", "US-TX")])
def test_a_request_a_privacy_law_requires_an_answer_to_is_never_turned_away_to_the_portal(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, request_type: str, jurisdiction: str) -> None:
    an_online_customer(engine, keyring)  # "only where required by law": here the law requires it
    reply = answered(engine, keyring, blobs, request_type=request_type, jurisdiction=jurisdiction)
    assert "/privacy/requests/download/" in reply.mail.body and "/portal/" not in reply.mail.body
    assert exports(engine) == 1


def test_a_customer_without_an_online_account_gets_the_copy(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    an_account(engine, keyring)
    reply = answered(engine, keyring, blobs, jurisdiction="ZZ")
    assert "/privacy/requests/download/" in reply.mail.body and exports(engine) == 1


def test_the_rule_concerns_only_access_and_cpni_copies_under_a_portal_first_policy() -> None:
    common = {"showing": False, "online_account": True, "due_on": None}
    assert points_to_portal(portal_first=True, request_type="access", **common)  # type: ignore[arg-type]
    assert not points_to_portal(portal_first=False, request_type="access", **common)  # type: ignore[arg-type]
    assert not points_to_portal(portal_first=True, request_type="deletion", **common)  # type: ignore[arg-type]
    assert not points_to_portal(portal_first=True, request_type="access", showing=True, online_account=True,
                                due_on=None)
    assert not points_to_portal(portal_first=True, request_type="access", showing=None, online_account=True,
                                due_on=RECEIVED_AT.date())
