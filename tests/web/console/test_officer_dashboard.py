"""The privacy officer's home (issue 18 §4): every deadline in one list, the store figures moved from the public
page, charts of the last twelve months, the retention alarm with "Run now"; and the CPNI registers' pages."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.compliance import breach_service, registers
from custodian.compliance.breach_service import NewIncident
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import submission
from custodian.policy.document_compliance import default_rule_sets
from tests.builders import dsr
from tests.builders.legal import a_request, spectrumvoip
from tests.builders.records import CANARY_EMAIL, CANARY_NAME
from tests.builders.staff import Staff, csrf_of, sign_in


def _kinds(html: str) -> list[str]:
    table = html.split('id="deadlines"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-kind="([^"]+)">', table)


def test_every_deadline_of_every_desk_is_in_one_list_soonest_first(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, officer: Staff,
        account_id: int) -> None:
    """Issue 18 §4: "every deadline in one list (data-subject requests, legal requests, preservations expiring,
    breach clocks, CPNI certification, CPNI notice renewals)"."""
    now = utcnow()
    dsr.a_request(engine, keyring, blobs, now=now)
    with transaction(engine) as conn:
        submission.submit(conn, keyring, spectrumvoip(), a_request(requested_response_on="2099-01-01"),
                          channel="portal", actor="requester:portal", now=now)
        breach_service.record_incident(conn, "staff:olivia", NewIncident(
            now - timedelta(days=3), now - timedelta(days=2), "A representative browsed call detail",
            ("cpni.call_log",), True, ("fcc_2023",)), list(default_rule_sets()), now, known_classes=["cpni.call_log"])
    sign_in(client, officer)
    page = client.get("/console/officer/").text
    kinds = _kinds(page)
    for kind in ("Privacy request", "Legal request", "Breach clock", "CPNI certification", "CPNI notice renewals"):
        assert kind in kinds, kind
    days = re.findall(r'<tr data-kind="[^"]+">\s*<td>(\d{4}-\d\d-\d\d)</td>', page)
    assert len(days) == len(kinds) and days == sorted(days)  # nothing is done yet: all open, soonest first
    assert f"Calendar year {now.year - 1}" in page
    assert CANARY_NAME not in page and CANARY_EMAIL not in page


def test_the_store_figures_are_on_the_officers_home_and_not_on_the_public_page(
        client: TestClient, officer: Staff, account_id: int) -> None:
    """Issue 18 §4: "the store figures now shown on the public home page (move them here; the public page must
    not expose them)"."""
    public = client.get("/").text
    assert "figure-accounts-total" not in public and "Call records" not in public
    sign_in(client, officer)
    page = client.get("/console/officer/").text
    assert re.search(r'id="figure-accounts-total">1<', page)
    assert re.search(r'id="figure-call-records">1<', page)


def test_the_charts_are_inline_svg_with_their_figures_as_a_table(
        client: TestClient, engine: Engine, officer: Staff, rep: Staff, account_id: int) -> None:
    csrf = sign_in(client, rep)  # a ticket on a technical topic refuses call detail: an access deny
    client.post("/console/tickets", data={"account_ref": "ACC-0001", "topic": "technical",
                                          "channel": "inbound_call", "csrf_token": csrf})
    client.cookies.clear()
    sign_in(client, officer)
    page = client.get("/console/officer/").text
    chart = page.split('id="chart-access"', 1)[1].split("</section>", 1)[0]
    assert '<svg class="chart"' in chart and "<script" not in page and "http://" not in chart.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    month = utcnow().strftime("%Y-%m")
    assert re.search(rf"<th scope=\"row\">{month}</th><td class=\"num\">1</td><td class=\"num\">0</td>", chart)
    for chart_id in ("chart-legal", "chart-retention", "chart-privacy"):
        assert f'id="{chart_id}"' in page


def test_retention_never_run_raises_the_alarm_and_run_now_runs_it_after_confirmation(
        client: TestClient, engine: Engine, officer: Staff, account_id: int) -> None:
    csrf = sign_in(client, officer)
    page = client.get("/console/officer/").text
    assert 'id="retention-alarm"' in page and "The retention schedule has never run" in page
    confirm = client.get("/console/officer/retention/run-now")
    assert confirm.status_code == 200 and 'name="confirm" value="yes"' in confirm.text
    unconfirmed = client.post("/console/officer/retention/run-now", data={"csrf_token": csrf},
                              follow_redirects=False)
    assert unconfirmed.status_code == 303
    with engine.connect() as conn:
        assert audit.search(conn, action="retention.run_now") == []
    ran = client.post("/console/officer/retention/run-now", data={"confirm": "yes", "csrf_token": csrf})
    assert ran.status_code == 200 and "Retention ran: run 1" in ran.text
    assert 'id="retention-alarm"' not in ran.text
    with engine.connect() as conn:
        assert [e.actor for e in audit.search(conn, action="retention.run_now")] == [f"staff:{officer.username}"]
        assert audit.search(conn, action="retention.receipt")[0].actor == "job:retention"


def test_run_now_needs_the_forms_token_and_the_officer(client: TestClient, officer: Staff, rep: Staff) -> None:
    sign_in(client, officer)
    assert client.post("/console/officer/retention/run-now", data={"confirm": "yes"}).status_code == 403
    client.cookies.clear()
    csrf = sign_in(client, rep)
    assert client.post("/console/officer/retention/run-now",
                       data={"confirm": "yes", "csrf_token": csrf}).status_code == 403
    assert client.get("/console/officer/cpni-registers").status_code == 403


def test_the_officer_records_a_complaint_its_outcome_and_a_data_broker_action(
        client: TestClient, engine: Engine, officer: Staff) -> None:
    csrf = sign_in(client, officer)
    page = client.get("/console/officer/cpni-registers").text
    for label in ("Improper access by employees", "Improper disclosure to unauthorized individuals",
                  "Improper online access by unauthorized individuals", "Other"):
        assert f">{label}</option>" in page
    today = utcnow().date().isoformat()
    refused = client.post("/console/officer/cpni-registers/complaints", data={
        "received": today, "category": "employee_access", "summary": "", "csrf_token": csrf})
    assert refused.status_code == 422 and "Summary: say what" in refused.text
    client.post("/console/officer/cpni-registers/complaints", data={
        "received": today, "category": "employee_access", "summary": "says staff read their calls",
        "csrf_token": csrf})
    reference = f"CC-{today[:4]}-0001"
    page = client.post(f"/console/officer/cpni-registers/complaints/{reference}/outcome",
                       data={"outcome": "unfounded: no access in the audit trail", "csrf_token": csrf}).text
    assert "unfounded: no access in the audit trail" in page
    page = client.post("/console/officer/cpni-registers/broker-actions", data={
        "detected": today, "attempt": "caller posed as the customer", "action": "proceeding",
        "detail": "Travis County, case 1", "csrf_token": csrf}).text
    assert "Proceedings instituted" in page and "Travis County, case 1" in page
    with engine.connect() as conn:
        assert [c.outcome for c in registers.complaints(conn)] == ["unfounded: no access in the audit trail"]
        assert {e.action for e in audit.search(conn, action="complaint.*")} == {"complaint.record",
                                                                               "complaint.resolve"}
        assert len(audit.search(conn, action="broker_action.record")) == 1
    assert csrf_of(page)
