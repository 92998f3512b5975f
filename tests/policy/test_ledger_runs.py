"""The ledger's `enforced` grade is earned by runtime code, never by reading the policy file.

"enforced: runtime code makes the promise true ... and at least one cited test drives that runtime code and
would fail if the enforcement were removed. A test that only reads the policy file or the compiled tables
does not count." (docs/policy.md, "The ledger")
"""

from __future__ import annotations

import pytest

from tests.policy.ledger_runs import Entry, enforced_entries, function_lines, runtime_contexts, unproven

POLICY_ONLY = "tests/policy/test_policy_spectrumvoip.py::test_standard_accounts_keep_the_newest_5000_sms_messages"
RUNTIME = "tests/legal/test_validate.py::test_a_complete_law_enforcement_request_has_no_problems"


def test_only_lines_inside_functions_count_as_running_code() -> None:
    source = "import os\nLIMIT = 3\n\ndef f(x):\n    y = x + 1\n    if y:\n        return y\n    return 0\n"
    assert function_lines(source) == frozenset({5, 6, 7, 8})


@pytest.mark.slow
def test_every_enforced_promise_cites_a_test_that_drives_runtime_code() -> None:
    entries = enforced_entries()
    driving, summary = runtime_contexts({test for entry in entries for test in entry.tests}
                                        | {POLICY_ONLY, RUNTIME})
    assert "failed" not in summary and "error" not in summary, summary
    # The check cannot be fooled: a test that reads only the policy file drives no runtime code, and a
    # behavioural test does.
    assert unproven([Entry("x", "policy only", (POLICY_ONLY,))], driving)
    assert not unproven([Entry("x", "runtime", (RUNTIME,))], driving)
    failing = unproven(entries, driving)
    assert not failing, "enforced promises whose tests drive no runtime code:\n" + "\n".join(
        f"  {entry.policy} {entry.id}: {', '.join(entry.tests)}" for entry in failing)
