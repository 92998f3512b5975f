"""No personal data in the logs of a portal journey (DESIGN.md, "Protecting the data"): enrolment with the
e-mail of record, the one-time code, the password, records, and corrections to canary values, while every log
record down to DEBUG is captured (SQL statements and their parameters included)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.builders.records import CANARY_EMAIL, CANARY_NAME, CANARY_STREET, CANARY_SURNAME
from tests.builders.smtp import Inbox
from tests.test_no_personal_data_in_logs import LogCapture, logs  # noqa: F401  (the capture fixture)
from tests.web.portal.conftest import ONLINE_PASSWORD, code_in, enrol


def test_a_portal_journey_logs_no_personal_value(portal: tuple[TestClient, Inbox], account_id: int,
                                                  logs: LogCapture, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    caplog.set_level(logging.WARNING, logger="mail.log")  # the test's own SMTP server logs what it receives
    client, inbox = portal
    csrf = enrol(client, inbox)
    code = code_in(inbox)
    for path in ("/portal/account", "/portal/records/cpni.call_log", "/portal/details", "/portal/settings"):
        assert client.get(path).status_code == 200
    client.post("/portal/details/name", data={"first_name": CANARY_NAME, "last_name": CANARY_SURNAME,
                                              "csrf_token": csrf})
    client.post("/portal/details/address", data={"street": CANARY_STREET, "city": "Austin", "state": "TX",
                                                 "postal_code": "78701", "csrf_token": csrf})
    client.post("/portal/details/email", data={"new_email": "other." + CANARY_EMAIL, "csrf_token": csrf})
    texts = "\n".join(logs.texts())
    assert ONLINE_PASSWORD not in texts and code not in texts
    logs.assert_no_canary()
