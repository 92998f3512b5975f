"""The production package: zip entry names are sanitised (no `..`, no absolute paths, no separators or control
characters coming from data) and a package never names an account in a file name."""

from __future__ import annotations

import io
import unicodedata

import pytest
import pyzipper
from hypothesis import given
from hypothesis import strategies as st

from custodian.legal.exports import ExportFile
from custodian.legal.package import entry_name, seal_package


@pytest.mark.parametrize(("written", "safe"), [
    ("../../etc/passwd", "etc/passwd"),
    ("/abs/file.csv", "abs/file.csv"),
    ("account-01\\..\\..\\win.ini", "account-01/win.ini"),
    ("C:\\Windows\\x.csv", "C_/Windows/x.csv"),
    ("account-01/voice\x00message\n/a\x1b.wav", "account-01/voice_message_/a_.wav"),
    ("account-01/./call_log.csv", "account-01/call_log.csv"),
])
def test_entry_names_never_leave_the_archive_or_carry_control_characters(written: str, safe: str) -> None:
    assert entry_name(written) == safe


def test_a_name_that_sanitises_to_nothing_is_refused() -> None:
    with pytest.raises(ValueError):
        entry_name("../..")


def test_the_sealed_zip_holds_only_sanitised_names() -> None:
    package = seal_package([ExportFile("../../evil.csv", b"x"), ExportFile("account-01/ok.csv", b"y")], {})
    with pyzipper.AESZipFile(io.BytesIO(package.data)) as archive:
        archive.setpassword(package.passphrase.encode())
        names = archive.namelist()
    assert names == ["evil.csv", "account-01/ok.csv", "manifest.json"]
    assert [f["path"] for f in package.manifest["files"]] == ["evil.csv", "account-01/ok.csv"]  # type: ignore[index]


def test_a_file_may_not_take_the_manifests_place() -> None:
    with pytest.raises(ValueError, match="share a path"):
        seal_package([ExportFile("./manifest.json", b"{}")], {})


@given(st.text(max_size=40))
def test_no_entry_name_climbs_out_is_absolute_or_holds_a_control_character(written: str) -> None:
    try:
        name = entry_name(written)
    except ValueError:
        return
    parts = name.split("/")
    assert not name.startswith("/") and "\\" not in name and ":" not in name
    assert all(part and part not in (".", "..") for part in parts)
    assert not any(unicodedata.category(char).startswith("C") for char in name)
