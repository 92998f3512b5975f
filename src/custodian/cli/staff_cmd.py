"""`custodian staff`: add, disable and reset staff identities; list them.

A new or reset staff member's one-time password and TOTP secret are printed once, here, and
stored only as an argon2id hash and a sealed secret: they are never logged. Credentials issued
here, by an operator at the shell, work at once (no second officer's approval: the shell already
holds the database and the master key); they are audited and listed on the officer's staff page.
"""

from __future__ import annotations

import json

import typer

from custodian.access.in_force import rules_in_force
from custodian.cli.context import actor, failures, runtime, writing_runtime
from custodian.cli.terminal import out
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.service import NewCredentials

app = typer.Typer(no_args_is_help=True)  # its help line is in cli/main.py


@app.command("add")
def add(
    username: str = typer.Argument(..., help="Sign-in name: lower-case letters, digits, '.', '_', '-'."),
    role: str = typer.Option(..., "--role", help="A role of the policy in force, or privacy_officer."),
    name: str = typer.Option("", "--name", help="Display name."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Create a staff member; print their one-time password and TOTP secret once (bad input exits 1)."""
    with failures():
        rt, now = writing_runtime(), utcnow()
        with transaction(rt.engine) as conn:
            rules = rules_in_force(conn, now)
            if rules is None:
                raise ValueError("no policy is in force; run `custodian policy activate FILE` first")
            made = staff_service.add_staff(conn, rt.master_key, username=username, display_name=name, role=role,
                                           roles=rules.staff_roles(), actor=actor(), channel="shell", now=now)
        _print_credentials(made, role, as_json)


@app.command("reset")
def reset(username: str = typer.Argument(...),
          as_json: bool = typer.Option(False, "--json", help="Print a JSON result.")) -> None:
    """New one-time password and TOTP secret (printed once), unlock, end every session."""
    with failures():
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            made = staff_service.reset_staff(conn, rt.master_key, username, actor=actor(), channel="shell",
                                             now=utcnow())
            member = staff_store.staff_by_id(conn, made.staff_id)
        _print_credentials(made, member.role if member else "", as_json)


@app.command("disable")
def disable(username: str = typer.Argument(...)) -> None:
    """Disable a staff member and end their sessions."""
    with failures():
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            staff_service.disable_staff(conn, username, actor=actor(), now=utcnow())
        out.print(f"disabled {username}")


@app.command("list")
def list_staff(as_json: bool = typer.Option(False, "--json", help="Print a JSON result.")) -> None:
    """Every staff member with role and state."""
    with failures():
        with runtime().engine.connect() as conn:
            members = staff_store.all_staff(conn)
        rows = [{"username": m.username, "role": m.role, "name": m.display_name,
                 "state": _state(m)} for m in members]
        if as_json:
            out.print_json(json.dumps(rows))
        for row in [] if as_json else rows:
            out.print(f"{row['username']:<20} {row['role']:<24} {row['state']}", highlight=False)


def _state(member: staff_store.StaffMember) -> str:
    if member.disabled_at:
        return "disabled"
    return "awaiting approval" if member.credentials_pending else "active"


def _print_credentials(made: NewCredentials, role: str, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps({"username": made.username, "role": role, "one_time_password": made.password,
                                   "totp_secret": made.totp_secret}))
        return
    out.print(f"{made.username} ({role}): one-time password {made.password}  TOTP secret {made.totp_secret}",
              highlight=False)
    out.print("Shown once. Sign in at /console/login; the console shows the QR code at first sign-in.")

