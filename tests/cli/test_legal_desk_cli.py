"""The staff desk from the command line, end to end: enter, resolve, approve, produce, invoice, pay, deliver,
close — with a real local SMTP server receiving the customer notices."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path

import pytest
import pyzipper
from click.testing import Result

from tests.builders.files import ACCOUNTS_HEADER, NUMBERS_HEADER, account_line, csv_file, number_line
from tests.builders.legal import LAW_ENFORCEMENT, SPECTRUMVOIP
from tests.legal.test_invoices_and_notices import Inbox, smtp  # noqa: F401  (fixture)

Cli = Callable[..., Result]


def _ok(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_request_goes_from_entry_to_closure(cli: Cli, initialised: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, smtp: tuple[Inbox, object]) -> None:  # noqa: F811
    inbox, mailer = smtp
    monkeypatch.setenv("CUSTODIAN_SMTP_PORT", str(mailer.port))  # type: ignore[attr-defined]
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    accounts = csv_file(tmp_path / "a.csv", ACCOUNTS_HEADER, [account_line("ACC-1")])
    numbers = csv_file(tmp_path / "n.csv", NUMBERS_HEADER, [number_line("+15125550100", "ACC-1", "2025-01-01")])
    assert cli("import", "accounts", str(accounts)).exit_code == 0
    assert cli("import", "numbers", str(numbers)).exit_code == 0
    request = tmp_path / "request.json"
    request.write_text(json.dumps({**LAW_ENFORCEMENT, "record_classes": ["subscriber.basic"]}), encoding="utf-8")
    entered = _ok(cli("legal", "enter", str(request), "--actor", "staff:ana"))
    assert entered["state"] == "in_review"
    # DRG VIII: the customer is told when the request is accepted for review, not after delivery
    assert entered["notices"]["sent"] == 1 and len(inbox.messages) == 1  # type: ignore[index]
    rid = str(entered["id"])
    assert len(_ok(cli("legal", "resolve", rid, "--actor", "staff:ana"))["matches"]) == 1  # type: ignore[arg-type]
    refused = cli("legal", "approve", rid, "--class", "content.sms_body", "--rationale", "x", "--actor", "staff:ana")
    assert refused.exit_code == 1 and "not requested" in refused.stderr
    assert cli("legal", "approve", rid, "--class", "subscriber.basic", "--rationale", "2703(d) order in hand",
               "--actor", "staff:ana").exit_code == 0
    made = _ok(cli("legal", "produce", rid, "--out", str(tmp_path / "p.zip"), "--custodian", "Pat Lee",
                   "--actor", "staff:ana"))
    with pyzipper.AESZipFile(io.BytesIO((tmp_path / "p.zip").read_bytes())) as archive:
        archive.setpassword(str(made["passphrase"]).encode())
        assert "account-01/subscriber.csv" in archive.namelist() and archive.read("manifest.json")
    issued = _ok(cli("legal", "invoice", rid, "--out", str(tmp_path / "inv"), "--actor", "staff:ana"))
    assert issued["total_cents"] == 5000
    html = (tmp_path / "inv" / "invoice.html").read_text()
    assert "$50.00" in html and (tmp_path / "inv" / "invoice.pdf").read_bytes().startswith(b"%PDF")
    # 18 U.S.C. 2706: a governmental entity's fee is a claim for reimbursement; delivered, then paid
    delivered = _ok(cli("legal", "deliver", rid, "--out", str(tmp_path / "d.zip"), "--actor", "staff:ana"))
    assert delivered["notices"]["sent"] == 0 and len(inbox.messages) == 1  # type: ignore[index]
    over = cli("legal", "pay", rid, "--amount-cents", "5001", "--method", "check", "--reference", "CHK-12",
               "--actor", "staff:ana")
    assert over.exit_code == 1 and "exceeds the $50.00 outstanding" in over.stderr
    assert _ok(cli("legal", "pay", rid, "--amount-cents", "5000", "--method", "check", "--reference", "CHK-12",
                   "--actor", "staff:ana"))["outstanding_cents"] == 0
    assert (tmp_path / "d.zip").read_bytes() == (tmp_path / "p.zip").read_bytes()
    assert cli("legal", "close", rid, "--actor", "staff:ana").exit_code == 0
    assert _ok(cli("legal", "show", rid))["state"] == "closed"
    assert cli("legal", "show", "999").exit_code == 1
    report = _ok(cli("legal", "transparency", "--period", "2026H1", "--format", "json"))
    assert report["requests"] == 1 and report["outcomes"]["data_produced"] == 1  # type: ignore[index]
    assert report["customer_notices_sent"] == 1 and report["by_instrument"] == {"court_order_2703d": 1}
    csv_out = cli("legal", "transparency", "--period", "2026H1", "--format", "csv").stdout
    assert csv_out.splitlines()[0] == "section,key,value" and "by_requester_type,law_enforcement,1" in csv_out
    html = cli("legal", "transparency", "--period", "2026H1", "--format", "html").stdout
    offline = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<svg" in html and "<script" not in html and "http" not in offline  # inline chart, no CDN
    assert cli("legal", "transparency", "--period", "2026H9").exit_code == 1


def test_a_lifted_nondisclosure_order_is_recorded_and_the_withheld_notice_sent(
        cli: Cli, initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        smtp: tuple[Inbox, object]) -> None:  # noqa: F811
    """DRG VIII: 'SpectrumVoIP will notify the affected customer(s) as soon as the order is overturned or
    expires.'"""
    inbox, mailer = smtp
    monkeypatch.setenv("CUSTODIAN_SMTP_PORT", str(mailer.port))  # type: ignore[attr-defined]
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    accounts = csv_file(tmp_path / "a.csv", ACCOUNTS_HEADER, [account_line("ACC-1")])
    numbers = csv_file(tmp_path / "n.csv", NUMBERS_HEADER, [number_line("+15125550100", "ACC-1", "2025-01-01")])
    assert cli("import", "accounts", str(accounts)).exit_code == 0
    assert cli("import", "numbers", str(numbers)).exit_code == 0
    request = tmp_path / "request.json"
    request.write_text(json.dumps({**LAW_ENFORCEMENT, "nondisclosure_order": {"expires_on": "2099-01-01"}}),
                       encoding="utf-8")
    entered = _ok(cli("legal", "enter", str(request), "--actor", "staff:ana"))
    assert entered["notices"]["sent"] == 0 and inbox.messages == []  # type: ignore[index]
    rid = str(entered["id"])
    bad = cli("legal", "order-lifted", rid, "--on", "2099-01-01", "--actor", "staff:ana")
    assert bad.exit_code == 1 and "day still to come" in bad.stderr
    lifted = _ok(cli("legal", "order-lifted", rid, "--on", "2026-03-01", "--actor", "staff:ana"))
    assert lifted["notices"]["sent"] == 1 and len(inbox.messages) == 1  # type: ignore[index]
    body = message_from_bytes(inbox.messages[0][1]).get_payload(decode=True)
    assert isinstance(body, bytes) and b"that order was lifted on 2026-03-01" in body


