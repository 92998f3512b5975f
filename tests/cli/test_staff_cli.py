"""`custodian staff add|reset|disable|list` against a real data directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from custodian.db.engine import make_engine
from custodian.staff import store as staff_store
from tests.builders.staff import SPECTRUMVOIP

Cli = Callable[..., Result]


def test_staff_are_added_in_a_policy_role_reset_and_disabled(cli: Cli, initialised: Path) -> None:
    assert cli("staff", "add", "rita", "--role", "support_representative").exit_code == 1  # no policy yet
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    added = cli("staff", "add", "rita", "--role", "support_representative", "--name", "Rita", "--json")
    assert added.exit_code == 0, added.output
    first = json.loads(added.output)
    assert first["role"] == "support_representative" and len(first["totp_secret"]) == 32
    wrong = cli("staff", "add", "jan", "--role", "janitor")
    assert wrong.exit_code == 1 and "role: 'janitor'" in wrong.output
    again = json.loads(cli("staff", "reset", "rita", "--json").output)
    assert again["one_time_password"] != first["one_time_password"]
    assert cli("staff", "disable", "rita").exit_code == 0
    listed = json.loads(cli("staff", "list", "--json").output)
    assert listed == [{"username": "rita", "role": "support_representative", "name": "Rita", "state": "disabled"}]


def test_credentials_issued_at_the_shell_work_at_once_and_are_recorded_as_such(cli: Cli, initialised: Path) -> None:
    """Separation of duties: the shell needs no second officer's approval, but every issue is on record."""
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    assert cli("staff", "add", "lena", "--role", "legal_desk").exit_code == 0
    assert cli("staff", "reset", "lena").exit_code == 0
    listed = json.loads(cli("staff", "list", "--json").output)
    assert [row["state"] for row in listed] == ["active"]
    engine = make_engine(f"sqlite:///{initialised / 'custodian.db'}")
    with engine.connect() as conn:
        issues = staff_store.issues(conn)
    engine.dispose()
    assert [(i.action, i.channel, i.state) for i in issues] == [("reset", "shell", "not_required"),
                                                                ("add", "shell", "not_required")]
    assert all(i.issued_by.startswith("cli:") for i in issues)
