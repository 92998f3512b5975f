"""The promise ledger: each promise says what keeps it, and names only rules that exist."""

from __future__ import annotations

import pytest

from custodian.policy.check import check_text
from custodian.policy.ledger import summarise
from tests.builders.policy import SMALL_POLICY


def _with_ledger(entries: str) -> str:
    return SMALL_POLICY + "seed_document: example.txt\npromises:\n" + entries


ENFORCED = """\
  - id: P01
    quote: We keep call recordings for 90 days.
    status: enforced
    enforced_by: [retention.rules.0, legal.process.civil.cpni.call_log]
    tests: [tests/policy/test_compiled.py::test_retention_rules_are_found_by_class_and_profile]
"""
PROCESS = """\
  - id: P02
    quote: Employees who break this policy are disciplined.
    status: process
    explanation: Discipline is an HR process.
"""
DECLARED = """\
  - id: P04
    quote: We never sell your data to advertisers.
    status: declared
    enforced_by: [retention.rules.0]
    pending_feature: disclosures gate
"""
PENDING = """\
  - id: P03
    quote: You may opt out of marketing at any time.
    status: not_yet_enforced
    pending_feature: consent ledger
"""


def test_a_ledger_counts_its_four_grades() -> None:
    result = check_text(_with_ledger(ENFORCED + DECLARED + PROCESS + PENDING))
    assert result.valid and result.document is not None, result.problems
    summary = summarise(result.document)
    assert (summary.total, summary.enforced, summary.declared, summary.process, summary.not_yet_enforced) == (
        4, 1, 1, 1, 1)
    assert summary.sentence() == "4 promises: 1 enforced, 1 declared, 1 kept by people, 1 not yet enforced"


def test_a_promise_naming_a_rule_that_does_not_exist_is_an_error() -> None:
    problem, = check_text(_with_ledger(ENFORCED.replace("retention.rules.0", "retention.rules.9"))).problems
    assert problem.path == "promises.0.enforced_by.0"
    assert problem.message == "no rule at 'retention.rules.9' in this file"


@pytest.mark.parametrize(("entry", "message"), [
    (ENFORCED.split("    tests:")[0],
     "names the rules that enforce it and the tests that prove it"),
    (PROCESS.replace("    explanation: Discipline is an HR process.\n", ""), "explains why no software can keep it"),
    (PENDING.replace("    pending_feature: consent ledger\n", ""), "names the feature that will enforce it"),
    (DECLARED.replace("    pending_feature: disclosures gate\n", ""), "names the rules that state it and the feature"),
])
def test_each_status_needs_its_evidence(entry: str, message: str) -> None:
    problem, = check_text(_with_ledger(entry)).problems
    assert problem.path == "promises.0" and message in problem.message


def test_a_promise_id_may_appear_only_once() -> None:
    problem, = check_text(_with_ledger(PROCESS + PROCESS)).problems
    assert problem.message == "promise 'P02' appears twice"
