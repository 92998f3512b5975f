"""No personal data in application logs (DESIGN.md, "Protecting the data").

Canary values are planted in every kind of import (in good rows and as the very values that make
bad rows fail), in a CLI import and in web requests, while every log record down to DEBUG is
captured: the root logger through caplog, plus handlers on the custodian, uvicorn and sqlalchemy
loggers (SQL statements, their parameters and result rows included). No canary may appear in any
message, its arguments or a logged exception.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from custodian.app import create_app
from custodian.cli.context import settings
from custodian.cli.main import app as cli_app
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import DecryptionFailed
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import make_engine
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.runtime import Runtime
from tests.builders.files import (
    ACCOUNTS_HEADER,
    BILLING_HEADER,
    CALLS_HEADER,
    COMMENTS_HEADER,
    CONTENT_HEADER,
    NUMBERS_HEADER,
    SMS_HEADER,
    asterisk_line,
    billing_line,
    comment_line,
    content_line,
    csv_file,
    custodian_call_line,
    freeswitch_line,
    number_line,
    sms_line,
    write_lines,
)
from tests.builders.records import (
    CANARY_COMMENT,
    CANARY_COUNTERPART,
    CANARY_COUNTERPART_DIALLED,
    CANARY_EMAIL,
    CANARY_NAME,
    CANARY_SMS_BODY,
    CANARY_STREET,
    CANARY_SURNAME,
    CANARY_VALUES,
    an_account,
)

OWN = "+15125550100"
FULL_CARD = "4111111111111111"
SPACED_CARD = "4111 1111 1111 1111"
CANARIES = (*CANARY_VALUES, FULL_CARD, SPACED_CARD)
WATCHED_LOGGERS = ("custodian", "uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy", "fastapi",
                   "starlette", "alembic")
# The test's own HTTP client logs each URL it requests; that is the caller's log, not Custodian's.
CLIENT_LOGGERS = ("httpx", "httpcore")
CANARY_ACCOUNT = (f"ACC-1,residential,standard,active,,{CANARY_NAME},{CANARY_SURNAME},{CANARY_EMAIL},"
                  f"{CANARY_COUNTERPART_DIALLED},{CANARY_STREET},Austin,TX,78701,US,2024-01-01,,")


class _Keep(logging.Handler):
    """Keeps every record it is handed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class LogCapture:
    """Every record from the root logger (caplog) and the watched loggers, at DEBUG."""

    def __init__(self, caplog: pytest.LogCaptureFixture, keep: _Keep) -> None:
        self.caplog, self.keep = caplog, keep

    def records(self) -> list[logging.LogRecord]:
        return [r for r in (*self.caplog.records, *self.keep.records) if not r.name.startswith(CLIENT_LOGGERS)]

    def texts(self) -> list[str]:
        """Each record as it would be written: message with arguments, exception and stack."""
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        return [f"{formatter.format(r)}\n{r.args!r}\n{r.exc_text or ''}" for r in self.records()]

    def assert_no_canary(self) -> None:
        texts = self.texts()
        assert texts, "nothing was logged: the capture is not working"
        for text in texts:
            for canary in CANARIES:
                assert canary.lower() not in text.lower(), f"{canary!r} logged in: {text[:500]}"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[LogCapture]:
    caplog.set_level(logging.DEBUG)
    keep = _Keep()
    loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(keep)
    yield LogCapture(caplog, keep)
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(keep)
        logger.setLevel(level)


