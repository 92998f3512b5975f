"""No personal data and no staff secret in the logs of a whole console journey (DESIGN.md: "No
personal data in application logs"), with every logger down to DEBUG, SQL parameters included."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from custodian.app import create_app
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.smtp import smtp_server
from tests.builders.staff import CPNI_PASSWORD, SECRET_ANSWER, SECRET_QUESTION, STAFF_PASSWORD, Staff, sign_in
from tests.test_no_personal_data_in_logs import LogCapture, logs  # noqa: F401  (the fixture)

NEW_EMAIL = "quillfeather.new@canary.example"
NEW_CPNI_PASSWORD = "osprey-kettle-58"
NEW_QUESTION = "Which lighthouse did you visit as a child?"
NEW_ANSWER = "Featherpoint Light"


def test_a_console_journey_logs_no_subscriber_value_and_no_staff_secret(
        runtime: Runtime, rep: Staff, account_id: int, logs: LogCapture,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The test's SMTP server (aiosmtpd, logger "mail.log") logs what it receives: that is the
    # customer's mailbox, not Custodian's log.
    monkeypatch.setattr(logging.getLogger("mail.log"), "disabled", True)
    with smtp_server() as (_inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        with TestClient(create_app(runtime)) as client:
            csrf = sign_in(client, rep)
            client.get("/console/lookup", params={"q": "zephyrine.quillfeather@canary.example"})
            url = str(client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "technical",
                                                            "channel": "inbound_call", "csrf_token": csrf}).url)
            client.post(url + "/cpni-mail", data={"csrf_token": csrf})
            client.post(url + "/cpni", data={"method": "password", "given": "wrong-guess-1", "unprompted": "yes",
                                             "csrf_token": csrf})
            client.post(url + "/cpni", data={"method": "secret_question", "given": SECRET_ANSWER,
                                             "unprompted": "yes", "csrf_token": csrf})
            billing = str(client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "billing",
                                                                "channel": "email", "csrf_token": csrf}).url)
            client.post(billing + "/address-of-record", data={"email": NEW_EMAIL, "csrf_token": csrf})
            client.post(billing + "/secrets", data={"change": "password", "secret": NEW_CPNI_PASSWORD,
                                                    "repeat": NEW_CPNI_PASSWORD, "csrf_token": csrf})
            client.post(billing + "/secrets", data={"change": "secret_question", "question": NEW_QUESTION,
                                                    "secret": NEW_ANSWER, "csrf_token": csrf})
            client.post("/console/break-glass", data={"account_ref": "ACC-0001", "csrf_token": csrf,
                                                      "reason": "outage, ticket system down"})
    logs.assert_no_canary()
    for secret in (STAFF_PASSWORD, rep.totp_secret, NEW_EMAIL, CPNI_PASSWORD, SECRET_QUESTION, SECRET_ANSWER,
                   NEW_CPNI_PASSWORD, NEW_QUESTION, NEW_ANSWER, "wrong-guess-1"):
        assert not any(secret in text for text in logs.texts()), secret
