"""The privacy officer's retention page: the schedule as stated, the next run, holds and receipts."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.retention import hold_service
from tests.builders.records import CANARY_NAME
from tests.builders.staff import Staff, sign_in


def test_the_officer_sees_the_schedule_the_next_run_and_the_holds_in_effect(
        client: TestClient, engine: Engine, officer: Staff, account_id: int) -> None:
    """Issue 6: "the schedule as the policy states it, what the next run will delete, holds, and recent receipts"."""
    now = utcnow()
    with transaction(engine) as conn:
        hold_service.place_hold(conn, account_id=account_id, until=now + timedelta(days=90),
                                reason="preservation request 7", source="cli", actor="test", now=now)
    sign_in(client, officer)
    page = client.get("/console/officer/retention")
    assert page.status_code == 200
    assert "newest 200" in page.text and "customer set min hours 24" in page.text  # SpectrumVoIP's tables
    assert "purged 30 days after closure, at the latest after 45 days" in page.text
    assert "preservation request 7" in page.text and "ACC-0001" in page.text
    assert "No run has finished yet." in page.text
    assert CANARY_NAME not in page.text


def test_staff_other_than_the_privacy_officer_cannot_open_the_retention_page(
        client: TestClient, rep: Staff, desk: Staff) -> None:
    assert client.get("/console/officer/retention", follow_redirects=False).status_code in (303, 403)
    for member in (rep, desk):
        client.cookies.clear()
        sign_in(client, member)
        assert client.get("/console/officer/retention").status_code == 403
