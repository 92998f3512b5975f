"""The customer's journey of issue 15 in a real headless Chromium over real HTTP, with mail caught by a local
SMTP server: enrol → sign in → read call detail → download everything (a background build, its progress
page) → delete a voice message → change the e-mail of record
(code to the new address, notice to the old) → close the account. Every portal page on the way passes axe."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from custodian.db.engine import transaction
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.console import a_customer_with_records
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.retention import add_content
from tests.builders.smtp import Inbox, smtp_server
from tests.builders.staff import a_call, policy_in_force
from tests.web.browser import BrowserTab
from tests.web.console.test_axe_pages import serious_violations
from tests.web.portal.conftest import ONLINE_PASSWORD, REF

pytestmark = pytest.mark.browser
NEW_EMAIL = "fresh.start@elsewhere.example"


@pytest.fixture
def inbox(served_runtime: Runtime) -> Iterator[Inbox]:
    """The served app mails through a local SMTP server; its inbox."""
    with smtp_server() as (caught, port):
        served_runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        yield caught


def customer_with_records(runtime: Runtime, tmp_path: Path) -> str:
    """The policy in force; ACC-0001 with a call, numbers, a 911 location and one voice message (its key)."""
    from custodian.crypto.blobs import LocalBlobStore
    from custodian.kernel.clock import utcnow

    engine, keyring = runtime.engine, runtime.keyring()
    policy_in_force(engine)
    account_id = an_account(engine, keyring, ref=REF)
    a_call(engine, keyring, account_id)
    a_customer_with_records(engine, keyring, LocalBlobStore(tmp_path / "imported"), tmp_path)
    with transaction(engine) as conn:
        return add_content(conn, account_id, "content.voice_message", utcnow(), keyring=keyring,
                           blobs=runtime.blobs, body=b"RIFF canary voice").hex()


def code_of(inbox: Inbox, to: str) -> str:
    """The code in the newest message to `to`."""
    message = [m for m in inbox.messages if m["To"] == to][-1]
    found = re.search(r"code is (\d{6})", message.get_payload())
    assert found
    return found.group(1)


def enrol_in_browser(page: Any, base: str, inbox: Inbox, problems: dict[str, list[str]]) -> None:
    """Create the online account through the pages, checking each with axe."""
    page.goto(base + "/portal/")
    check(page, problems)
    page.get_by_role("link", name="Create one").click()
    check(page, problems)
    page.get_by_label("Account reference").fill(REF)
    page.get_by_label("E-mail address on your account").fill(CANARY_EMAIL)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("heading", name="Enter your code and choose a password")).to_be_visible()
    check(page, problems)
    page.get_by_label("Code from the e-mail").fill(code_of(inbox, CANARY_EMAIL))
    page.locator("#field-password").fill(ONLINE_PASSWORD)
    page.get_by_label("The same password again").fill(ONLINE_PASSWORD)
    page.get_by_role("button", name="Create my online account").click()
    expect(page.get_by_role("heading", name="Your records", exact=True)).to_be_visible()
    check(page, problems)


def check(page: Any, problems: dict[str, list[str]]) -> None:
    """Note the page's serious axe violations, if any."""
    if found := serious_violations(page):
        problems[page.url] = found


