"""Who may use the legal desk: the legal desk acts, the privacy officer only views, every other staff member
and every anonymous visitor is refused every /console/legal route; a POST without the CSRF token is refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from custodian.crypto.keyring import Keyring
from custodian.legal.tables import legal_request
from custodian.web.console import legal_actions, legal_entry, legal_files, legal_pages
from tests.builders.staff import Staff, sign_in
from tests.web.console.test_legal_pages import _submit


def _legal_routes() -> list[tuple[str, str]]:
    found = []
    for router in (legal_pages.router, legal_entry.router, legal_files.router, legal_actions.router):
        for route in router.routes:
            for method in route.methods:  # type: ignore[attr-defined]
                found.append((method, route.path.replace("{request_id}", "1").replace("{move}", "reject")))  # type: ignore[attr-defined]
    return found


def test_every_legal_route_refuses_other_staff_and_anonymous_visitors(
        client: TestClient, engine: Engine, keyring: Keyring, rep: Staff) -> None:
    _submit(engine, keyring)
    routes = _legal_routes()
    assert len(routes) >= 17
    for method, path in routes:
        anonymous = client.request(method, path, follow_redirects=False)
        assert anonymous.status_code in (303, 403) and anonymous.headers.get("location", "/console/login") \
            == "/console/login", (method, path)
    csrf = sign_in(client, rep)
    for method, path in routes:
        answer = client.request(method, path, data={"csrf_token": csrf} if method == "POST" else None)
        assert answer.status_code == 403 and "LR-" not in answer.text, (method, path)


def test_the_privacy_officer_views_the_desk_but_every_action_is_refused(
        client: TestClient, engine: Engine, keyring: Keyring, officer: Staff) -> None:
    request_id = _submit(engine, keyring)
    csrf = sign_in(client, officer)
    assert client.get("/console/legal/").status_code == 200
    page = client.get(f"/console/legal/requests/{request_id}").text
    assert 'id="view-only"' in page and "/approve" not in page
    for method, path in _legal_routes():
        if method == "POST" or path.endswith(("/package", "/new")):
            answer = client.request(method, path, data={"csrf_token": csrf} if method == "POST" else None)
            assert answer.status_code == 403, (method, path)
    with engine.connect() as conn:
        assert conn.execute(select(legal_request.c.state)).scalar_one() == "in_review"


def test_a_legal_post_without_the_csrf_token_is_refused(
        client: TestClient, engine: Engine, keyring: Keyring, desk: Staff) -> None:
    request_id = _submit(engine, keyring)
    sign_in(client, desk)
    answer = client.post(f"/console/legal/requests/{request_id}/move/reject", data={"reason": "overbroad"})
    assert answer.status_code == 403
    with engine.connect() as conn:
        assert conn.execute(select(legal_request.c.state)).scalar_one() == "in_review"
