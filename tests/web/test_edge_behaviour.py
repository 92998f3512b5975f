"""Cross-cutting behaviour of the web edge: security headers, 404s, the offline API docs."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from custodian.web.security import CONTENT_SECURITY_POLICY

PATHS = ["/", "/healthz", "/api/v1/figures", "/api/openapi.json", "/api/docs",
         "/static/custodian.css", "/no-such-page", "/api/v1/no-such-endpoint"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"]


@pytest.mark.parametrize("path", ["/", "/api/v1/figures", "/no-such-page"])
def test_pages_and_json_answers_are_never_cached(client: TestClient, path: str) -> None:
    assert client.get(path).headers["cache-control"] == "no-store"


def test_the_content_security_policy_allows_no_inline_script_or_foreign_origin() -> None:
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


def test_an_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    answer = client.get("/api/v1/no-such-endpoint")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_an_unknown_page_is_an_html_404_in_the_site_layout(client: TestClient) -> None:
    answer = client.get("/no-such-page")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "<code>not_found</code>" in answer.text and 'href="/static/custodian.css"' in answer.text


def test_a_wrong_method_is_a_json_405(client: TestClient) -> None:
    answer = client.post("/api/v1/figures")
    assert answer.status_code == 405
    assert answer.json()["error"]["code"] == "method_not_allowed"


def test_the_api_docs_run_from_local_files_without_inline_script(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert scripts and all('src="/' in attributes for attributes in scripts)
    assert "cdn" not in page.text.lower()
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize("path", ["/", "/healthz"])
def test_uptime_monitors_can_probe_with_head_requests(client: TestClient, path: str) -> None:
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["x-content-type-options"] == "nosniff"
