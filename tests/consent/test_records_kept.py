"""Records of approvals and notices are kept: erasing an account and running retention leave the ledger whole."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from custodian.consent import cpni, service
from custodian.consent.tables import consent_entry, cpni_campaign, cpni_notice
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr.erasure import erase_account
from custodian.retention.executor import run_retention
from tests.builders.consent import T0, activate, record
from tests.builders.records import an_account
from tests.builders.retention import spectrumvoip_schedule


def test_erasure_and_retention_never_delete_consent_records(engine: Engine, keyring: Keyring,
                                                            blobs: LocalBlobStore, tmp_path: Path) -> None:
    """47 CFR 64.2007(a)(3): "A telecommunications carrier must maintain records of approval, whether oral, written
    or electronic, for at least one year"; 64.2009(d): campaign approvals kept "for a minimum period of one year"."""
    policy = activate(engine)
    account_id = an_account(engine, keyring, email="")  # no e-mail of record: the notice goes by post
    record(engine, policy, account_id, "calling_plan_offers", "denied", T0)
    with transaction(engine) as conn:
        rules = service.purpose_rules(conn, policy, T0)
        cpni.approve_campaign(conn, rules, name="Plans", purpose="calling_plan_offers", description="Plans.",
                              supervisor="mgarcia", actor="test", now=T0)
    cpni.send_due(engine, keyring, policy, rules, cpni.notice_terms(policy, rules, "https://x.example"), None,
                  letters_dir=tmp_path / "letters", actor="test", now=T0)
    with transaction(engine) as conn:
        erase_account(conn, keyring, account_id, kept_classes=frozenset(), actor="test", now=T0 + timedelta(days=1))
    run_retention(engine, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=T0 + timedelta(days=800),
                  actor="test")
    with engine.connect() as conn:
        counts = [conn.execute(select(func.count()).select_from(table)).scalar() for table in
                  (consent_entry, cpni_notice, cpni_campaign)]
    assert counts == [1, 1, 1]
