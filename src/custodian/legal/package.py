"""The production package: every file with its SHA-256 in manifest.json, sealed in an AES-256 zip
whose random passphrase is shown once to staff (DRG V.D: "a compressed, password protected file")."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import pyzipper

from custodian.legal.exports import ExportFile

PASSPHRASE_BYTES = 18  # 144 bits, printed as 24 URL-safe characters


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


def manifest_of(files: Sequence[ExportFile], header: dict[str, object]) -> dict[str, object]:
    """`header` plus every file's path, size and SHA-256."""
    return {**header, "files": [{"path": f.name, "bytes": len(f.data), "sha256": hashlib.sha256(f.data).hexdigest()}
                                for f in files]}


def seal_package(files: Sequence[ExportFile], header: dict[str, object]) -> Package:
    """Zip the files and their manifest with AES-256 under a fresh random passphrase."""
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise ValueError("two files of a production share a path")
    manifest = manifest_of(files, header)
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
