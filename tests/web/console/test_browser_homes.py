"""Each role's home in a real headless Chromium: where a member lands after sign-in, the navigation on one line
at 1366×768, and on a 390-px phone a collapsed menu that opens by keyboard. Screenshots go to /tmp/shots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import service as staff_service
from custodian.staff.service import NewCredentials
from tests.builders.records import an_account
from tests.builders.staff import STAFF_PASSWORD, policy_in_force
from tests.web.browser import BrowserTab, first_sign_in

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots")
HOMES = {"support_representative": ("/console/", "My tickets"),
         "legal_desk": ("/console/legal/", "Legal desk"),
         "privacy_officer": ("/console/officer/", "Privacy overview")}


def new_staff(runtime: Runtime, username: str, role: str) -> NewCredentials:
    """A staff member of `role` added at the shell (credentials usable at once)."""
    rules = policy_in_force(runtime.engine)
    with transaction(runtime.engine) as conn:
        return staff_service.add_staff(conn, runtime.master_key, username=username, display_name=username.title(),
                                       role=role, roles=rules.staff_roles(), actor="test", channel="shell",
                                       now=utcnow())


def shoot(page: Any, name: str) -> None:
    """A full-page screenshot to /tmp/shots/NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def nav_is_one_line(page: Any) -> bool:
    """True when every top-level navigation entry sits on the same line."""
    tops = page.locator("#console-nav > ul > li").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))")
    heights = page.locator("#console-nav > ul").evaluate("list => list.getBoundingClientRect().height")
    item = page.locator("#console-nav > ul > li").first.evaluate("item => item.getBoundingClientRect().height")
    return len(set(tops)) == 1 and heights <= item + 1


@pytest.mark.parametrize("role", sorted(HOMES))
def test_each_role_lands_on_its_own_home_with_a_navigation_on_one_line_and_a_phone_menu_opened_by_keyboard(
        role: str, live_server: str, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    an_account(served_runtime.engine, served_runtime.keyring(), ref="ACC-0001")
    made = new_staff(served_runtime, "casey", role)
    page = browser_page.page
    page.set_viewport_size({"width": 1366, "height": 768})
    first_sign_in(page, live_server, made, STAFF_PASSWORD)
    path, heading = HOMES[role]
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.url == live_server + path
    page.goto(live_server + "/console/")
    assert page.url == live_server + path
    assert nav_is_one_line(page), "the navigation wraps at 1366 px"
    shoot(page, f"{role}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    nav = page.locator("#console-nav")
    expect(nav).to_be_hidden()
    page.locator("#main").focus()  # then back to the header by keyboard: Shift+Tab reaches the toggle
    for _ in range(3):
        if page.evaluate("document.activeElement.id") == "nav-toggle":
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "nav-toggle"
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    shoot(page, f"{role}-390-menu")
    page.keyboard.press("Space")
    expect(nav).to_be_hidden()
    shoot(page, f"{role}-390")
    assert browser_page.console_errors == []


def tab_to(page: Any, element_id: str, limit: int = 200) -> None:
    """Press Tab until the element with `element_id` has the focus (fails after `limit` presses)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_new_member_signs_in_and_opens_a_ticket_with_the_keyboard_alone(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    from custodian.staff import credentials

    an_account(served_runtime.engine, served_runtime.keyring(), ref="ACC-0001")
    made = new_staff(served_runtime, "kim", "support_representative")
    page = browser_page.page
    page.goto(live_server + "/console/")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus
    page.keyboard.type(made.username)
    page.keyboard.press("Tab")
    page.keyboard.type(made.password)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Six-digit code")).to_be_focused()
    page.keyboard.type(credentials.totp_code(made.totp_secret, utcnow()))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Current password")).to_be_focused()
    for text in (made.password, STAFF_PASSWORD, STAFF_PASSWORD):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the focus is on Save
    expect(page.get_by_role("button", name="I have read the policy")).to_be_visible()
    tab_to(page, "acknowledge")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
    tab_to(page, "account-ref")
    page.keyboard.type("ACC-0001")
    page.keyboard.press("Tab")  # topic: its first choice stays
    page.keyboard.press("Tab")  # channel
    page.keyboard.press("Tab")  # photo ID: not in person
    page.keyboard.press("Tab")  # summary
    page.keyboard.type("asked about a bill")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ACC-0001")
    assert "/console/tickets/" in page.url and browser_page.console_errors == []
