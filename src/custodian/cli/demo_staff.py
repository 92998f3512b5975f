"""The access part of `custodian demo`: the SpectrumVoIP policy in force and two demo staff members.

Their one-time passwords and TOTP secrets are printed once on the terminal, never stored in clear
and never logged.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from custodian.access.in_force import rules_in_force
from custodian.cli.terminal import out
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store

DEMO_POLICY = Path(__file__).resolve().parents[3] / "examples" / "policies" / "002-spectrumvoip.yaml"
DEMO_STAFF = (("demo-rep", "Demo Representative", "support_representative"),
              ("demo-officer", "Demo Privacy Officer", "privacy_officer"))


def prepare_demo_access(engine: Engine, master_key: bytes, actor: str) -> None:
    """Activate the demo policy when none is in force; create the demo staff once, printing their credentials."""
    now = utcnow()
    with transaction(engine) as conn:
        if policy_store.in_force(conn, now) is None:
            if not DEMO_POLICY.exists():
                out.print(f"no policy in force and {DEMO_POLICY} not found: run `custodian policy activate FILE`")
                return
            policy_store.activate(conn, DEMO_POLICY.read_text(encoding="utf-8"), actor=actor, effective_at=now,
                                  now=now)
            out.print(f"activated the demo policy {DEMO_POLICY.name}")
        rules = rules_in_force(conn, now)
        assert rules is not None
        made = [staff_service.add_staff(conn, master_key, username=username, display_name=name, role=role,
                                        roles=rules.staff_roles(), actor=actor, channel="shell", now=now)
                for username, name, role in DEMO_STAFF
                if role in rules.staff_roles() and staff_store.staff_by_username(conn, username) is None]
    for credentials in made:
        out.print(f"demo staff {credentials.username}: one-time password {credentials.password}  "
                  f"TOTP secret {credentials.totp_secret}", highlight=False)
    if made:
        out.print("These are shown once. Sign in at /console/login (`custodian staff reset NAME` issues new ones).")
