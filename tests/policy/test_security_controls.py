"""Security controls a policy declares: each is one Custodian enforces, proved by a named test.

The notice states every declared control, so a control may only be declarable when a test proves
the software keeps it.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

from custodian.policy.check import check_text
from custodian.policy.compiled import compile_policy
from custodian.policy.document_sharing import SecurityControl
from tests.builders.policy import SMALL_POLICY, notice_text, problems_of

ROOT = Path(__file__).resolve().parents[2]
CONTROL_PROOFS = {
    "encryption_at_rest": [
        "tests/records/test_encryption_at_rest.py::test_no_planted_personal_value_appears_in_the_database_file",
        "tests/records/test_encryption_at_rest.py::test_no_planted_personal_value_appears_in_any_blob_file"],
    "per_account_keys": [
        "tests/crypto/test_keyring.py::test_each_account_gets_its_own_data_key",
        "tests/crypto/test_envelope.py::test_a_field_sealed_under_another_accounts_key_does_not_open"],
    "crypto_shredding": [
        "tests/crypto/test_keyring.py::test_shredding_an_account_makes_its_fields_unreadable",
        "tests/crypto/test_keyring.py::test_shredding_an_account_makes_its_blobs_unreadable"],
    "card_numbers_never_stored": [
        "tests/ingest/test_billing_import.py::test_a_full_card_number_in_any_field_rejects_the_row_and_is_never_stored"],
    "tamper_evident_audit": [
        "tests/audit/test_store.py::test_editing_an_events_reason_in_sql_is_caught_at_that_event",
        "tests/audit/test_store.py::test_deleting_an_event_is_caught_where_it_went_missing"],
    "blind_index_lookup": [
        "tests/crypto/test_envelope.py::test_a_blind_index_differs_across_keys_values_and_kinds"],
}


def _defined(node_id: str) -> bool:
    file, name = node_id.split("::")
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    return any(isinstance(node, ast.FunctionDef) and node.name == name for node in tree.body)


def test_every_declarable_control_is_proved_by_tests_that_exist() -> None:
    assert set(CONTROL_PROOFS) == set(get_args(SecurityControl))
    missing = [node for proofs in CONTROL_PROOFS.values() for node in proofs if not _defined(node)]
    assert missing == []


def test_an_unknown_control_is_rejected() -> None:
    text = SMALL_POLICY + "security:\n  controls: [military_grade_encryption]\n"
    assert any(message.startswith("security.controls.0:") for message in problems_of(text))


def test_the_notice_states_each_declared_control_and_no_other() -> None:
    text = SMALL_POLICY + "security:\n  controls: [crypto_shredding]\n"
    result = check_text(text)
    assert result.document is not None
    security = notice_text(compile_policy(result.document, text), "security")
    assert "destroys its key" in security
    assert "tamper-evident" not in security
