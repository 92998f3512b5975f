"""Vendors and contracts in the console (issue 17 §4): each recipient of the policy in force with its kind, country,
contract terms, what it may receive and what the disclosure ledger says it received; the officer records contract
reviews and is warned when one is overdue. The legal desk may read the page; nobody else opens it."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.db.engine import transaction
from custodian.disclosures.store import Release, record_release
from custodian.disclosures.tables import recipient_contract_review
from custodian.disclosures.vendors import add_months
from custodian.kernel.clock import utcnow
from tests.builders.staff import Staff, sign_in


def _row(page: str, key: str) -> str:
    found = re.search(rf'<tr id="vendor-{key}">(.*?)</tr>', page, re.S)
    assert found, key
    return found.group(1)


def _review(client: TestClient, csrf: str, **changes: str) -> object:
    form = {"recipient": "fraud_exchange", "reviewed_on": utcnow().date().isoformat(), "next_review_on": "",
            "note": "Checked the data protection addendum", "csrf_token": csrf, **changes}
    return client.post("/console/vendors/reviews", data=form)


def test_the_officer_sees_each_recipient_its_contract_and_what_it_received(client: TestClient, officer: Staff,
                                                                          engine: Engine) -> None:
    with transaction(engine) as conn:
        record_release(conn, Release("fraud_exchange", "fraud_prevention", ("subscriber.basic",), "identifiable", 0,
                                     "0" * 64, "csv"), [1, 2, 3], actor="staff:petra", now=utcnow())
        record_release(conn, Release("Acme Holdings", "business_transfer", ("subscriber.basic",), "identifiable", 0,
                                     "1" * 64, "json"), [1, 2], actor="staff:petra", now=utcnow())
    sign_in(client, officer)
    page = client.get("/console/vendors").text
    assert len(re.findall(r'<tr id="vendor-', page)) == 10  # every recipient of the SpectrumVoIP policy
    fraud = _row(page, "fraud_exchange")
    assert "Third party (partner)" in fraud and "Same protection level" in fraud
    assert "Subscriber details, Billing transactions" in fraud and "subscriber.basic" not in fraud
    assert "Fraud prevention" in fraud
    assert f"1 release, 3 accounts<br>Last {utcnow().date().isoformat()}" in fraud
    assert "Processor (acts on our instructions)" in _row(page, "payment_processor")
    assert "Pci dss" not in page and "PCI DSS" in _row(page, "payment_processor")
    assert "De-identified data" in _row(page, "google_analytics")
    assert "None yet" in _row(page, "gravatar")
    assert "No contract review is recorded" in fraud
    others = re.search(r'id="other-recipients">(.*?)</table>', page, re.S)
    assert others and "<td>Acme Holdings</td><td>Successor (business transfer)</td>" in others.group(1)


def test_a_recorded_review_is_shown_audited_and_clears_the_warning(client: TestClient, officer: Staff,
                                                                  engine: Engine) -> None:
    csrf = sign_in(client, officer)
    page = _review(client, csrf).text  # type: ignore[attr-defined]
    fraud = _row(page, "fraud_exchange")
    today = utcnow().date()
    assert f"Reviewed {today.isoformat()}" in fraud and "No contract review is recorded" not in fraud
    assert f"Due {add_months(today, 12).isoformat()}" in fraud
    with transaction(engine) as conn:
        [event] = conn.execute(select(audit_event).where(audit_event.c.action == "vendor.contract_reviewed")).all()
        [row] = conn.execute(select(recipient_contract_review)).all()
    assert event.actor == "staff:petra" and "Checked" not in (event.detail or "")  # the note stays out of the trail
    assert (row.recipient, row.reviewed_by, row.note) == ("fraud_exchange", "staff:petra",
                                                          "Checked the data protection addendum")


def test_a_review_older_than_twelve_months_or_past_its_next_day_is_overdue(client: TestClient,
                                                                           officer: Staff) -> None:
    csrf = sign_in(client, officer)
    today = utcnow().date()
    _review(client, csrf, reviewed_on=(today - timedelta(days=400)).isoformat())
    page = _review(client, csrf, recipient="gravatar", reviewed_on=(today - timedelta(days=30)).isoformat(),
                   next_review_on=(today - timedelta(days=1)).isoformat()).text  # type: ignore[attr-defined]
    assert "The contract review is overdue" in _row(page, "fraud_exchange")
    gravatar = _row(page, "gravatar")
    assert f"it was due on {(today - timedelta(days=1)).isoformat()}" in gravatar and "Overdue since" in gravatar


def test_a_review_form_with_a_mistake_is_answered_with_the_reason(client: TestClient, officer: Staff) -> None:
    csrf = sign_in(client, officer)
    answer = _review(client, csrf, reviewed_on="last week")
    assert answer.status_code == 422 and "Give the review day as YYYY-MM-DD" in answer.text  # type: ignore[attr-defined]
    assert "Checked the data protection addendum</textarea>" in answer.text  # type: ignore[attr-defined]
    answer = _review(client, csrf, recipient="nobody")
    assert answer.status_code == 422 and "lists no recipient" in answer.text  # type: ignore[attr-defined]
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    assert _review(client, csrf, reviewed_on=tomorrow).status_code == 422  # type: ignore[attr-defined]
    assert _review(client, csrf, csrf_token="forged").status_code == 403  # type: ignore[attr-defined]


def test_the_legal_desk_reads_the_list_but_only_the_officer_records_reviews(client: TestClient, officer: Staff,
                                                                             desk: Staff, rep: Staff) -> None:
    csrf = sign_in(client, desk)
    page = client.get("/console/vendors")
    assert page.status_code == 200 and 'id="review-form"' not in page.text
    assert _review(client, csrf).status_code == 403  # type: ignore[attr-defined]
    client.cookies.clear()
    csrf = sign_in(client, rep)
    assert client.get("/console/vendors").status_code == 403
    assert _review(client, csrf).status_code == 403  # type: ignore[attr-defined]
