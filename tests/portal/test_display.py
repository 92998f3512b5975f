"""The portal writes the customer's records for a person (issue 15 §2: "rendered for a person (labels, not
class names)"): stored words become labels and E.164 numbers are written as people in the account's country
write them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custodian.portal.display import media_name, shown_cell, shown_fields, shown_rows


def test_the_accounts_kind_and_status_read_as_labels_and_its_phone_as_written_at_home() -> None:
    fields = (("Account", "ACC-0001"), ("Kind", "residential"), ("Status", "active"),
              ("Contact phone", "+15125550100"), ("Company", ""))
    assert shown_fields(fields, "US") == (("Account", "ACC-0001"), ("Kind", "Residential"), ("Status", "Active"),
                                          ("Contact phone", "(512) 555-0100"), ("Company", ""))
    assert dict(shown_fields((("Kind", "business"),), "US")) == {"Kind": "Business"}


def test_a_call_row_reads_in_words_and_national_numbers_with_times_and_counts_untouched() -> None:
    at = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
    row = {"started": at, "direction": "out", "own_number": "+15125550100", "other_party": "+442079460018",
           "billed_seconds": 60, "outcome": "no_answer"}
    assert shown_rows((row,), "US") == ({"started": at, "direction": "Outgoing", "own_number": "(512) 555-0100",
                                         "other_party": "+44 20 7946 0018", "billed_seconds": 60,
                                         "outcome": "No answer"},)


def test_a_british_account_sees_its_own_numbers_as_written_in_britain() -> None:
    assert shown_cell("number", "+442079460018", "GB") == "020 7946 0018"


@pytest.mark.parametrize(("column", "stored", "shown"), [
    ("brand", "visa", "Visa"), ("brand", "amex", "American Express"), ("method", "bank_transfer", "Bank transfer"),
    ("state", "pending_review", "Pending review"), ("direction", "in", "Incoming"),
    ("comment", "residential customer", "residential customer"),  # free text is never rewritten
])
def test_stored_words_of_known_columns_become_labels(column: str, stored: str, shown: str) -> None:
    assert shown_cell(column, stored, "US") == shown


@pytest.mark.parametrize(("stored", "shown"), [("audio/wav", "Audio (WAV)"), ("audio/x-wav", "Audio (WAV)"),
                                               ("application/pdf", "PDF document"), ("image/tiff", "Image (TIFF)"),
                                               ("", "File")])
def test_media_types_are_named_for_people(stored: str, shown: str) -> None:
    assert media_name(stored) == shown
