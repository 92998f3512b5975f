"""SMS keywords from the provider's gateway: signed, recorded in the ledger, answered in TwiML (CTIA)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from tests.builders.consent_web import a_number, ledger, spectrumvoip_app, texted  # noqa: F401
from tests.builders.records import an_account

from custodian.app import create_app
from custodian.audit.tables import audit_event
from custodian.consent import service
from custodian.consent.keyword_tables import sms_keyword_number
from custodian.consent.sms_inbound import kept_numbers
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.runtime import Runtime

LINE = "+15125550142"
STRANGER = "+15125550177"


def decision(engine: Engine, account_id: int, medium: str) -> tuple[bool, str]:
    """The consent decision for SpectrumVoIP's e-mail marketing, contacting the account by `medium`."""
    now = utcnow() + timedelta(seconds=1)
    with engine.connect() as conn:
        policy = policy_store.in_force(conn, now).compiled()  # type: ignore[union-attr]
        found = service.load_snapshot(conn, policy, now).allowed(account_id, "marketing", now, medium)
    return found.allowed, found.basis


def test_stop_from_a_customers_line_opts_the_account_out_of_marketing_texts_only(
        spectrumvoip_app: TestClient, engine: Engine, keyring: Keyring) -> None:  # noqa: F811
    account_id = an_account(engine, keyring)
    a_number(engine, keyring, account_id, LINE)
    answered = texted(spectrumvoip_app, LINE, "  Stop ")
    assert answered.status_code == 200 and answered.headers["content-type"].startswith("application/xml")
    assert "<Message>SpectrumVoIP, Inc.: you are unsubscribed" in answered.text
    assert ledger(engine) == [(account_id, None, "marketing", "sms", "denied", "sms_keyword")]
    assert decision(engine, account_id, "sms") == (False, "opted out")
    assert decision(engine, account_id, "email") == (True, "opt_out not exercised")
    with engine.connect() as conn:
        [actor] = conn.execute(select(audit_event.c.actor).where(audit_event.c.action == "consent.recorded")).scalars()
    assert actor == "sms-gateway"


def test_start_after_stop_opts_back_in_to_what_stop_covered(
        spectrumvoip_app: TestClient, engine: Engine, keyring: Keyring) -> None:  # noqa: F811
    account_id = an_account(engine, keyring)
    a_number(engine, keyring, account_id, LINE)
    texted(spectrumvoip_app, LINE, "UNSUBSCRIBE")
    answered = texted(spectrumvoip_app, LINE, "unstop")
    assert "subscribed again" in answered.text
    assert ledger(engine)[-1] == (account_id, None, "marketing", "sms", "granted", "sms_keyword")
    assert decision(engine, account_id, "sms")[0] is True


def test_help_answers_with_the_programs_help_text_and_records_no_choice(
        spectrumvoip_app: TestClient, engine: Engine) -> None:  # noqa: F811
    answered = texted(spectrumvoip_app, LINE, "help")
    assert "Reply STOP to opt out." in answered.text and "Accounting@spectrumvoip.com" in answered.text
    assert ledger(engine) == []


def test_a_message_that_is_no_keyword_gets_an_empty_answer_and_records_nothing(
        spectrumvoip_app: TestClient, engine: Engine) -> None:  # noqa: F811
    answered = texted(spectrumvoip_app, LINE, "please stop calling me at dinner")
    assert answered.status_code == 200 and answered.text.endswith("<Response></Response>")
    assert ledger(engine) == []


def test_a_stranger_is_honoured_under_an_anonymous_subject_that_is_not_the_number(
        spectrumvoip_app: TestClient, engine: Engine, keyring: Keyring) -> None:  # noqa: F811
    earlier = an_account(engine, keyring)
    a_number(engine, keyring, earlier, STRANGER, until=utcnow() - timedelta(days=30))  # no longer theirs
    texted(spectrumvoip_app, STRANGER, "QUIT")
    [(account_id, subject, purpose, medium, choice, channel)] = ledger(engine)
    assert account_id is None and subject is not None and subject.startswith("sms-")
    assert "5125550177" not in subject and (purpose, medium, choice, channel) == ("marketing", "sms", "denied",
                                                                                   "sms_keyword")
    with engine.connect() as conn:
        stored = conn.execute(select(sms_keyword_number.c.number_enc)).scalar_one()
        assert STRANGER.encode() not in stored
        assert kept_numbers(conn, keyring) == {subject: STRANGER}


def test_an_unsigned_or_badly_signed_message_is_refused(
        spectrumvoip_app: TestClient, engine: Engine) -> None:  # noqa: F811
    assert texted(spectrumvoip_app, LINE, "STOP", secret="not-the-gateway").status_code == 403
    unsigned = spectrumvoip_app.post("/api/v1/sms/inbound", data={"From": LINE, "Body": "STOP"})
    assert unsigned.status_code == 403 and unsigned.json()["error"]["code"] == "bad_signature"
    assert ledger(engine) == []


def test_without_a_gateway_secret_the_endpoint_is_closed_and_records_nothing(
        engine: Engine, master_key: bytes, tmp_path: Path) -> None:
    with TestClient(create_app(Runtime(engine, master_key, LocalBlobStore(tmp_path)))) as client:
        answered = texted(client, LINE, "STOP")
    assert answered.status_code == 503 and answered.json()["error"]["code"] == "sms_gateway_not_configured"
    assert ledger(engine) == []
