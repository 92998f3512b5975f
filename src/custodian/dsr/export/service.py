"""The customer's own copy of their data ("Download everything", issue 15 §2; seed 002: customers "download that
data through their Admin Portal"): one ZIP per account, streamed to a file, and one audited self-access.

The ZIP holds one CSV and one JSON file per record class the policy lets the customer see (self_access.py),
content files in their original format, the accounting of disclosures (disclosures.csv and .json, the same list
the portal's "Who received my data" shows), README.txt and manifest.json. It is written to `<out>.part` and moved
into place only when complete, so a half-written export never looks finished."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from custodian.access.self_access_rules import self_access
from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.disclosures.accounting import DISCLOSURE_COLUMNS
from custodian.disclosures.accounting_store import account_disclosures
from custodian.dsr.export.archive import ExportZip
from custodian.dsr.export.classes import Reading, write_class
from custodian.dsr.export.readme import readme_text
from custodian.kernel.progress import Progress, SilentProgress
from custodian.policy.document import PolicyDocument
from custodian.records.tables import account

EXPORT_ACTION = "dsr.export"
DISCLOSURES_STEM = "disclosures"
PHASE = "record classes"


class AccountNotFound(ValueError):
    """No account has that reference."""


@dataclass(frozen=True)
class ExportSummary:
    """Rows written per record class, content files written, and the ZIP's size in bytes."""

    files: dict[str, int]
    content_files: int
    bytes: int

    def as_json(self) -> dict[str, Any]:
        """The summary `custodian dsr export --json` prints."""
        return {"files": dict(self.files), "content_files": self.content_files, "bytes": self.bytes}


def account_id_of(conn: Connection, ref: str) -> int:
    """The id of the account with reference `ref` (AccountNotFound otherwise)."""
    found = conn.execute(select(account.c.id).where(account.c.ref == ref)).scalar()
    if found is None:
        raise AccountNotFound(f"no account has the reference {ref!r}")
    return int(found)


def export_account(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, document: PolicyDocument,
                   account_id: int, out: Path, *, actor: str, now: datetime,
                   progress: Progress | None = None) -> ExportSummary:
    """Write the account's export ZIP to `out` and record the self-access in the audit chain, in the same
    transaction as the read; `progress` hears one phase, "record classes", advanced as each class is written."""
    part = out.with_name(out.name + ".part")
    built = build_export(conn, keyring, blobs, document, account_id, part, now=now, progress=progress)
    try:
        record_export(conn, built, actor=actor, now=now)
        os.replace(part, out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return ExportSummary(built.files, built.content_files, out.stat().st_size)


@dataclass(frozen=True)
class BuiltExport:
    """A written ZIP not yet recorded in the audit chain: what `record_export` appends."""

    account_id: int
    files: dict[str, int]
    content_files: int
    bytes: int
    withheld: list[str]


def build_export(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, document: PolicyDocument,
                 account_id: int, out: Path, *, now: datetime, progress: Progress | None = None) -> BuiltExport:
    """Write the ZIP to `out`, reading only (a background build records it afterwards with `record_export`, so
    its progress can be written elsewhere meanwhile); a failed build leaves no file."""
    access = self_access(document)
    cipher = keyring.cipher(conn, account_id)  # AccountShredded once the account's key is destroyed
    ref = conn.execute(select(account.c.ref).where(account.c.id == account_id)).scalar_one()
    read = Reading(conn, keyring, cipher, blobs, account_id, "billing.payment_instrument" in access.included)
    archive = ExportZip(out)
    progress = progress or SilentProgress()
    progress.begin(PHASE, len(access.included))
    try:
        counts, content_files = {}, 0
        for record_class in access.included:
            counts[record_class], files = write_class(archive, read, record_class)
            content_files += files
            progress.advance(PHASE, 1)
        disclosed = archive.table(DISCLOSURES_STEM, DISCLOSURE_COLUMNS, (
            tuple(d.as_row().values()) for d in account_disclosures(conn, account_id, now)))
        contact = next((c.email for c in document.provider.contacts if c.role == "privacy" and c.email), "")
        archive.add_bytes("README.txt", readme_text(document.provider.name, ref, access, counts, contact=contact,
                                                    now=now, disclosures=disclosed).encode("utf-8"))
        archive.manifest({"provider": document.provider.name, "account": ref, "made_at": now.isoformat(),
                          "record_classes": list(access.included), "withheld": sorted(access.withheld),
                          "disclosures": disclosed})
        archive.close()
    except BaseException:
        archive.close()
        out.unlink(missing_ok=True)
        raise
    return BuiltExport(account_id, counts, content_files, out.stat().st_size, sorted(access.withheld))


def record_export(conn: Connection, built: BuiltExport, *, actor: str, now: datetime) -> None:
    """Append the export's `dsr.export` event: an audited self-access of the classes written."""
    audit.append(conn, actor=actor, action=EXPORT_ACTION, account_id=built.account_id,
                 record_classes=tuple(built.files), reason="the customer's own copy of their data (self-access)",
                 detail={"rows": sum(built.files.values()), "content_files": built.content_files,
                         "withheld": built.withheld}, now=now)