def _imports(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, folder: Path) -> dict[str, ImportSummary]:
    """Import every kind with canaries in good rows and as the values that make bad rows fail."""
    folder.mkdir(exist_ok=True)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "vm.wav").write_bytes(b"RIFF" + CANARY_NAME.encode() * 100)
    files = {
        "accounts": csv_file(folder / "accounts.csv", ACCOUNTS_HEADER, [
            CANARY_ACCOUNT,
            CANARY_ACCOUNT.replace("ACC-1,", "ACC-2,").replace(CANARY_EMAIL, CANARY_NAME),
            CANARY_ACCOUNT.replace("ACC-1,", "ACC-3,").replace(CANARY_COUNTERPART_DIALLED, CANARY_SURNAME),
            CANARY_ACCOUNT.replace("ACC-1,", "ACC-4,").replace("residential", CANARY_SURNAME),
            CANARY_ACCOUNT.replace("ACC-1,", "ACC-5,").replace(",US,", f",{CANARY_NAME},"),
            CANARY_ACCOUNT.replace("ACC-1,", "ACC-6,").replace("2024-01-01", CANARY_STREET),
        ]),
        "numbers": csv_file(folder / "numbers.csv", NUMBERS_HEADER, [
            number_line(OWN, "ACC-1", "2024-01-01"),
            number_line(CANARY_SURNAME, "ACC-1", "2024-01-01"),
            number_line(f'"{CANARY_COUNTERPART_DIALLED}"', "ACC-1", CANARY_NAME),
        ]),
        "calls/custodian": csv_file(folder / "calls.csv", CALLS_HEADER, [
            custodian_call_line("ACC-1", "out", OWN, CANARY_COUNTERPART, "2024-05-01T10:00:00Z"),
            custodian_call_line("ACC-1", "out", OWN, CANARY_NAME, "2024-05-01T10:00:00Z"),
            custodian_call_line("ACC-1", "out", OWN, CANARY_COUNTERPART, CANARY_SURNAME),
        ]),
        "calls/asterisk": write_lines(folder / "Master.csv", [
            asterisk_line(CANARY_COUNTERPART.removeprefix("+1"), "5125550100", "2024-05-02 10:00:00"),
            asterisk_line(CANARY_COUNTERPART, OWN, "2024-05-02 10:00:00", disposition=CANARY_SURNAME),
            asterisk_line(CANARY_COUNTERPART, OWN, f"{CANARY_NAME}:00", accountcode="ACC-1"),
            f'"ACC-1","{CANARY_COUNTERPART}","{CANARY_EMAIL}"',
        ]),
        "calls/freeswitch": write_lines(folder / "cdr.csv", [
            freeswitch_line(CANARY_COUNTERPART, "5125550100", "2024-05-03 10:00:00").replace(
                "Ada Lovelace", f"{CANARY_NAME} {CANARY_SURNAME}"),
            freeswitch_line(CANARY_COUNTERPART, OWN, CANARY_STREET, accountcode="ACC-1"),
        ]),
        "sms": csv_file(folder / "sms.csv", SMS_HEADER, [
            sms_line("ACC-1", "out", OWN, CANARY_COUNTERPART, "2024-05-01T10:00:00Z", body=CANARY_SMS_BODY),
            sms_line("ACC-1", "out", OWN, CANARY_NAME, "2024-05-01T10:00:00Z", body=CANARY_SMS_BODY),
            sms_line("ACC-1", "out", OWN, CANARY_COUNTERPART, CANARY_SMS_BODY, body=CANARY_SMS_BODY),
            sms_line("ACC-1", CANARY_SURNAME, OWN, CANARY_COUNTERPART, "2024-05-01", body=CANARY_SMS_BODY),
        ]),
        "billing": csv_file(folder / "billing.csv", BILLING_HEADER, [
            billing_line("ACC-1", "2024-05-01", "INV-2026-000123"),
            billing_line("ACC-1", "2024-05-01", "INV-2", last4=FULL_CARD),
            billing_line("ACC-1", "2024-05-01", f"paid with {SPACED_CARD}"),
            billing_line("ACC-1", "2024-05-01", "INV-4", currency=CANARY_NAME),
            billing_line("ACC-1", "2024-05-01", "INV-5", method=CANARY_SURNAME),
        ]),
        "comments": csv_file(folder / "comments.csv", COMMENTS_HEADER, [
            comment_line("ACC-1", "2024-05-01T10:00:00", CANARY_COMMENT),
            comment_line("ACC-1", CANARY_COMMENT, CANARY_COMMENT),
            comment_line("ACC-1", "2024-05-01", CANARY_COMMENT, author=CANARY_NAME * 20),
        ]),
        "content": csv_file(folder / "manifest.csv", CONTENT_HEADER, [
            content_line("ACC-1", "voice_message", "2024-05-01T10:00:00Z", "media/vm.wav",
                         counterpart=CANARY_COUNTERPART),
            content_line("ACC-1", "voice_message", "2024-05-01", f"media/{CANARY_NAME}.wav"),
            content_line("ACC-1", "voice_message", "2024-05-01", f"../{CANARY_SURNAME}.wav"),
            content_line("ACC-1", "voice_message", "2024-05-01", "media/vm.wav", counterpart=CANARY_NAME),
            content_line("ACC-1", "voice_message", "2024-05-01", "media/vm.wav",
                         media_type=CANARY_SURNAME + "@x"),
        ]),
    }
    summaries = {}
    for name, path in files.items():
        kind, _, fmt = name.partition("/")
        summaries[name] = run_import(engine, keyring, blobs, lookup(kind, fmt), path, actor="test")
    return summaries


def test_importing_canary_records_and_bad_rows_logs_no_personal_value(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path, logs: LogCapture) -> None:
    summaries = _imports(engine, keyring, blobs, tmp_path / "export")
    for name, summary in summaries.items():
        assert summary.imported >= 1, (name, summary.errors)
        assert summary.rejected >= 1, name
    assert any(r.name.startswith("sqlalchemy.engine") for r in logs.records())  # SQL and parameters seen
    logs.assert_no_canary()


