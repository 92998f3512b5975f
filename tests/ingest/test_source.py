"""The CSV source and header check: a header that repeats a column is refused, naming the column."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.ingest.registry import FORMATS, ImportFormat
from custodian.ingest.runner import run_import
from custodian.ingest.source import ImportFileError, check_header
from custodian.ingest.tables import import_run
from custodian.records.tables import account
from tests.builders.files import ACCOUNTS_HEADER, account_line, write_lines

WITH_HEADER = sorted({f"{fmt.kind}/{fmt.name}": fmt for fmt in FORMATS.values()
                      if fmt.header is not None}.items())


@pytest.mark.parametrize("fmt", [fmt for _, fmt in WITH_HEADER], ids=[name for name, _ in WITH_HEADER])
def test_every_custodian_csv_format_refuses_a_header_that_repeats_a_column(fmt: ImportFormat) -> None:
    """Issue: a repeated column is rejected with the column named; which of two values counts is unknowable."""
    repeated = fmt.header[-1]  # type: ignore[index]
    with pytest.raises(ImportFileError) as refused:
        check_header([*fmt.header, f" {repeated} "], fmt.header)  # type: ignore[misc]
    assert str(refused.value) == f"line 1: header repeats column(s) {repeated}"


def test_a_file_whose_header_repeats_a_column_imports_nothing(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    header = ACCOUNTS_HEADER + ",email"
    path = write_lines(tmp_path / "accounts.csv", [header, account_line("ACC-1", email="a@example.net") + ",b@x.test"])
    with pytest.raises(ImportFileError, match="repeats column\\(s\\) email"):
        run_import(engine, keyring, blobs, FORMATS[("accounts", "")], path, actor="test")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(account)).scalar_one() == 0
        assert conn.execute(select(import_run.c.status)).scalar_one() == "failed"
