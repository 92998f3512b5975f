"""Bad numbers, dates and text never become a 5xx, on every route of the app.

The routes are enumerated from `app.routes` (never listed here), so a route added later is covered:
every path parameter, query parameter, form field and JSON field gets random values — ids beyond 64
bits, non-ASCII and lone surrogates, years 9999 and 0001, `nan`/`inf`, huge amounts — sent anonymously
and as the staff role the route's guard names (read from `require_staff(roles=...)`). Forms a route
reads by hand are found on the pages that post to it. Each route gets FUZZ_EXAMPLES examples on SQLite
and fewer on PostgreSQL (`CUSTODIAN_FUZZ_EXAMPLES` overrides).
"""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy import Engine

from custodian.app import create_app
from custodian.crypto.keyring import Keyring
from custodian.runtime import Runtime
from tests.builders.legal import LAW_ENFORCEMENT
from tests.builders.records import an_account
from tests.builders.staff import Staff, a_staff_member, policy_in_force, sign_in

pytestmark = pytest.mark.slow

ODD_TEXT = ["", " ", "0", "-1", "1", "2", str(2**63), str(2**64 + 1), str(-(2**63) - 1), "9" * 400, "1e309", "-1e309",
            "nan", "NaN", "inf", "-Infinity", "9999-12-31", "0001-01-01", "10000-01-01", "0000-00-00", "2026-02-30",
            "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "2026-13-01", "١٢٣", "１２３", "\ud800", "a\udfffb",
            "\x00", "é名🛰️", "<script>", "%", "%%00", "999999999999999999999.99", "-0.001", "1,000.00", "x" * 3000,
            "ＡＣＣ－０００１", "+1 512 555 0100", "+99999999999999999999"]
PLAUSIBLE = ["ACC-0001", "technical", "billing", "inbound_call", "chat", "justified", "password", "yes", "rita",
             "support_representative", "subpoena", "law_enforcement", "2026-03-04", "2026H1", "12.50", "check",
             "subscriber.basic", "reject", "close", "+15125550100", "someone@example.net"]
odd = st.one_of(st.sampled_from(ODD_TEXT), st.sampled_from(PLAUSIBLE), st.text(max_size=24),
                st.integers(-(2**70), 2**70).map(str), st.floats().map(str),
                st.dates(min_value=date(1, 1, 1)).map(date.isoformat))
KNOWN_BODIES = {"LegalRequest": LAW_ENFORCEMENT}  # a valid base to damage, so handlers run past validation


def _examples(database_url: str) -> int:
    chosen = int(os.environ.get("CUSTODIAN_FUZZ_EXAMPLES", "0"))
    return chosen or (3 if database_url.startswith("sqlite") else 2)


def every_route(routes: list[Any]) -> Iterator[APIRoute]:
    """Every API route of the app, through included routers."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from every_route(route.original_router.routes)


def _params(dependant: Any, kind: str) -> list[Any]:
    found = list(getattr(dependant, kind))
    for sub in dependant.dependencies:
        found += _params(sub, kind)
    return found


def _guard_roles(dependant: Any) -> tuple[str, ...] | bool | None:
    """The roles of the route's `require_staff` guard: a tuple, None (any staff member), or False (public)."""
    for sub in [dependant, *dependant.dependencies]:
        call = getattr(sub, "call", None)
        if call is not None and getattr(call, "__name__", "") == "guard":
            return inspect.getclosurevars(call).nonlocals.get("roles")
    return False


