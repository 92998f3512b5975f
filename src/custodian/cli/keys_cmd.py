"""`custodian keys`: master-key rotation and crypto-shredding of one account."""

from __future__ import annotations

from pathlib import Path

import typer

from custodian.audit import store as audit
from custodian.cli.context import actor, failures, runtime, settings, writing_runtime
from custodian.cli.terminal import console, out
from custodian.crypto import envelope
from custodian.crypto.master import write_key_file
from custodian.db.engine import transaction
from custodian.records.store import account_id_by_ref

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


@app.command("rotate-master")
def rotate_master(
    new_key_file: Path = typer.Option(None, help="Where to write the new key when the current one comes "
                                                 "from CUSTODIAN_MASTER_KEY (you then move it to your secret store)."),
) -> None:
    """Generate a new master key and re-wrap every data key under it."""
    with failures():
        s = settings()
        if s.master_key and new_key_file is None:
            raise ValueError("the master key comes from CUSTODIAN_MASTER_KEY: pass --new-key-file")
        rt = runtime()
        new_master = envelope.new_key()
        target = new_key_file or s.master_key_path
        staging = target.with_name(target.name + ".next")
        write_key_file(staging, new_master)  # on disk before any key depends on it
        keyring = rt.keyring()
        with transaction(rt.engine) as conn:
            moved = keyring.rewrap_all(conn, new_master)
            audit.append(conn, actor=actor(), action="keys.rotate_master", reason="master key rotated",
                         detail={"from": keyring.master_key_id, "to": envelope.key_id(new_master), "keys": moved})
        staging.replace(target)
        out.print(f"re-wrapped {moved} keys under master key {envelope.key_id(new_master)}; key file: {target}")
        if s.master_key:
            console.print("[yellow]set CUSTODIAN_MASTER_KEY to the new key before the next run[/yellow]")


@app.command("shred")
def shred(
    account_ref: str = typer.Argument(..., help="The account whose data key is destroyed."),
    yes: bool = typer.Option(False, "--yes", help="Confirm: this cannot be undone."),
    reason: str = typer.Option(..., help="Why (recorded in the audit trail)."),
) -> None:
    """Crypto-shred one account: destroy its data key so none of its data can be read again."""
    with failures():
        if not yes:
            raise ValueError("shredding cannot be undone: pass --yes to confirm")
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            account_id = account_id_by_ref(conn, account_ref)
            if account_id is None:
                raise ValueError(f"no account {account_ref!r}")
            changed = rt.keyring().shred(conn, account_id)
            if changed:
                audit.append(conn, actor=actor(), action="keys.shred", account_id=account_id,
                             reason=reason, record_classes=["subscriber.basic"])
        out.print(f"account {account_ref}: data key {'destroyed' if changed else 'was already destroyed'}")
