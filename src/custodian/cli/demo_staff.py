"""The access part of `custodian demo`: the SpectrumVoIP policy in force and one demo staff member for every
role the policy defines (and the privacy officer).

Their one-time passwords and TOTP secrets are printed once on the terminal (by the guide), never stored in
clear and never logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from custodian.access.in_force import rules_in_force
from custodian.cli.terminal import out
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from custodian.staff.service import NewCredentials

DEMO_POLICY = Path(__file__).resolve().parents[3] / "examples" / "policies" / "002-spectrumvoip.yaml"
SHORT_NAMES = {"support_representative": "demo-rep", "privacy_officer": "demo-officer", "legal_desk": "demo-legal"}


@dataclass
class DemoAccess:
    """The demo's staff by role (username), and the credentials issued on this run (shown once)."""

    staff: dict[str, str] = field(default_factory=dict)
    issued: list[NewCredentials] = field(default_factory=list)


def demo_username(role: str) -> str:
    """The demo staff member of `role`: demo-rep, demo-officer, demo-legal, else demo-<role>."""
    return SHORT_NAMES.get(role, "demo-" + role.replace("_", "-"))


def prepare_demo_access(engine: Engine, master_key: bytes, actor: str) -> DemoAccess:
    """Activate the demo policy when none is in force; create a demo staff member per role once."""
    now = utcnow()
    access = DemoAccess()
    with transaction(engine) as conn:
        if policy_store.in_force(conn, now) is None:
            if not DEMO_POLICY.exists():
                out.print(f"no policy in force and {DEMO_POLICY} not found: run `custodian policy activate FILE`")
                return access
            policy_store.activate(conn, DEMO_POLICY.read_text(encoding="utf-8"), actor=actor, effective_at=now,
                                  now=now)
            out.print(f"activated the demo policy {DEMO_POLICY.name}")
        rules = rules_in_force(conn, now)
        assert rules is not None
        for role in rules.staff_roles():
            username = access.staff[role] = demo_username(role)
            if staff_store.staff_by_username(conn, username) is None:
                access.issued.append(staff_service.add_staff(
                    conn, master_key, username=username, display_name=f"Demo {role.replace('_', ' ')}", role=role,
                    roles=rules.staff_roles(), actor=actor, channel="shell", now=now))
    return access