def test_a_preservation_request_is_preserved_extended_once_and_linked(cli: Cli, initialised: Path,
                                                                      tmp_path: Path) -> None:
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    accounts = csv_file(tmp_path / "a.csv", ACCOUNTS_HEADER, [account_line("ACC-1")])
    numbers = csv_file(tmp_path / "n.csv", NUMBERS_HEADER, [number_line("+15125550100", "ACC-1", "2025-01-01")])
    assert cli("import", "accounts", str(accounts)).exit_code == 0
    assert cli("import", "numbers", str(numbers)).exit_code == 0
    letter = tmp_path / "preserve.json"
    letter.write_text(json.dumps({**LAW_ENFORCEMENT, "kind": "preservation", "instrument": {"type": "none"}}),
                      encoding="utf-8")
    rid = str(_ok(cli("legal", "enter", str(letter), "--actor", "staff:ana"))["id"])
    preserved = _ok(cli("legal", "preserve", rid, "--actor", "staff:ana"))["preserved"]
    assert len(preserved) == 1  # type: ignore[arg-type]
    assert cli("legal", "extend", rid, "--actor", "staff:ana").exit_code == 0
    again = cli("legal", "extend", rid, "--actor", "staff:ana")
    assert again.exit_code == 1 and "1 time" in again.stderr
    data = tmp_path / "data.json"
    data.write_text(json.dumps(LAW_ENFORCEMENT), encoding="utf-8")
    later = str(_ok(cli("legal", "enter", str(data), "--actor", "staff:ana"))["id"])
    assert cli("legal", "link", rid, later, "--actor", "staff:ana").exit_code == 0
    assert "0 preserved snapshots deleted" in cli("jobs", "run", "legal-preservation-expiry").stdout


def test_the_deficiency_letter_prints_as_text_and_writes_a_pdf(cli: Cli, initialised: Path, tmp_path: Path) -> None:
    """DRG V: 'SpectrumVoIP cannot reasonably consider a Data Request unless it includes at least the following
    information' - the letter names what is missing in the form's words."""
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    requester = {**LAW_ENFORCEMENT["requester"], "badge_number": ""}
    document = tmp_path / "lacking.json"
    document.write_text(json.dumps({**LAW_ENFORCEMENT, "requester": requester}), encoding="utf-8")
    rid = str(_ok(cli("legal", "enter", str(document), "--actor", "staff:ana"))["id"])
    pdf = tmp_path / "letter.pdf"
    printed = cli("legal", "letter", rid, "--pdf", str(pdf))
    assert printed.exit_code == 0, printed.output
    assert "Dear Det. Ana Ruiz," in printed.stdout and "Badge / identification number is missing." in printed.stdout
    assert "missing_field" not in printed.stdout and pdf.read_bytes().startswith(b"%PDF-")
