"""The annotated example in docs/policy.md is a valid policy, so the documentation cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from custodian.policy.check import check_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "policy.md"


def test_the_annotated_example_in_the_policy_documentation_is_valid() -> None:
    example = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    result = check_text(example.group(1))
    assert result.valid, [problem.render("docs/policy.md") for problem in result.problems]
