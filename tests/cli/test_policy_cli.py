"""`custodian policy check FILE`: exit 0 when valid, else every problem as FILE:LINE: field.path: message."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders.policy import SMALL_POLICY, line_of, policy_with
from tests.cli.conftest import run_cli


def test_a_valid_policy_passes_with_a_one_line_summary(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(SMALL_POLICY)
    result = run_cli("policy", "check", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (f"{path}: valid — Example Telecom, Inc.: 4 record classes, 2 purposes, "
                                     "1 staff roles, 1 recipients, 3 retention rules")


def test_an_invalid_policy_prints_every_problem_with_its_line_and_exits_1(tmp_path: Path) -> None:
    text = policy_with("  website: https://telecom.example\n", "  webpage: https://telecom.example\n")
    text = text.replace("    choice: opt_out\n", "    choice: none\n")
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    result = run_cli("policy", "check", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"{path}:{line_of(text, 'webpage')}: provider.webpage: unknown key"]
    path.write_text(policy_with("    choice: opt_out\n", "    choice: none\n"))
    result = run_cli("policy", "check", str(path), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"valid": False, "problems": [{
        "line": line_of(path.read_text(), "marketing.communications.email") + 1,
        "path": "purposes.marketing_offers.choice",
        "message": "choice none is only for essential data uses"}], "warnings": []}


def test_privacy_shield_is_a_warning_that_leaves_the_policy_valid(tmp_path: Path) -> None:
    text = policy_with("    purposes: [provide_service]\nretention:",
                       "    purposes: [provide_service]\n    country: IE\n"
                       "    transfer_mechanism: privacy_shield\nretention:")
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    result = run_cli("policy", "check", str(path))
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout
    line = line_of(text, "transfer_mechanism: privacy_shield")
    assert f"warning: {path}:{line}: recipients.card_processor.transfer_mechanism: Privacy Shield is no longer" \
        in result.stderr
    answer = json.loads(run_cli("policy", "check", str(path), "--json").stdout)
    assert answer["valid"] is True and answer["problems"] == []
    assert [w["path"] for w in answer["warnings"]] == ["recipients.card_processor.transfer_mechanism"]


def test_the_ledger_prints_its_four_counts_first_and_filters_by_grade() -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / "policies" / "003-quality-communications.yaml"
    result = run_cli("policy", "promises", str(path))
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("25 promises: ") and all(
        word in first for word in ("enforced", "declared", "kept by people", "not yet enforced"))
    shown = json.loads(run_cli("policy", "promises", str(path), "--grade", "declared", "--json").stdout)
    assert shown["declared"] > 0 and {p["status"] for p in shown["promises"]} == {"declared"}
    assert run_cli("policy", "promises", str(path), "--grade", "kept").exit_code != 0
