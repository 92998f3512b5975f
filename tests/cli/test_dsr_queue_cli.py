"""`custodian dsr list|show|extend|deny|fulfil`: the privacy request queue from the shell, the requester mailed
through a real local SMTP server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result

from custodian.cli.context import runtime, settings
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from tests.builders.dsr import LINK_BASE, a_form, link_token
from tests.builders.legal import SPECTRUMVOIP
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.retention import add_content
from tests.builders.smtp import smtp_server

Cli = Callable[..., Result]


def _ok(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _submitted(**changes: object) -> str:
    settings.cache_clear()
    rt = runtime()
    with transaction(rt.engine) as conn:
        version = policy_store.in_force(conn, utcnow())
        assert version is not None
        receipt = service.submit(conn, rt.keyring(), rt.blobs, version.compiled(), a_form(**changes),
                                 link_base=LINK_BASE, actor="requester:test", now=utcnow())
    rt.engine.dispose()
    return receipt.reference


@pytest.fixture
def with_policy(cli: Cli, initialised: Path) -> Path:
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    return initialised


def test_list_shows_open_requests_with_days_left_and_no_personal_data(cli: Cli, with_policy: Path) -> None:
    opt_out = _submitted(request_type="opt_out")
    access = _submitted()
    listed = _ok(cli("dsr", "list", "--json"))["requests"]
    assert [row["reference"] for row in listed] == [opt_out, access]  # type: ignore[index]  # earliest due first
    assert listed[1]["days_left"] == 45 and listed[1]["may_extend"] is True  # type: ignore[index]
    assert CANARY_EMAIL not in cli("dsr", "list").output


def test_show_opens_the_details_and_the_history(cli: Cli, with_policy: Path) -> None:
    reference = _submitted()
    shown = _ok(cli("dsr", "show", reference, "--json"))
    assert shown["email"] == CANARY_EMAIL and shown["events"][0]["action"] == "received"  # type: ignore[index]
    missing = cli("dsr", "show", "PR-NOSUCHONE")
    assert missing.exit_code == 1 and "no privacy request PR-NOSUCHONE" in missing.stderr


def test_extend_once_then_deny_each_mails_the_requester(cli: Cli, with_policy: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    reference = _submitted()
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("CUSTODIAN_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CUSTODIAN_SMTP_PORT", str(port))
        assert cli("dsr", "extend", reference, "--reason", "Archived records").exit_code == 0
        again = cli("dsr", "extend", reference, "--reason", "Still busy")
        assert again.exit_code == 1 and "cannot be extended" in again.stderr
        unknown = cli("dsr", "deny", reference, "--reason", "because")
        assert unknown.exit_code == 1 and "legal_obligation" in unknown.stderr
        assert cli("dsr", "deny", reference, "--reason", "legal_obligation").exit_code == 0
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects == [f"Your privacy request {reference} needs more time", f"Your privacy request {reference}"]
    assert _ok(cli("dsr", "list", "--json"))["requests"] == []
    assert _ok(cli("dsr", "list", "--all", "--json"))["requests"][0]["state"] == "denied"  # type: ignore[index]


def test_fulfil_answers_a_verified_access_request_with_a_download_link_once(
        cli: Cli, with_policy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.cache_clear()
    rt = runtime()
    an_account(rt.engine, rt.keyring())
    with transaction(rt.engine) as conn:
        version = policy_store.in_force(conn, utcnow())
        assert version is not None
        receipt = service.submit(conn, rt.keyring(), rt.blobs, version.compiled(), a_form(account_ref="ACC-0001"),
                                 link_base=LINK_BASE, actor="requester:test", now=utcnow() - timedelta(hours=1))
        service.verify(conn, rt.keyring(), version.compiled(), link_token(receipt.mail[0].body), now=utcnow())
    rt.engine.dispose()
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("CUSTODIAN_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CUSTODIAN_SMTP_PORT", str(port))
        answered = _ok(cli("dsr", "fulfil", receipt.reference, "--actor", "staff:dana", "--json"))
        again = cli("dsr", "fulfil", receipt.reference, "--actor", "staff:dana")
    assert answered["answer_sent"] is True and "/privacy/requests/download/" in answered["done"][0]  # type: ignore[index]
    assert again.exit_code == 1 and "not a verified, open request" in again.stderr
    assert [m["Subject"] for m in inbox.messages] == [f"Your privacy request {receipt.reference} is answered"]


def test_fulfil_removes_the_content_items_named_for_a_minor_content_removal(
        cli: Cli, with_policy: Path) -> None:
    """Cal. Bus. & Prof. Code 22581: the items the requester identifies, named by their record keys."""
    settings.cache_clear()
    rt = runtime()
    account_id = an_account(rt.engine, rt.keyring())
    with transaction(rt.engine) as conn:
        posted = add_content(conn, account_id, "content.chat", utcnow() - timedelta(days=3), keyring=rt.keyring(),
                             body=b"posted at fifteen").hex()
        version = policy_store.in_force(conn, utcnow())
        assert version is not None
        receipt = service.submit(conn, rt.keyring(), rt.blobs, version.compiled(),
                                 a_form(account_ref="ACC-0001", request_type="minor_content_removal"),
                                 link_base=LINK_BASE, actor="requester:test", now=utcnow() - timedelta(hours=1))
        service.verify(conn, rt.keyring(), version.compiled(), link_token(receipt.mail[0].body), now=utcnow())
    rt.engine.dispose()
    unpicked = cli("dsr", "fulfil", receipt.reference, "--actor", "staff:dana")
    assert unpicked.exit_code == 1 and "pick the content items" in unpicked.stderr
    answered = _ok(cli("dsr", "fulfil", receipt.reference, "--actor", "staff:dana", "--item", posted, "--json"))
    assert "Chat messages: removed" in answered["done"]  # type: ignore[operator]
