"""/privacy serves the notice of the policy in force; earlier versions stay viewable."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.policy import store
from tests.builders.policy import SMALL_POLICY, policy_with


def test_without_an_active_policy_the_privacy_page_says_so(client: TestClient) -> None:
    response = client.get("/privacy")
    assert response.status_code == 404
    assert "No privacy policy is in force yet" in response.text


def test_the_privacy_page_shows_the_notice_in_force_and_earlier_versions_stay_viewable(
        client: TestClient, engine: Engine) -> None:
    now = utcnow()
    revised = policy_with("      keep: {days: 90}\n", "      keep: {days: 60}\n")
    with transaction(engine) as conn:
        old = store.activate(conn, SMALL_POLICY, actor="a", effective_at=now - timedelta(days=10), now=now)
        new = store.activate(conn, revised, actor="a", effective_at=now - timedelta(days=1), now=now)
    page = client.get("/privacy")
    assert page.status_code == 200
    assert "Example Telecom, Inc. privacy notice" in page.text and "60 days" in page.text
    assert new.version_hash[:12] in page.text and "not the version in force" not in page.text
    earlier = client.get(f"/privacy/versions/{old.version_hash}")
    assert earlier.status_code == 200 and "90 days" in earlier.text and "not the version in force" in earlier.text
    listing = client.get("/privacy/versions")
    assert old.version_hash[:12] in listing.text and new.version_hash[:12] in listing.text
    assert client.get("/privacy/versions/" + "0" * 64).status_code == 404
    assert page.headers["content-security-policy"]
