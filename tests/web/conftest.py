"""Web fixtures: an app over the test database, and (in browser.py) a live server and Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.runtime import Runtime
from tests.web.browser import browser_page, chromium, live_server, served_runtime  # noqa: F401


@pytest.fixture
def runtime(engine: Engine, master_key: bytes, blobs: LocalBlobStore) -> Runtime:
    """The runtime an app under test serves."""
    return Runtime(engine=engine, master_key=master_key, blobs=blobs)


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    """An HTTP client talking to the whole app in-process."""
    with TestClient(create_app(runtime)) as http:
        yield http
