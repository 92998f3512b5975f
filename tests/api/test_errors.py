"""Domain errors reach clients as JSON with a stable code, through one mapping."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError

from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, KeyMismatch
from custodian.db.engine import make_engine
from custodian.kernel.phone import InvalidPhoneNumber
from custodian.runtime import Runtime

SECRET_DETAIL = "zephyrine.quillfeather@canary.example"


def _raise(exc: Exception) -> None:
    raise exc


@pytest.fixture
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The real app plus routes that raise each kind of error."""
    engine = make_engine("sqlite://")
    blobs = LocalBlobStore(tmp_path_factory.mktemp("blobs"))
    application = create_app(Runtime(engine=engine, master_key=b"\0" * 32, blobs=blobs))
    raisers = {
        "shredded": AccountShredded("account 7 has no data key (crypto-shredded)"),
        "mismatch": KeyMismatch("keys were wrapped by master key abc, but def is loaded"),
        "missing": LookupError("no ticket 12"),
        "phone": InvalidPhoneNumber("not a phone number: 12"),
        "bug": RuntimeError(f"unexpected state for {SECRET_DETAIL}"),
        "overflow": OverflowError("Python int too large to convert to SQLite INTEGER"),
        "year": OverflowError("date value out of range"),
        "too_long": DataError("INSERT", {}, Exception("value too long for type character varying(120)")),
        "surrogate": UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
    }
    for name, exc in raisers.items():
        application.add_api_route(f"/api/v1/raise/{name}", lambda exc=exc: _raise(exc))
        application.add_api_route(f"/raise/{name}", lambda exc=exc: _raise(exc))
    yield application
    engine.dispose()


@pytest.mark.parametrize(("name", "status", "code"), [
    ("shredded", 410, "account_shredded"),
    ("mismatch", 500, "key_mismatch"),
    ("missing", 404, "not_found"),
    ("phone", 422, "invalid_phone_number"),
    ("bug", 500, "internal_error"),
    ("overflow", 422, "out_of_range"),  # an id beyond 64 bits
    ("year", 422, "out_of_range"),  # year 9999 plus a deadline
    ("too_long", 422, "invalid_value"),
    ("surrogate", 422, "invalid_text"),
])
def test_each_domain_error_has_its_status_and_stable_code(
        app: FastAPI, name: str, status: int, code: str) -> None:
    with TestClient(app, raise_server_exceptions=False) as http:
        answer = http.get(f"/api/v1/raise/{name}")
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == code
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_not_found_error_keeps_its_own_message(app: FastAPI) -> None:
    with TestClient(app) as http:
        assert http.get("/api/v1/raise/missing").json()["error"]["message"] == "no ticket 12"


def test_an_unexpected_error_reveals_and_logs_nothing_of_its_message(
        app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR), TestClient(app) as http:
        answer = http.get("/api/v1/raise/bug")
    assert answer.status_code == 500
    assert SECRET_DETAIL not in answer.text
    assert "RuntimeError" in caplog.text and "in _raise" in caplog.text
    assert SECRET_DETAIL not in caplog.text


def test_errors_on_page_paths_are_html_with_the_same_status(app: FastAPI) -> None:
    with TestClient(app, raise_server_exceptions=False) as http:
        shredded, bug = http.get("/raise/shredded"), http.get("/raise/bug")
    assert (shredded.status_code, bug.status_code) == (410, 500)
    assert shredded.headers["content-type"].startswith("text/html")
    assert "<code>account_shredded</code>" in shredded.text
    assert bug.headers["content-security-policy"].startswith("default-src 'self'")