def test_enrol_sign_in_read_delete_change_email_and_close(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, inbox: Inbox, tmp_path: Path) -> None:
    voice = customer_with_records(served_runtime, tmp_path)
    page, problems = browser_page.page, {}
    enrol_in_browser(page, live_server, inbox, problems)
    assert "online account" in inbox.messages[-1]["Subject"]  # 64.2010(f) notice of the new online account
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Account reference").fill(REF)
    page.get_by_label("Online password").fill(ONLINE_PASSWORD)
    page.get_by_role("button", name="Sign in").click()  # this browser is remembered: no code this time
    expect(page.get_by_role("heading", name="Your records", exact=True)).to_be_visible()

    page.get_by_role("link", name="Call records").click()
    expect(page.locator("#records")).to_contain_text("(415) 555-0142")  # CANARY_COUNTERPART, as written in the US
    check(page, problems)

    page.goto(live_server + "/portal/account")
    page.locator("#download-everything").click()
    page.get_by_role("button", name="Prepare my download").click()  # a background build; the page follows it
    expect(page.locator("#export-link")).to_be_visible(timeout=20_000)
    check(page, problems)
    with page.expect_download() as download:
        page.locator("#export-link").click()
    export = zipfile.ZipFile(download.value.path())
    assert {"manifest.json", "README.txt"} <= set(export.namelist())
    assert b"RIFF canary voice" in [export.read(n) for n in export.namelist()]  # the voice message, as it is

    page.goto(live_server + "/portal/records/content.voice_message")
    expect(page.locator("#records")).to_have_count(1)
    check(page, problems)
    page.locator("#records").get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator("#deleted")).to_be_visible()
    assert voice not in page.content()

    page.get_by_role("link", name="Your details").click()
    check(page, problems)
    page.get_by_label("New e-mail address").fill(NEW_EMAIL)
    page.get_by_role("button", name="Send a code to the new address").click()
    page.get_by_label("Code sent to the new address").fill(code_of(inbox, NEW_EMAIL))
    page.get_by_role("button", name="Confirm the new address").click()
    expect(page.locator("#saved")).to_contain_text("e-mail address of record was changed")
    notice = inbox.messages[-1]
    assert notice["To"] == CANARY_EMAIL and NEW_EMAIL not in notice.as_string()

    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="911 locations")).to_be_visible()
    check(page, problems)
    page.get_by_role("link", name="Close your account").click()
    check(page, problems)
    page.get_by_label("Yes, close my account").check()
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_role("heading", name="Your account is closed")).to_be_visible()
    expect(page.locator("#closure")).to_contain_text("Closed on")
    check(page, problems)
    page.goto(live_server + "/portal/account")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert problems == {}
    assert browser_page.console_errors == []


def test_the_download_page_follows_a_running_build_and_shows_the_link_when_it_is_done(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, inbox: Inbox, tmp_path: Path) -> None:
    from custodian.dsr import export_jobs
    from custodian.kernel.clock import utcnow
    from custodian.policy import store as policy_store

    customer_with_records(served_runtime, tmp_path)
    page, problems = browser_page.page, {}
    enrol_in_browser(page, live_server, inbox, problems)
    engine = served_runtime.engine
    with transaction(engine) as conn:  # the build is queued; no worker has taken it yet
        account_id = int(conn.execute(text("SELECT id FROM account WHERE ref = :r"), {"r": REF}).scalar_one())
        job_id = export_jobs.start(conn, account_id, now=utcnow())
        version = policy_store.in_force(conn, utcnow())
    assert version is not None
    page.goto(live_server + "/portal/export")
    expect(page.locator("#export-bar")).to_be_visible()
    expect(page.locator("#export-percent")).to_have_text("0% done")
    check(page, problems)
    export_jobs.run(engine, served_runtime.keyring(), served_runtime.blobs, version.compiled().document, job_id)
    expect(page.locator("#export-link")).to_be_visible(timeout=10_000)  # the page asked, saw it done, reloaded
    expect(page.locator("#export-bar")).to_have_count(0)
    assert problems == {}


def test_the_customer_makes_choices_by_keyboard_and_downloads_a_receipt(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, inbox: Inbox, tmp_path: Path) -> None:
    """Issue 16 §3: the preference centre, "each purpose the policy lets the customer choose, per channel (e-mail,
    SMS, phone, post), with the purpose's wording from the policy"; §1: a receipt per choice "downloadable in the
    portal"."""
    import json
    import os

    customer_with_records(served_runtime, tmp_path)
    page, problems = browser_page.page, {}
    enrol_in_browser(page, live_server, inbox, problems)
    page.get_by_role("link", name="Your choices").click()
    expect(page.get_by_role("heading", name="Your choices", exact=True)).to_be_visible()
    check(page, problems)
    marketing = page.get_by_role("group", name="Text messages").first
    expect(marketing.get_by_role("radio", name="Yes")).to_be_checked()
    marketing.get_by_role("radio", name="Yes").focus()
    page.keyboard.press("ArrowRight")  # radios move with the arrow keys: No
    expect(marketing.get_by_role("radio", name="No")).to_be_checked()
    page.locator("#save-preferences").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#saved")).to_contain_text("Your choices were saved")
    expect(page.get_by_role("group", name="Text messages").first).to_contain_text("No — you opted out")
    check(page, problems)
    if folder := os.environ.get("CUSTODIAN_SCREENSHOTS_DIR"):
        page.screenshot(path=str(Path(folder) / "portal-preferences.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#choice-history").get_by_role("link", name=re.compile("^Receipt")).first.click()
    receipt = json.loads(Path(download.value.path()).read_text())
    assert receipt["version"] == "KI-CR-v1.1.0" and receipt["consentChoice"] == "denied"
    assert problems == {}
    assert browser_page.console_errors == []
