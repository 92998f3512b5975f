"""Request limits, each a setting: body size (413, counted as it streams), field length and well-formed
JSON values (422 naming the field), targets per legal request (422)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.builders.legal import LAW_ENFORCEMENT, activate_spectrumvoip

from custodian.api.limits import RequestLimits, field_problem
from custodian.app import create_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.db.engine import transaction
from custodian.runtime import Runtime
from custodian.settings import Settings

LIMITS = RequestLimits(max_body_bytes=4096, max_field_chars=200, max_targets=3)


@pytest.fixture
def client(engine: Engine, master_key: bytes, tmp_path: Path) -> Iterator[TestClient]:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    runtime = Runtime(engine, master_key, LocalBlobStore(tmp_path / "blobs"))
    with TestClient(create_app(runtime, limits=LIMITS)) as http:
        yield http


def test_the_limits_are_settings_with_sane_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = Settings()
    assert (defaults.max_request_bytes, defaults.max_field_chars, defaults.max_request_targets) == (
        32 * 1024 * 1024, 20_000, 100)
    assert defaults.max_request_bytes > 20 * 1024 * 1024  # a 20 MiB signed instrument still fits
    monkeypatch.setenv("CUSTODIAN_MAX_REQUEST_TARGETS", "7")
    assert Settings().max_request_targets == 7


def test_a_body_over_the_limit_is_refused_with_413_before_any_route_reads_it(client: TestClient) -> None:
    answer = client.post("/api/v1/legal/requests", content=b"{" + b" " * 5000 + b"}",
                         headers={"content-type": "application/json"})
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "payload_too_large"
    page = client.post("/legal/status", data={"tracking_number": "x" * 5000})
    assert page.status_code == 413 and "text/html" in page.headers["content-type"]


def test_an_upload_without_a_length_is_counted_while_it_streams(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"%PDF" + b"0" * 1000  # no content-length: a chunked upload

    answer = client.post("/legal/requests", content=chunks(),
                         headers={"content-type": "multipart/form-data; boundary=x"})
    assert answer.status_code == 413


def test_a_text_field_over_the_limit_is_422_naming_the_field(client: TestClient) -> None:
    answer = client.post("/legal/status", data={"tracking_number": "LR-1", "secret": "s" * 201})
    assert answer.status_code == 422 and "Secret: longer than 200 characters" in answer.text
    body = {**LAW_ENFORCEMENT, "instrument": {**LAW_ENFORCEMENT["instrument"], "case_number": "9" * 201}}
    answer = client.post("/api/v1/legal/requests", json=body)
    assert answer.status_code == 422
    assert answer.json()["error"] == {"code": "invalid_field",
                                      "message": "body.instrument.case_number: longer than 200 characters"}


def test_a_legal_request_naming_too_many_targets_is_422(client: TestClient) -> None:
    body = {**{k: v for k, v in LAW_ENFORCEMENT.items() if k != "received_on"}, "requested_response_on": "2099-01-01",
            "targets": [{"account_ref": f"ACC-{i}"} for i in range(4)]}  # the server stamps the receipt day
    answer = client.post("/api/v1/legal/requests", json=body)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "too_many_targets"
    body["targets"] = body["targets"][:3]
    assert client.post("/api/v1/legal/requests", json=body).status_code == 201


@pytest.mark.parametrize(("raw", "problem"), [
    (b'{"a": "\\ud800"}', "body.a: not valid text (a lone UTF-16 surrogate)"),
    (b'{"hours": NaN}', "body.hours: not a finite number"),
    (b'{"list": [1, Infinity]}', "body.list.1: not a finite number"),
    (b'{"ok": "fine", "n": 1e400}', "body.n: not a finite number"),
])
def test_json_a_client_could_never_have_meant_is_named_by_its_field(raw: bytes, problem: str) -> None:
    assert field_problem(raw, "application/json", 100) == problem
    assert field_problem(b'{"fine": [1, 2.5, "text"]}', "application/json", 100) is None
