"""Deadline reminders: the privacy contact is e-mailed, once per request, what is due within 5 days (issue 15 §3:
"e-mail reminders 5 days before a deadline")."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.deadline_reminders import remind_of_deadlines
from custodian.jobs.registry import JOBS
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.dsr import RECEIVED_AT, a_request
from tests.builders.legal import activate_spectrumvoip, spectrumvoip
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, an_account
from tests.builders.smtp import smtp_server

DUE = RECEIVED_AT + timedelta(days=45)  # California: 45 days


def _verified(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> str:
    receipt, token = a_request(engine, keyring, blobs)
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=1))
    return receipt.reference


def test_the_privacy_contact_is_reminded_once_five_days_before_and_no_personal_data_is_in_it(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    an_account(engine, keyring)
    reference = _verified(engine, keyring, blobs)
    with transaction(engine) as conn:
        assert remind_of_deadlines(conn, spectrumvoip(), now=DUE - timedelta(days=6)) is None
        mail = remind_of_deadlines(conn, spectrumvoip(), now=DUE - timedelta(days=5))
        again = remind_of_deadlines(conn, spectrumvoip(), now=DUE - timedelta(days=4))
    assert mail is not None and again is None
    assert mail.to == "privacy@spectrumvoip.com"
    assert f"{reference}: See the personal information" in mail.body
    assert "5 days left" in mail.body and CANARY_EMAIL not in mail.body and CANARY_NAME not in mail.body


def test_a_request_still_awaiting_its_e_mail_confirmation_is_not_counted(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    a_request(engine, keyring, blobs)
    with transaction(engine) as conn:
        assert remind_of_deadlines(conn, spectrumvoip(), now=DUE - timedelta(days=1)) is None


def test_the_job_mails_the_reminder(engine: Engine, master_key: bytes, blobs: LocalBlobStore) -> None:
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs)
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    _verified(engine, runtime.keyring(), blobs)
    with smtp_server() as (inbox, port):
        summary = JOBS["dsr-deadlines"](replace(runtime, mailer=Mailer("127.0.0.1", port, "custodian@example")),
                                        DUE - timedelta(days=2))
    assert summary == "1 privacy request due within 5 days: reminder sent to the privacy contact"
    assert [m["To"] for m in inbox.messages] == ["privacy@spectrumvoip.com"]
