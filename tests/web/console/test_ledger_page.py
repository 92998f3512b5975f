"""The privacy officer's promise ledger: the policy in force's promises, their grades, filterable."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.builders.staff import Staff, sign_in


def test_the_officer_sees_the_four_counts_and_each_enforced_promise_names_its_tests(
        client: TestClient, officer: Staff) -> None:
    sign_in(client, officer)
    page = client.get("/console/officer/ledger")
    assert page.status_code == 200
    counts = re.search(r'id="ledger-counts">(.*?)</dl>', page.text, re.S)
    assert counts and all(label in counts.group(1) for label in
                          ("Enforced", "Declared", "Kept by people", "Not yet enforced", "All promises"))
    assert 'data-grade="enforced"' in page.text and 'data-grade="declared"' in page.text
    assert "tests/retention/" in page.text  # an enforced retention promise names its behavioural test


def test_the_ledger_filters_by_grade(client: TestClient, officer: Staff) -> None:
    sign_in(client, officer)
    page = client.get("/console/officer/ledger", params={"grade": "process"})
    grades = set(re.findall(r'data-grade="([a-z_]+)"', page.text))
    assert grades == {"process"}


def test_only_the_privacy_officer_opens_the_ledger(client: TestClient, rep: Staff, desk: Staff) -> None:
    for member in (rep, desk):
        client.cookies.clear()
        sign_in(client, member)
        assert client.get("/console/officer/ledger").status_code == 403
