"""An access request answered end to end in a real headless Chromium: the person asks on the public form and
confirms from the verification mail (a real local SMTP server), the privacy request agent fulfils it in the
console, and the answer mail's link downloads the export ZIP (issue 15 §2 and §3)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.dsr import an_agent_and_a_customer, fill_public_form
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import smtp_server
from tests.builders.staff import STAFF_PASSWORD
from tests.web.browser import BrowserTab, first_sign_in

pytestmark = pytest.mark.browser


def _link(message: object, path: str) -> str:
    body = message.get_payload(decode=True).decode()  # type: ignore[attr-defined]
    found = re.search(rf"(http://\S+{re.escape(path)}\S+)", body)
    assert found, body
    return found.group(1)


def test_a_person_asks_for_their_data_the_agent_fulfils_and_the_mailed_link_downloads_the_zip(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    runtime = served_runtime
    made = an_agent_and_a_customer(runtime)
    page = browser_page.page
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        fill_public_form(page, live_server, "See the personal information you hold about me")
        page.locator("#submit-request").click()
        reference = page.locator("#reference").inner_text()
        page.goto(_link(inbox.messages[0], "/privacy/requests/verify?token="))
        page.get_by_role("button", name="Confirm the request").click()
        assert reference in page.locator("#confirmed").inner_text()

        first_sign_in(page, live_server, made, STAFF_PASSWORD)
        page.get_by_role("link", name=reference).click()
        page.locator("#fulfil-request").click()
        assert "Fulfilled" in page.locator("#done").inner_text()
        assert page.locator("#request-state").inner_text() == "Answered"
        answer = inbox.messages[-1]
        assert answer["To"] == CANARY_EMAIL and answer["Subject"] == f"Your privacy request {reference} is answered"

        download = page.request.get(_link(answer, "/privacy/requests/download/"))
        assert download.status == 200 and download.headers["content-type"] == "application/zip"
        manifest = json.loads(zipfile.ZipFile(io.BytesIO(download.body())).read("manifest.json"))
        assert manifest["account"] == "ACC-1" and "subscriber.basic" in manifest["record_classes"]
        missing = page.request.get(live_server + "/privacy/requests/download/not-a-link")
        assert missing.status == 404
    assert not browser_page.console_errors
