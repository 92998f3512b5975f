"""The annotated example in docs/policy.md is a valid policy, so the documentation cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from custodian.policy.check import check_text
from custodian.policy.compiled import compile_policy

DOC = Path(__file__).resolve().parents[2] / "docs" / "policy.md"


def test_the_annotated_example_in_the_policy_documentation_is_valid() -> None:
    example = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    result = check_text(example.group(1))
    assert result.valid, [problem.render("docs/policy.md") for problem in result.problems]


def test_the_sharing_terms_example_is_valid_appended_to_the_annotated_example() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    sharing = re.search(r"```yaml sharing\n(.*?)```", text, re.S)
    assert example is not None and sharing is not None
    result = check_text(example.group(1) + sharing.group(1))
    assert result.valid, [problem.render("docs/policy.md") for problem in result.problems]
    assert result.document is not None and result.document.business_transfer is not None


def _merged(base: object, extra: object) -> object:
    if isinstance(base, dict) and isinstance(extra, dict):
        return {**base, **{key: _merged(base.get(key), value) for key, value in extra.items()}}
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


def test_the_keys_documented_inside_the_sections_are_valid_merged_into_the_example() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    inside = re.search(r"```yaml inside\n(.*?)```", text, re.S)
    assert example is not None and inside is not None
    merged = yaml.safe_dump(_merged(yaml.safe_load(example.group(1)), yaml.safe_load(inside.group(1))),
                            sort_keys=False)
    result = check_text(merged)
    assert result.valid, [f"{problem.path}: {problem.message}" for problem in result.problems]
    assert result.document is not None and "content.call_recording" in compile_policy(
        result.document, merged).sensitive