def test_import_error_reasons_never_contain_the_offending_values(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    summaries = _imports(engine, keyring, blobs, tmp_path / "export")
    reasons = [reason for summary in summaries.values() for _, reason in summary.errors]
    assert len(reasons) == sum(summary.rejected for summary in summaries.values()) >= 20
    reported = json.dumps([summary.as_json() for summary in summaries.values()]).lower()
    for canary in CANARIES:
        assert canary.lower() not in reported


@pytest.fixture
def cli_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CUSTODIAN_DATA_DIR", str(tmp_path / "data"))
    for name in ("CUSTODIAN_DATABASE_URL", "CUSTODIAN_MASTER_KEY", "CUSTODIAN_BLOB_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings.cache_clear()
    yield tmp_path / "data"
    settings.cache_clear()


def test_the_cli_import_logs_and_prints_no_personal_value(
        cli_data_dir: Path, tmp_path: Path, logs: LogCapture) -> None:
    runner = CliRunner()
    assert runner.invoke(cli_app, ["init"]).exit_code == 0
    accounts = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER, [
        CANARY_ACCOUNT, CANARY_ACCOUNT.replace("ACC-1,", "ACC-2,").replace(CANARY_EMAIL, CANARY_NAME)])
    sms = csv_file(tmp_path / "sms.csv", SMS_HEADER, [
        sms_line("ACC-1", "out", OWN, CANARY_COUNTERPART, "2024-05-01T10:00:00Z", body=CANARY_SMS_BODY),
        sms_line("ACC-1", "out", OWN, CANARY_NAME, "2024-05-01T10:00:00Z", body=CANARY_SMS_BODY)])
    headerless = write_lines(tmp_path / "headerless.csv", [CANARY_ACCOUNT])
    outputs = []
    for args in (["import", "accounts", str(accounts), "--json"], ["import", "sms", str(sms), "--json"],
                 ["import", "sms", str(sms)], ["import", "accounts", str(headerless), "--json"]):
        result = runner.invoke(cli_app, args)
        outputs.append(result.output)
    assert json.loads(outputs[0])["rejected"] == 1 and json.loads(outputs[1])["rejected"] == 1
    assert outputs[3].startswith("error: line 1")
    logs.assert_no_canary()
    for output in outputs:
        for canary in CANARIES:
            assert canary.lower() not in output.lower()


def _raiser(exc: Exception) -> Callable[[], None]:
    def fail() -> None:
        raise exc

    return fail


def _app_with_failing_routes(runtime: Runtime) -> FastAPI:
    app = create_app(runtime)
    failures = {
        "bug": RuntimeError(f"unexpected state for {CANARY_EMAIL} at {CANARY_STREET}"),
        "key": KeyError(CANARY_COUNTERPART),
        "decrypt": DecryptionFailed(f"{CANARY_NAME} field does not open"),
        "shredded": AccountShredded(f"{CANARY_SURNAME} is gone"),
    }
    for name, exc in failures.items():
        app.add_api_route(f"/api/v1/fail/{name}", _raiser(exc), include_in_schema=False)
        app.add_api_route(f"/fail/{name}", _raiser(exc), include_in_schema=False)
    return app


def test_web_and_api_requests_log_no_personal_value(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, master_key: bytes, logs: LogCapture) -> None:
    an_account(engine, keyring)
    app = _app_with_failing_routes(Runtime(engine=engine, master_key=master_key, blobs=blobs))
    requests: list[tuple[str, str, dict[str, object]]] = [
        ("GET", "/", {}), ("GET", "/healthz", {}), ("GET", "/api/v1/figures", {}),
        ("GET", "/api/openapi.json", {}), ("GET", "/api/docs", {}),
        ("GET", f"/accounts/{CANARY_EMAIL}", {}), ("GET", f"/api/v1/accounts/{CANARY_SURNAME}", {}),
        ("GET", f"/?q={CANARY_NAME}&n={CANARY_COUNTERPART}", {}),
        ("POST", "/", {"data": {"name": CANARY_NAME, "street": CANARY_STREET}}),
        ("GET", "/api/v1/figures", {"headers": {"X-Caller": CANARY_EMAIL}}),
        *[("GET", f"{prefix}/fail/{name}?who={CANARY_NAME}", {})
          for prefix in ("", "/api/v1") for name in ("bug", "key", "decrypt", "shredded")],
    ]
    with TestClient(app, raise_server_exceptions=False) as http:
        statuses = [http.request(method, path, **kwargs).status_code for method, path, kwargs in requests]
    assert statuses[:5] == [200, 200, 401, 200, 200]  # the figures are for staff only
    assert statuses[5:7] == [404, 404]
    assert 500 in statuses and 410 in statuses
    errors = [r for r in logs.records() if r.name.startswith("custodian") and r.levelno >= logging.ERROR]
    assert any("RuntimeError" in r.getMessage() for r in errors)  # the failures were logged, without values
    logs.assert_no_canary()


def test_an_unreachable_database_is_logged_without_the_query_or_its_values(
        tmp_path: Path, master_key: bytes, blobs: LocalBlobStore, logs: LogCapture) -> None:
    missing = tmp_path / "nowhere" / "custodian.db"
    engine = make_engine(f"sqlite:///{missing}")
    try:
        app = create_app(Runtime(engine=engine, master_key=master_key, blobs=blobs), api_token="k" * 32)
        with TestClient(app, raise_server_exceptions=False) as http:
            figures = http.get(f"/api/v1/figures?email={CANARY_EMAIL}", headers={"Authorization": "Bearer " + "k" * 32})
            page = http.get("/")
    finally:
        engine.dispose()
    assert (figures.status_code, page.status_code) == (503, 503)
    assert any("OperationalError" in r.getMessage() for r in logs.records())
    logs.assert_no_canary()
