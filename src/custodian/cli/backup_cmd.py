"""`custodian backup`: create, verify and restore backups (the deletion log stays outside them)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import typer

from custodian.backup import archive
from custodian.backup.deletion_log import DeletionLog
from custodian.backup.restore import in_use, restore
from custodian.cli.context import actor, failures, settings
from custodian.cli.terminal import out
from custodian.kernel.clock import utcnow

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


@app.command("create")
def create(out_dir: Path = typer.Option(..., "--out", help="An empty directory for the backup.")) -> None:
    """Copy the database and the blob files into DIR with a manifest of SHA-256s (never the master key)."""
    with failures():
        s = settings()
        manifest = archive.create(s.resolved_database_url(), s.resolved_blob_dir(), DeletionLog(s.deletion_log_path),
                                  out_dir)
        head = manifest["deletion_log_head"]
        out.print(f"backup written to {out_dir}: {len(manifest['files'])} files, schema {manifest['schema_revision']}, "
                  f"audit head {manifest['audit_head']['seq']}, deletion log line {head['lines']}")


@app.command("verify")
def verify(backup: Path = typer.Argument(..., help="The backup directory."),
           as_json: bool = typer.Option(False, "--json", help="Print a JSON result.")) -> None:
    """Check the manifest's hashes, restore into a scratch database, verify its audit chain, count its rows."""
    with failures():
        s = settings()
        manifest = archive.read_manifest(backup)
        with tempfile.TemporaryDirectory() as scratch, \
                archive.restored_copy(backup, manifest, s.database_url, Path(scratch)) as url:
            result = archive.check(url, manifest)
        good = result["audit_chain"] == "intact" and result["audit_head_matches"]
        if as_json:
            out.print_json(json.dumps({"ok": good, "files": len(manifest["files"]), **result}))
        else:
            out.print(f"files: {len(manifest['files'])} match their SHA-256; audit chain {result['audit_chain']}, "
                      f"head {result['audit_head']['seq']} {'matches' if result['audit_head_matches'] else 'DIFFERS'}")
            for name, count in result["rows"].items():
                if count:
                    out.print(f"  {name}: {count}")
        if not good:
            sys.exit(1)


@app.command("restore")
def restore_cmd(backup: Path = typer.Argument(..., help="The backup directory."),
                yes: bool = typer.Option(False, "--yes", help="Replace the configured database and blob files.")
                ) -> None:
    """Restore the database and blobs, then carry out again every deletion made since the backup."""
    with failures():
        s = settings()
        url = s.resolved_database_url()
        reason = in_use(url)
        if reason and not yes:
            raise ValueError(f"{reason}: stop the service and pass --yes to restore over it")
        receipt = restore(url, s.resolved_blob_dir(), DeletionLog(s.deletion_log_path), backup, actor=actor(),
                          now=utcnow())
        out.print_json(json.dumps(receipt))
