"""The breach section example in docs/compliance.md is a valid policy section, and the worked example of the
command prints what the clocks compute, so the documentation cannot drift."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import yaml

from custodian.compliance.clocks import deadlines
from custodian.policy.document_compliance import Breach

DOC = Path(__file__).resolve().parents[2] / "docs" / "compliance.md"


def test_the_breach_section_example_is_valid_and_its_clock_follows_it() -> None:
    example = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    section = Breach.model_validate(yaml.safe_load(example.group(1))["breach"])
    assert deadlines("texas", date(2026, 11, 26), affected=250, rule_sets=section.rule_sets) == {
        "customer_notice_due": date(2027, 1, 25), "attorney_general_due": date(2026, 12, 26)}


def test_the_documented_clock_output_is_what_the_clocks_compute() -> None:
    shown = re.search(r"--le-notified 2026-11-23 --json\n(\{.*?\})\n", DOC.read_text(encoding="utf-8"))
    assert shown is not None
    computed = deadlines("fcc_2007", date(2026, 11, 20), le_notified=date(2026, 11, 23))
    assert json.loads(shown.group(1)) == {key: day.isoformat() for key, day in computed.items()}
