"""Browser-test fixtures: the app served by uvicorn on a free localhost port, driven by Debian's
Chromium through Playwright. No browser is ever downloaded."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.db.engine import make_engine
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import credentials
from custodian.staff.service import NewCredentials

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MISSING_CHROMIUM = "Chromium not installed: apt-get install chromium"


def require_chromium() -> Path:
    """The Chromium binary; skip without it, or fail when CUSTODIAN_REQUIRE_BROWSER=1."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CUSTODIAN_REQUIRE_BROWSER") == "1":
        pytest.fail(MISSING_CHROMIUM)
    pytest.skip(MISSING_CHROMIUM)


class ServerThread:
    """uvicorn serving an app from a background thread on an already bound socket."""

    def __init__(self, app: FastAPI) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", server_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture
def served_runtime(sqlite_template: Path, tmp_path: Path, master_key: bytes) -> Iterator[Runtime]:
    """A runtime over a fresh SQLite copy of the migrated template (the embedded default)."""
    path = tmp_path / "served.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield Runtime(engine=engine, master_key=master_key, blobs=LocalBlobStore(tmp_path / "blobs"))
    engine.dispose()


@pytest.fixture
def live_server(served_runtime: Runtime) -> Iterator[str]:
    """The base URL of the app served over real HTTP for `served_runtime`."""
    with ServerThread(create_app(served_runtime)) as server:
        yield server.url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session (Playwright is imported only here)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserTab:
    """A Playwright page and the errors its console reported (CSP violations among them)."""

    page: Any
    console_errors: list[str] = field(default_factory=list)

    def record(self, message: Any) -> None:
        """Keep console messages of type error."""
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[BrowserTab]:
    """A fresh page in its own browser context."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = BrowserTab(context.new_page())
    tab.page.on("console", tab.record)
    tab.page.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    yield tab
    context.close()


def first_sign_in(page: Any, base_url: str, made: NewCredentials, own_password: str) -> None:
    """A new staff member's first sign-in: one-time password, TOTP enrolment (QR code and secret shown),
    their own password, the policy acknowledged. Each step waits for the page the click leads to."""
    from playwright.sync_api import expect

    page.goto(base_url + "/console/")
    page.get_by_label("Username").fill(made.username)
    page.get_by_label("Password").fill(made.password)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".qr svg")).to_be_visible()
    assert page.locator("#totp-secret").inner_text() == made.totp_secret
    page.get_by_label("Six-digit code").fill(credentials.totp_code(made.totp_secret, utcnow()))
    page.get_by_role("button", name="Verify").click()
    page.get_by_label("Current password").fill(made.password)
    page.get_by_label("New password").fill(own_password)
    page.get_by_label("Repeat").fill(own_password)
    page.get_by_role("button", name="Save").click()
    with page.expect_navigation():  # the acknowledgement leads on to the member's home page
        page.get_by_role("button", name="I have read the policy").click()
