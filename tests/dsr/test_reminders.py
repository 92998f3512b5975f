"""The verification job: one reminder after 24 hours, expiry after 7 days (issue 15 §3: "an e-mail link valid
7 days (a reminder after 24 hours; unverified requests expire)")."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.reminders import Swept, remind_and_expire
from custodian.dsr.tables import privacy_request
from custodian.jobs.registry import JOBS
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.dsr import LINK_BASE, RECEIVED_AT, a_request, link_token
from tests.builders.legal import activate_spectrumvoip, spectrumvoip
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import smtp_server


def _sweep(engine: Engine, keyring: Keyring, hours: float) -> Swept:
    with transaction(engine) as conn:
        return remind_and_expire(conn, keyring, spectrumvoip(), link_base=LINK_BASE,
                                 now=RECEIVED_AT + timedelta(hours=hours))


def _state(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(privacy_request.c.state)).scalar_one())


def test_nothing_is_sent_before_24_hours(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    a_request(engine, keyring, blobs)
    assert (_sweep(engine, keyring, 23).reminded, _state(engine)) == (0, "awaiting_verification")


def test_one_reminder_with_a_fresh_link_that_still_ends_seven_days_after_receipt(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    a_request(engine, keyring, blobs)
    swept = _sweep(engine, keyring, 25)
    assert swept.reminded == 1 and swept.mail[0].to == CANARY_EMAIL
    assert swept.mail[0].subject.startswith("Reminder")
    assert _sweep(engine, keyring, 30).reminded == 0  # once only
    fresh = link_token(swept.mail[0].body)
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), fresh, now=RECEIVED_AT + timedelta(days=6))
    assert _state(engine) == "unverified"  # no account in this store: confirmed, not matched


def test_an_unconfirmed_request_expires_after_seven_days(engine: Engine, keyring: Keyring,
                                                         blobs: LocalBlobStore) -> None:
    a_request(engine, keyring, blobs)
    assert _sweep(engine, keyring, 7 * 24 - 1).expired == 0
    assert _sweep(engine, keyring, 7 * 24).expired == 1
    assert _state(engine) == "expired"
    assert _sweep(engine, keyring, 8 * 24).expired == 0


def test_the_job_mails_the_reminder_through_the_mail_server(engine: Engine, master_key: bytes,
                                                            blobs: LocalBlobStore) -> None:
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs)
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    a_request(engine, runtime.keyring(), blobs)
    with smtp_server() as (inbox, port):
        mailed = replace(runtime, mailer=Mailer("127.0.0.1", port, "privacy@provider.example"))
        summary = JOBS["dsr-verification"](mailed, RECEIVED_AT + timedelta(hours=25))
    assert summary == "1 privacy requests reminded (1 mails sent), 0 expired"
    assert [m["To"] for m in inbox.messages] == [CANARY_EMAIL]


def test_the_blob_sweep_keeps_an_agents_authorization(engine: Engine, keyring: Keyring,
                                                      blobs: LocalBlobStore) -> None:
    from custodian.dsr.desk_key import DSR_OWNER, dsr_cipher
    from custodian.jobs.registry import sweep_blobs
    from tests.builders.dsr import A_PDF, pdf_base64

    a_request(engine, keyring, blobs, agent_name="Agent LLC", authorization_pdf_base64=pdf_base64())
    sweep_blobs(Runtime(engine, keyring.master_key, blobs), datetime.now(UTC) + timedelta(hours=2))
    with transaction(engine) as conn:
        key = conn.execute(select(privacy_request.c.authorization_blob_key)).scalar_one()
        assert blobs.read(dsr_cipher(conn, keyring), DSR_OWNER, key) == A_PDF
