"""`custodian dsr due` prints the deadline of a request as JSON (issue 15 §3)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.builders.legal import spectrumvoip_with_privacy_requests


def test_due_prints_exactly_the_due_day_and_the_extended_due_day(cli: Callable[..., Result]) -> None:
    result = cli("dsr", "due", "--type", "access", "--jurisdiction", "US-CA", "--received", "2026-03-02", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"due": "2026-04-16", "extended_due": "2026-05-31"}


def test_due_has_no_extended_day_for_an_opt_out(cli: Callable[..., Result]) -> None:
    result = cli("dsr", "due", "--type", "opt_out", "--jurisdiction", "US-CA", "--received", "2026-06-26", "--json")
    assert json.loads(result.stdout) == {"due": "2026-07-20", "extended_due": None}


def test_due_reads_the_table_of_a_policy_file(cli: Callable[..., Result], tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(spectrumvoip_with_privacy_requests(
        "  deadlines:\n    - jurisdictions: [GB]\n      types: [access]\n      period: {days: 20}\n"), encoding="utf-8")
    result = cli("dsr", "due", "--type", "access", "--jurisdiction", "GB", "--received", "2026-01-01",
                 "--policy", str(policy), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"due": "2026-01-21", "extended_due": None}


def test_due_reads_the_policy_in_force(initialised: Path, cli: Callable[..., Result], tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(spectrumvoip_with_privacy_requests(
        "  deadlines:\n    - jurisdictions: [US-CA]\n      types: [access]\n      period: {days: 10}\n"),
        encoding="utf-8")
    assert cli("policy", "activate", str(policy)).exit_code == 0
    result = cli("dsr", "due", "--type", "access", "--jurisdiction", "US-CA", "--received", "2026-01-01", "--json")
    assert json.loads(result.stdout) == {"due": "2026-01-11", "extended_due": None}


def test_due_names_the_missing_rule_and_exits_non_zero(cli: Callable[..., Result]) -> None:
    result = cli("dsr", "due", "--type", "shine_the_light", "--jurisdiction", "DE", "--received", "2026-01-01")
    assert result.exit_code == 1
    assert "no deadline for shine_the_light requests from DE" in result.output


def test_due_rejects_a_day_that_is_not_a_date(cli: Callable[..., Result]) -> None:
    result = cli("dsr", "due", "--type", "access", "--jurisdiction", "US-CA", "--received", "yesterday")
    assert result.exit_code == 1
    assert "is not a date" in result.output
