"""The portal's pages and the export ZIP show a customer the same record classes and withhold the same ones for the
same reasons, under every seed provider's policy (issue 15 §2: "See" and "Download everything" are one door)."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from custodian.access import self_access
from custodian.access.rules import compile_access
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr.export.service import export_account
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.vocabulary import CLASS_LABELS
from tests.builders.policy import EXAMPLES, example_policy
from tests.builders.records import an_account

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)
POLICIES = sorted(path.name for path in EXAMPLES.glob("*.yaml"))


def _withholding_notes(policy: CompiledPolicy) -> CompiledPolicy:
    """The policy with fraud-investigation notes (the support comment log) never released to the customer."""
    document = policy.document
    process = {**document.legal.process, "customer": {"support.comment_log": "never"}}
    changed = document.model_copy(update={"legal": document.legal.model_copy(update={"process": process})})
    return compile_policy(changed, "withholding notes")


def _export(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy,
            out: Path) -> tuple[dict[str, object], str]:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        export_account(conn, keyring, blobs, policy.document, account_id, out, actor="customer", now=NOW)
    with zipfile.ZipFile(out) as archive:
        return json.loads(archive.read("manifest.json")), archive.read("README.txt").decode("utf-8")


def test_there_are_five_seed_policies_to_compare() -> None:
    assert len(POLICIES) == 5


@pytest.mark.parametrize("file_name", POLICIES)
@pytest.mark.parametrize("variant", ["as published", "withholding support notes"])
def test_the_portal_lists_exactly_the_classes_the_export_holds_and_withholds_the_rest_for_the_same_reasons(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path, file_name: str,
        variant: str) -> None:
    policy = example_policy(file_name)
    if variant != "as published":
        policy = _withholding_notes(policy)
    rules = compile_access(policy)
    manifest, readme = _export(engine, keyring, blobs, policy, tmp_path / "export.zip")
    assert manifest["record_classes"] == list(self_access.own_classes(rules))
    assert manifest["withheld"] == sorted(self_access.withheld(rules))
    for name, reason in self_access.withheld(rules).items():
        assert f"* {CLASS_LABELS.get(name, name)}: {reason}" in readme
    for name in self_access.elsewhere(rules):
        assert f"* {CLASS_LABELS.get(name, name)}" in readme
    assert "subscriber.credentials" not in self_access.own_classes(rules)
    if variant != "as published" and "support.comment_log" in policy.collected:
        assert "support.comment_log" in self_access.withheld(rules)
        assert not self_access.decide_own(rules, "support.comment_log").permit
