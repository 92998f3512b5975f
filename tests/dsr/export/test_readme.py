"""The README counts records the way a person reads them."""

from __future__ import annotations

from datetime import UTC, datetime

from custodian.access.self_access_rules import SelfAccess
from custodian.dsr.export.readme import readme_text


def test_the_readme_says_one_record_and_thousands_of_records_in_plain_words() -> None:
    access = SelfAccess(("subscriber.basic", "cpni.call_log"), {}, ())
    text = readme_text("Acme Voice", "ACC-1", access, {"subscriber.basic": 1, "cpni.call_log": 12345},
                       contact="", now=datetime(2026, 3, 2, tzinfo=UTC))
    assert "\n1 record. Your account" in text and "\n12,345 records. Your calls" in text
    assert "Not in this copy" not in text and "Kept outside" not in text
