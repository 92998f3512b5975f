"""The production package: every file with its SHA-256 in manifest.json, sealed in an AES-256 zip
whose random passphrase is shown once to staff (DRG V.D: "a compressed, password protected file").

Entry names are sanitised (`entry_name`): no `..`, no absolute path, no backslash, drive or control character
can come from data into the archive (zip slip), and a name never says whose account it holds: folders are
neutral (`account-01/`), their accounts named only inside the encrypted manifest."""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pyzipper

from custodian.legal.exports import ExportFile

PASSPHRASE_BYTES = 18  # 144 bits, printed as 24 URL-safe characters
_UNSAFE = re.compile(r"[\\:*?\"<>|]")


def entry_name(name: str) -> str:
    """A safe relative zip entry name: `/`-separated parts (a backslash is a separator too), none empty, `.` or
    `..`; control characters, drive colons and other characters unsafe in file names become `_`; never absolute."""
    parts = []
    for part in name.replace("\\", "/").split("/"):
        clean = "".join("_" if unicodedata.category(char).startswith("C") else char for char in part)
        clean = _UNSAFE.sub("_", clean).strip()
        if clean and clean.strip(".") and clean not in (".", ".."):
            parts.append(clean)
    if not parts:
        raise ValueError("a production file needs a name")
    return "/".join(parts)


@dataclass(frozen=True)
class Package:
    """The zip's bytes, its passphrase (never stored) and the manifest it carries."""

    data: bytes
    passphrase: str
    manifest: dict[str, object]

    @property
    def sha256(self) -> str:
        """Digest of the zip itself."""
        return hashlib.sha256(self.data).hexdigest()


def manifest_of(files: Sequence[ExportFile], header: dict[str, object],
                answers: dict[str, dict[str, str]] | None = None) -> dict[str, object]:
    """`header` plus every file's path, size and SHA-256, and what it answers (`answers` by top folder:
    the target and window the file responds to)."""
    answers = answers or {}
    return {**header, "files": [{"path": f.name, "bytes": len(f.data), "sha256": hashlib.sha256(f.data).hexdigest(),
                                 **answers.get(f.name.split("/", 1)[0], {})} for f in files]}


def seal_package(files: Sequence[ExportFile], header: dict[str, object],
                 answers: dict[str, dict[str, str]] | None = None) -> Package:
    """Zip the files (names sanitised) and their manifest with AES-256 under a fresh random passphrase."""
    files = [ExportFile(entry_name(f.name), f.data) for f in files]
    names = [f.name for f in files]
    if len(set(names)) != len(names) or "manifest.json" in names:
        raise ValueError("two files of a production share a path")
    manifest = manifest_of(files, header, answers)
    passphrase = secrets.token_urlsafe(PASSPHRASE_BYTES)
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(passphrase.encode("ascii"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for item in files:
            archive.writestr(item.name, item.data)
        archive.writestr("manifest.json", json.dumps(manifest, indent=1).encode("utf-8"))
    return Package(buffer.getvalue(), passphrase, manifest)
