"""Records of processing activities from the SpectrumVoIP policy: controller (Art. 30(1)) and processor
(Art. 30(2)) records (issue 18 §3)."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

from custodian.compliance.ropa import ProcessingRecord, records_of_processing, ropa_csv, ropa_html, ropa_json
from custodian.policy.document import PolicyDocument
from tests.builders.policy import example_policy

POLICY: PolicyDocument = example_policy("002-spectrumvoip.yaml").document


def _by_set() -> dict[str, ProcessingRecord]:
    return {record.data_set: record for record in records_of_processing(POLICY)}


def test_every_data_set_gets_the_record_of_its_role() -> None:
    records = _by_set()
    assert {name: (r.role, r.article) for name, r in records.items()} == {
        "own_business": ("controller", "GDPR Art. 30(1)"),
        "client_end_user_data": ("processor", "GDPR Art. 30(2)"),
        "direct_client_cpni": ("controller", "GDPR Art. 30(1)")}
    assert records["own_business"].controller == "SpectrumVoIP, Inc."
    assert records["client_end_user_data"].processor == "SpectrumVoIP, Inc."
    assert "privacy@spectrumvoip.com" in records["own_business"].contact


def test_a_processor_record_lists_only_what_the_controller_authorised() -> None:
    """Seed 002: "process the information only as authorized by the data controller"."""
    record = _by_set()["client_end_user_data"]
    authorised = next(d for d in POLICY.data_sets if d.id == "client_end_user_data").purposes
    assert [p.split(":")[0] for p in record.purposes] == [k.replace("_", " ").capitalize() for k in authorised]
    assert record.recipients == () and record.retention == ()  # Art. 30(2) asks for neither


def test_controller_records_name_recipients_of_their_classes_transfers_retention_and_security() -> None:
    record = _by_set()["own_business"]
    assert "Third-party credit card payment processing agents (processor)" in record.recipients
    assert "Gravatar (partner)" not in record.recipients  # app.avatar_hash is not in this data set
    assert record.transfers == ("From EEA, GB, CH to US: privacy shield",)
    assert "Website visitors" in record.data_subjects and "Prospective customers" in record.data_subjects
    assert "Contact: email" in record.data_categories
    assert any(line.startswith("Subscriber details: as long as needed") for line in record.retention)
    assert record.retention[-1] == "After an account closes: deleted after 30 days, at the latest 45 days"
    assert any("AES-256-GCM" in line for line in record.security)


def test_the_three_formats_carry_the_same_records() -> None:
    records = records_of_processing(POLICY)
    as_json = json.loads(ropa_json(records))["records_of_processing"]
    rows = list(csv.DictReader(io.StringIO(ropa_csv(records))))
    assert [r["data_set"] for r in as_json] == [r["data_set"] for r in rows] == [r.data_set for r in records]
    assert rows[0]["recipients"].split("; ") == list(records[0].recipients)
    page = ropa_html(POLICY.provider.name, records)
    parser = _Text()
    parser.feed(page)
    assert "<script" not in page and "http" not in page.split("<body>")[0]
    assert all(r.data_set in parser.text for r in records) and records[0].recipients[0] in parser.text


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    def handle_data(self, data: str) -> None:
        self.text += data