def _encode(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _form_fields(clients: dict[str, TestClient], app: FastAPI) -> dict[str, set[str]]:
    """Field names of every form on the parameterless pages, by the path the form posts to."""
    fields: dict[str, set[str]] = {}
    pages = [r.path for r in every_route(app.routes) if "GET" in r.methods and "{" not in r.path]
    for client in clients.values():
        for page in pages:
            html = client.get(page).text
            for action, body in re.findall(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', html, re.S):
                names = re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"', body)
                fields.setdefault(action.split("?")[0], set()).update(names)
    return fields


def _from_schema(schema: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Random JSON shaped like `schema`, with odd leaves."""
    if "$ref" in schema:
        return _from_schema(defs[schema["$ref"].split("/")[-1]], defs, depth)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return st.one_of([_from_schema(option, defs, depth) for option in options])
    kind = schema.get("type")
    leaves = st.one_of(odd, st.integers(-(2**70), 2**70), st.floats(), st.none())
    if depth > 4:
        return leaves
    if kind == "object":
        props = schema.get("properties", {})
        return st.fixed_dictionaries({name: _from_schema(sub, defs, depth + 1) for name, sub in props.items()})
    if kind == "array":
        return st.lists(_from_schema(schema.get("items", {}), defs, depth + 1), max_size=3)
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), leaves)
    return leaves


def _damaged(base: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """A valid body with a few leaves replaced by odd values."""
    body = json.loads(json.dumps(base))
    for _ in range(data.draw(st.integers(1, 3))):
        node, key = body, None
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            key = data.draw(st.sampled_from(keys))
            if not isinstance(node[key], dict | list) or not node[key] or data.draw(st.booleans()):
                break
            node = node[key]
        node[key] = data.draw(st.one_of(odd, st.integers(-(2**70), 2**70), st.floats(), st.none(),
                                        st.lists(odd, max_size=600).filter(lambda v: len(v) != 1)))
    return body


class Fuzzer:
    """Sends one random request to one route as one client."""

    def __init__(self, route: APIRoute, fields: set[str]) -> None:
        self.route = route
        self.path_params = [p.name for p in _params(route.dependant, "path_params")]
        self.query = [p.alias for p in _params(route.dependant, "query_params")]
        self.headers = [p.alias for p in _params(route.dependant, "header_params")]
        body = _params(route.dependant, "body_params")
        model = body[0].field_info.annotation if len(body) == 1 else None
        self.json_model = model if isinstance(model, type) and issubclass(model, BaseModel) else None
        self.form = sorted(fields | ({p.alias for p in body} if self.json_model is None else set()))
        self.roles = _guard_roles(route.dependant)

    def send(self, client: TestClient, csrf: str, data: st.DataObject, method: str) -> int:
        path = self.route.path
        for name in self.path_params:
            path = path.replace("{" + name + "}", _encode(data.draw(odd, label=name)) or "0")
        query = "&".join(f"{name}={_encode(data.draw(odd, label=name))}" for name in self.query
                         if data.draw(st.booleans()))
        headers: dict[str, Any] = {
            name: data.draw(st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=40)).encode("latin-1")
            for name in self.headers}
        url = path + ("?" + query if query else "")
        if self.json_model is not None:
            base = KNOWN_BODIES.get(self.json_model.__name__)
            schema = self.json_model.model_json_schema()
            body = data.draw(st.just(base) if base and data.draw(st.booleans()) else
                             _from_schema(schema, schema.get("$defs", {})), label="json")
            if base is not None and body is base:
                body = _damaged(base, data)
            return client.request(method, url, content=json.dumps(body).encode(), headers={
                **headers, "content-type": "application/json"}).status_code
        form = {name: data.draw(odd, label=name) for name in self.form if name != "csrf_token"}
        form["csrf_token"] = csrf if data.draw(st.integers(0, 4)) else data.draw(odd, label="csrf")
        content = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in form.items()) if method == "POST" else ""
        return client.request(method, url, content=content.encode(), headers={
            **headers, "content-type": "application/x-www-form-urlencoded"}).status_code


@pytest.fixture
def signed_in(runtime: Runtime, engine: Engine, master_key: bytes, keyring: Keyring) -> Iterator[
        tuple[FastAPI, dict[str, tuple[TestClient, str]]]]:
    """The app, and a client per audience: anonymous, and one signed-in staff member per role."""
    rules = policy_in_force(engine)
    an_account(engine, keyring, ref="ACC-0001")
    # With a gateway secret: unconfigured, the SMS endpoint answers a deliberate 503 (closed).
    app = create_app(runtime, sms_gateway_secret="fuzz-gateway-secret")
    staff = [a_staff_member(engine, master_key, name, role, rules) for name, role in (
        ("rita", "support_representative"), ("petra", "privacy_officer"), ("lena", "legal_desk"),
        ("dora", "dsr_agent"))]
    clients: dict[str, tuple[TestClient, str]] = {"anonymous": (TestClient(app), "")}
    for member in staff:
        client = TestClient(app)
        clients[member.role] = (client, _signed(client, member))
    rita, csrf = clients["support_representative"]
    rita.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "technical", "channel": "inbound_call",
                                        "csrf_token": csrf})
    clients["anonymous"][0].post("/api/v1/legal/requests", json=LAW_ENFORCEMENT)
    yield app, clients
    for client, _ in clients.values():
        client.close()


def _signed(client: TestClient, member: Staff) -> str:
    return sign_in(client, member)


def _property(fuzzer: Fuzzer, method: str, clients: dict[str, tuple[TestClient, str]], examples: int) -> Any:
    """The property for one route and method: no 5xx, anonymously or as the role its guard names."""

    @settings(max_examples=examples, database=None, suppress_health_check=list(HealthCheck),
              phases=(Phase.explicit, Phase.generate))  # no shrinking: the draws are printed as found
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        who = "anonymous" if fuzzer.roles is False or data.draw(st.integers(0, 5)) == 0 else \
            (fuzzer.roles or ("support_representative",))[0]
        client, csrf = clients.get(who, clients["anonymous"])
        status = fuzzer.send(client, csrf, data, method)
        assert status < 500, f"{method} {fuzzer.route.path} as {who} answered {status}"

    return check


def test_no_route_answers_a_server_error_to_random_numbers_dates_and_text(
        signed_in: tuple[FastAPI, dict[str, tuple[TestClient, str]]], database_url: str) -> None:
    """Issue: bad numbers and dates give 422, never 500, on every form and API route."""
    app, clients = signed_in
    fields = _form_fields({k: c for k, (c, _) in clients.items()}, app)
    routes = [r for r in every_route(app.routes) if r.path not in ("/console/logout",)]
    # Routes that may end a session (rita's reset or disable, a new password) go last.
    routes.sort(key=lambda r: r.path.endswith(("/reset", "/disable", "/password")))
    assert len(routes) > 50
    failures: list[str] = []
    for route in routes:
        fuzzer = Fuzzer(route, fields.get(route.path, set()))
        for method in sorted(route.methods - {"HEAD"}):
            if method == "GET" and not (fuzzer.path_params or fuzzer.query or fuzzer.headers):
                continue  # nothing to vary

            check = _property(fuzzer, method, clients, _examples(database_url))
            if os.environ.get("CUSTODIAN_FUZZ_TRACE"):
                print(method, route.path, flush=True)
            try:
                check()
            except AssertionError as exc:
                failures.append(str(exc).splitlines()[0])
            except Exception as exc:  # the test client re-raises what the app did not handle
                failures.append(f"{method} {route.path}: {type(exc).__name__}: {str(exc)[:200]}")
    assert not failures, "\n".join(failures)
