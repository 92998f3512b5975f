"""`custodian legal validate|scope|quote` behave exactly as issue #4 specifies (output shapes, exit codes)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.builders.files import ACCOUNTS_HEADER, NUMBERS_HEADER, account_line, csv_file, number_line
from tests.builders.legal import LAW_ENFORCEMENT, SPECTRUMVOIP

Cli = Callable[..., Result]


def _write(tmp_path: Path, data: object, name: str = "request.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_validate_prints_valid_and_no_problems_for_a_good_request(cli: Cli, tmp_path: Path) -> None:
    result = cli("legal", "validate", str(_write(tmp_path, LAW_ENFORCEMENT)), "--policy", str(SPECTRUMVOIP), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"valid": True, "problems": [], "warnings": [], "route": None}


def test_validate_prints_warnings_of_a_valid_request_and_the_route_of_a_customers_own(cli: Cli,
                                                                                     tmp_path: Path) -> None:
    """A judge's order over the two-month range is valid with a warning ('generally up to 2 months'); a
    customer's own request is routed, not refused (47 U.S.C. 222(c)(2))."""
    long = {**LAW_ENFORCEMENT, "date_range": {"from": "2025-09-01", "to": "2026-02-28"}}
    body = json.loads(cli("legal", "validate", str(_write(tmp_path, long)), "--policy", str(SPECTRUMVOIP),
                          "--json").stdout)
    assert body["valid"] is True and body["problems"] == []
    assert [(w["code"], w["field"]) for w in body["warnings"]] == [("date_range_too_long", "date_range")]
    text = cli("legal", "validate", str(_write(tmp_path, long)), "--policy", str(SPECTRUMVOIP)).stdout
    assert "valid" in text and "warning: date_range: date_range_too_long" in text
    own = {**LAW_ENFORCEMENT, "requester": {"type": "customer", "email": "me@example.com"}}
    body = json.loads(cli("legal", "validate", str(_write(tmp_path, own)), "--policy", str(SPECTRUMVOIP),
                          "--json").stdout)
    assert body == {"valid": True, "problems": [], "warnings": [], "route": "customer_requests"}


def test_validate_exits_zero_with_the_problems_of_a_bad_request(cli: Cli, tmp_path: Path) -> None:
    bad = {**LAW_ENFORCEMENT, "targets": [], "requested_response_on": "2026-03-03"}
    result = cli("legal", "validate", str(_write(tmp_path, bad)), "--policy", str(SPECTRUMVOIP), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["valid"] is False
    assert [(p["code"], p["field"]) for p in body["problems"]] == [
        ("response_date_too_soon", "requested_response_on"), ("target_missing", "targets")]
    assert all(set(p) == {"code", "field", "message"} for p in body["problems"])


def test_validate_exits_two_for_unreadable_input(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert cli("legal", "validate", str(broken), "--policy", str(SPECTRUMVOIP), "--json").exit_code == 2
    wrong = _write(tmp_path, {**LAW_ENFORCEMENT, "received_on": "2026-13-45"}, "wrong.json")
    result = cli("legal", "validate", str(wrong), "--policy", str(SPECTRUMVOIP), "--json")
    assert result.exit_code == 2 and "received_on" in result.stderr
    assert cli("legal", "validate", str(tmp_path / "absent.json"), "--json").exit_code == 2


def test_without_policy_the_version_in_force_is_used_or_the_command_fails_clearly(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    request = str(_write(tmp_path, LAW_ENFORCEMENT))
    result = cli("legal", "validate", request, "--json")
    assert result.exit_code == 1 and "no policy is in force" in result.stderr
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    result = cli("legal", "validate", request, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["valid"] is True


def test_quote_prints_total_and_lines(cli: Cli, tmp_path: Path) -> None:
    quote_input = {"accounts": 2, "record_classes": ["subscriber.basic", "cpni.call_log"],
                   "date_range": {"from": "2026-01-01", "to": "2026-02-28"}, "preservation": False,
                   "expedite": False, "chat_engineer_hours": 0, "paralegal_hours": 0, "engineer_hours": 0,
                   "attorney_hours": 0, "pages": 0, "notarized_documents": 0, "signatures": 0}
    result = cli("legal", "quote", str(_write(tmp_path, quote_input)), "--policy", str(SPECTRUMVOIP), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"total_cents": 26000, "lines": [
        {"code": "basic_records", "quantity": 2, "unit_cents": 5000, "amount_cents": 10000},
        {"code": "call_fax_logs", "quantity": 4, "unit_cents": 4000, "amount_cents": 16000}]}


def test_scope_lists_every_holder_with_the_intersection(cli: Cli, initialised: Path, tmp_path: Path) -> None:
    """'a given telephone number may be assigned to many different users over a comparatively short period'."""
    accounts = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER, [account_line("ACC-1"), account_line("ACC-2")])
    numbers = csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line("+15125550100", "ACC-1", "2025-06-01", "2026-01-15"),
        number_line("+15125550100", "ACC-2", "2026-01-20"),
        number_line("+15125550199", "ACC-1", "2025-06-01")])
    assert cli("import", "accounts", str(accounts)).exit_code == 0
    assert cli("import", "numbers", str(numbers)).exit_code == 0
    result = cli("legal", "scope", "--number", "(512) 555-0100", "--from", "2026-01-01", "--to", "2026-02-28",
                 "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"matches": [
        {"account_ref": "ACC-1", "from": "2026-01-01", "to": "2026-01-14"},
        {"account_ref": "ACC-2", "from": "2026-01-20", "to": "2026-02-28"}]}
    assert cli("legal", "scope", "--number", "12", "--from", "2026-01-01", "--to", "2026-02-28").exit_code == 1
