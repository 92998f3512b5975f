"""The privacy officer adds, resets and disables staff in the console; credentials are shown once."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.builders.staff import STAFF_PASSWORD, Staff, csrf_of, sign_in


def test_the_officer_adds_a_member_who_can_then_sign_in_and_disables_them(client: TestClient, officer: Staff,
                                                                           rep: Staff) -> None:
    csrf = sign_in(client, officer)
    page = client.post("/console/admin/staff", data={"username": "nina", "role": "support_representative",
                                                     "name": "Nina", "csrf_token": csrf}).text
    password = re.search(r'id="issued-password">([^<]+)<', page)
    assert password and re.search(r'id="issued-secret">[A-Z2-7]{32}<', page)
    assert 'id="issued-password"' not in client.get("/console/admin/staff").text  # shown once
    wrong = client.post("/console/admin/staff", data={"username": "x", "role": "janitor", "csrf_token": csrf})
    assert wrong.status_code == 422
    client.post("/console/admin/staff/rita/disable", data={"csrf_token": csrf})
    client.cookies.clear()
    login = client.get("/console/login")
    answer = client.post("/console/login", data={"username": "rita", "password": STAFF_PASSWORD,
                                                 "csrf_token": csrf_of(login.text)})
    assert answer.status_code == 401


def test_staff_administration_is_closed_to_other_roles(client: TestClient, rep: Staff) -> None:
    csrf = sign_in(client, rep)
    assert client.get("/console/admin/staff").status_code == 403
    assert client.post("/console/admin/staff", data={"username": "evil", "role": "privacy_officer",
                                                     "csrf_token": csrf}).status_code == 403
