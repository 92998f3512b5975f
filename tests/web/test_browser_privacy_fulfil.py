"""An access request answered end to end in a real headless Chromium: the person asks on the public form and
confirms from the verification mail (a real local SMTP server), the privacy request agent fulfils it in the
console, and the answer mail's link downloads the export ZIP (issue 15 §2 and §3)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from custodian.staff import service as staff_service
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, CANARY_SURNAME, an_account
from tests.builders.smtp import smtp_server
from tests.builders.staff import STAFF_PASSWORD, policy_in_force
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
    rules = policy_in_force(runtime.engine)
    an_account(runtime.engine, runtime.keyring(), ref="ACC-1")
    with transaction(runtime.engine) as conn:
        made = staff_service.add_staff(conn, runtime.master_key, username="dora", display_name="Dora Agent",
                                       role="dsr_agent", roles=rules.staff_roles(), actor="t", channel="shell",
                                       now=utcnow())
    page = browser_page.page
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        page.goto(live_server + "/privacy/requests")
        page.get_by_label("See the personal information you hold about me").check()
        page.get_by_label("Full name").fill(f"{CANARY_NAME} {CANARY_SURNAME}")
        page.get_by_label("E-mail address").fill(CANARY_EMAIL)
        page.get_by_label("Phone number").fill("(512) 555-0100")
        page.get_by_label("ZIP or postal code").fill("78701")
        page.get_by_label("I confirm that the information I give is true.").check()
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
