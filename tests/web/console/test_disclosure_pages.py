"""The officer's totals of disclosures (issue 17 §3): "The officer sees totals per recipient and purpose per
month, with a chart" -- the chart an inline SVG, the table its text alternative; officer only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.db.engine import transaction
from custodian.disclosures.store import Release, record_release
from custodian.kernel.clock import utcnow
from tests.builders.staff import Staff, sign_in


def disclosed(engine: Engine, account_id: int) -> None:
    """Two releases to the cookie providers this month (3 accounts, then 1) and a sealed legal production."""
    now = utcnow()
    with transaction(engine) as conn:
        for accounts in ([account_id, account_id + 1000, account_id + 1001], [account_id]):
            record_release(conn, Release("advertising_networks", "targeted_advertising", ("web.cookie",),
                                         "identifiable", 0, "0" * 64, "csv"), accounts, actor="staff:officer",
                           now=now)
        record_release(conn, Release("Plano Police Department", "legal_obligation", ("cpni.call_log",),
                                     "identifiable", 0, "1" * 64, "zip", withheld_until_lifted=True), [account_id],
                       actor="staff:desk", now=now)


def test_the_officer_sees_accounts_and_releases_per_recipient_and_purpose_per_month_with_a_chart(
        client: TestClient, engine: Engine, officer: Staff, account_id: int) -> None:
    disclosed(engine, account_id)
    sign_in(client, officer)
    page = client.get("/console/officer/disclosures")
    assert page.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="totals-chart"' in page.text
    assert 'aria-describedby="disclosure-totals"' in page.text and 'id="disclosure-totals"' in page.text
    row = re.search(r"<th scope=\"row\">Advertising and third-party cookie providers</th>(.*?)</tr>", page.text, re.S)
    assert row and row.group(1).rstrip().endswith('<td class="num">4 (2)</td>')  # this month: 4 accounts, 2 releases
    assert "Plano Police Department" in page.text  # the officer counts sealed productions too
    assert page.text.count('class="totals-chart__bar"') == 12


def test_only_the_privacy_officer_sees_the_totals(client: TestClient, engine: Engine, rep: Staff,
                                                  account_id: int) -> None:
    disclosed(engine, account_id)
    sign_in(client, rep)
    page = client.get("/console/officer/disclosures")
    assert page.status_code == 403 and "Plano Police Department" not in page.text
