"""What the `custodian legal` commands share: their options, JSON output, the request reader, the policy
they act under, and sending the customer notices a committed change queued.

Kept light: the database and the notice sender are imported only when a command needs them, so
`custodian legal validate --policy FILE` starts without SQLAlchemy."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from custodian.policy.compiled import CompiledPolicy

UNREADABLE = 2
ACTOR = typer.Option(..., "--actor", help="Who acts (recorded in the audit trail).")
POLICY = typer.Option(None, "--policy", help="Policy YAML (default: the version in force).")


def emit(data: dict[str, Any]) -> None:
    """One JSON document on stdout (dates and decimals as strings)."""
    sys.stdout.write(json.dumps(data, default=str) + "\n")


def read_model(file: Path, model: type[BaseModel]) -> Any:
    """FILE parsed as `model`, or exit 2 with a one-line reason naming the field."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return model.model_validate(data)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = f"cannot read {file}: {exc}"
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(document)"
        reason = f"{file}: {where}: {first['msg']}"
    from custodian.cli.terminal import report_error

    report_error(reason)
    sys.exit(UNREADABLE)


def policy_for(policy_file: Path | None) -> CompiledPolicy:
    """The policy of --policy FILE, else the version in force; ValueError when there is none."""
    from custodian.policy.check import check_file
    from custodian.policy.compiled import compile_policy

    if policy_file is not None:
        result = check_file(policy_file)
        if not result.valid or result.document is None:
            raise ValueError(f"{policy_file} is not a valid policy; run `custodian policy check {policy_file}`")
        return compile_policy(result.document, policy_file.read_text(encoding="utf-8"))
    from custodian.cli.context import runtime
    from custodian.db.engine import transaction
    from custodian.kernel.clock import utcnow
    from custodian.policy import store as policy_store

    with transaction(runtime().engine) as conn:
        version = policy_store.in_force(conn, utcnow())
    if version is None:
        raise ValueError("no policy is in force; pass --policy FILE or run `custodian policy activate FILE`")
    return version.compiled()


def send_notices(request_id: int, actor: str, policy_file: Path | None = None) -> dict[str, int]:
    """Send the customer notices the committed change queued (a failed one is retried by the legal-notices job)."""
    from custodian.cli.context import writing_runtime
    from custodian.kernel.clock import utcnow
    from custodian.legal import notices

    rt = writing_runtime()
    try:
        policy = policy_for(policy_file)
    except ValueError:
        typer.echo("notices stay queued for `custodian jobs run legal-notices`: no policy is in force", err=True)
        return {}
    return notices.send_due(rt.engine, rt.keyring(), policy, rt.mailer, actor=actor, now=utcnow(),
                            request_id=request_id)
