"""A privacy request in a real headless Chromium: the person asks on the public form, confirms from the link in
the verification mail (a real local SMTP server), and a privacy request agent finds it in the console queue,
matched to the account, and extends it with the notice mailed (issue 15 §3); each page passes axe."""

from __future__ import annotations

import re

import pytest

from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.dsr import an_agent_and_a_customer, fill_public_form
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import smtp_server
from tests.builders.staff import STAFF_PASSWORD
from tests.web.browser import BrowserTab, first_sign_in
from tests.web.console.test_axe_pages import serious_violations

pytestmark = pytest.mark.browser


def test_a_person_asks_confirms_from_the_mail_and_the_agent_extends_it_from_the_queue(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    runtime = served_runtime
    made = an_agent_and_a_customer(runtime)
    page = browser_page.page
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        fill_public_form(page, live_server, "Delete my personal information")
        problems = {"form": serious_violations(page)}
        page.locator("#submit-request").click()
        problems["receipt"] = serious_violations(page)
        reference = page.locator("#reference").inner_text()
        assert "within 7 days" in page.locator("#next-step").inner_text()

        body = inbox.messages[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
        link = re.search(r"(http://\S+/privacy/requests/verify\?token=\S+)", body)
        assert link and inbox.messages[0]["To"] == CANARY_EMAIL
        page.goto(link.group(1))
        problems["confirm"] = serious_violations(page)
        page.get_by_role("button", name="Confirm the request").click()
        assert reference in page.locator("#confirmed").inner_text()

        first_sign_in(page, live_server, made, STAFF_PASSWORD)
        assert "/console/privacy-requests/" in page.url
        problems["queue"] = serious_violations(page)
        page.get_by_role("link", name=reference).click()
        problems["request"] = serious_violations(page)
        assert page.locator("#request-state").inner_text() == "Verified: to be answered"
        assert page.locator("#matched-points").inner_text() == "3"  # e-mail, phone, name + ZIP
        page.get_by_label("Why more time is needed (the requester reads it)").fill("Archived records")
        page.locator("#extend-request").click()
        assert "Extended" in page.locator("#done").inner_text()
        assert inbox.messages[-1]["Subject"] == f"Your privacy request {reference} needs more time"
    assert not browser_page.console_errors
    assert {name: found for name, found in problems.items() if found} == {}  # no serious axe violation
