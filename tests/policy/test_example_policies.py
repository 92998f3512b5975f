"""The seed providers' policies under examples/policies/: valid, and their promise ledgers honest.

Each ledger entry quotes its seed document verbatim (checked when CUSTODIAN_SEEDS_DIR is set), and
every rule and test it names exists.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from custodian.policy.check import check_file
from custodian.policy.document import PolicyDocument

ROOT = Path(__file__).resolve().parents[2]
POLICIES = sorted((ROOT / "examples" / "policies").glob("*.yaml"))
SEEDS = os.environ.get("CUSTODIAN_SEEDS_DIR")


def _document(path: Path) -> PolicyDocument:
    result = check_file(path)
    assert result.valid and result.document is not None, [p.render(str(path)) for p in result.problems]
    return result.document


def _ids(paths: list[Path]) -> list[str]:
    return [path.stem for path in paths]


@pytest.mark.parametrize("path", POLICIES, ids=_ids(POLICIES))
def test_the_example_policy_passes_the_checker_and_carries_a_ledger(path: Path) -> None:
    document = _document(path)
    assert document.seed_document, "name the seed document the promises quote"
    assert document.promises, "list the seed document's promises"


@pytest.mark.parametrize("path", POLICIES, ids=_ids(POLICIES))
def test_every_promise_quotes_its_seed_document_verbatim(path: Path) -> None:
    if not SEEDS:
        pytest.skip("CUSTODIAN_SEEDS_DIR is not set")
    document = _document(path)
    seed = (Path(SEEDS) / document.seed_document).read_text(encoding="utf-8")
    assert [p.id for p in document.promises if p.quote not in seed] == []


@pytest.mark.parametrize("path", POLICIES, ids=_ids(POLICIES))
def test_every_test_a_ledger_names_exists(path: Path) -> None:
    missing = []
    for promise in _document(path).promises:
        for test_id in promise.tests:
            file, _, name = test_id.partition("::")
            source = ROOT / file
            if not name or not source.is_file() or not re.search(rf"def {re.escape(name)}\(", source.read_text()):
                missing.append(f"{promise.id}: {test_id}")
    assert missing == []
