"""`custodian dsr`: data-subject requests. `due` needs only the policy (or its defaults); the queue's commands
(dsr_queue_cmd) load when one of them runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from custodian.cli.context import failures
from custodian.cli.lazy import LazyGroup
from custodian.cli.legal_shared import emit

if TYPE_CHECKING:
    from custodian.policy.document_requests import PrivacyRequests

app = typer.Typer(no_args_is_help=True,  # its help line is in cli/main.py
                  cls=LazyGroup.extended_by("custodian.cli.dsr_queue_cmd:app", "custodian.cli.dsr_export_cmd:app"))


@app.callback()
def dsr() -> None:
    """Data-subject requests: deadlines and the request queue."""


@app.command("due")
def due(
    request_type: str = typer.Option(..., "--type", help="access, deletion, correction, opt_out, limit_sensitive, "
                                                         "shine_the_light or cpni_copy."),
    jurisdiction: str = typer.Option(..., "--jurisdiction", help="ISO 3166 code of the requester: US-CA, DE, GB."),
    received: str = typer.Option(..., "--received", help="The day the request was received (YYYY-MM-DD)."),
    policy_file: Path | None = typer.Option(None, "--policy", help="Policy YAML (default: the version in force, "
                                                                  "else the statutory defaults)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """The day a request must be answered, and the day an extension may move it to."""
    from custodian.dsr.deadlines import NoDeadlineRule, deadline_for

    with failures():
        try:
            received_on = date.fromisoformat(received)
        except ValueError:
            raise ValueError(f"--received {received!r} is not a date (YYYY-MM-DD)") from None
        try:
            deadline = deadline_for(_requests_section(policy_file), request_type, jurisdiction, received_on)
        except NoDeadlineRule as exc:
            raise ValueError(str(exc)) from None
    extended = deadline.extended_due.isoformat() if deadline.extended_due else None
    if as_json:
        emit({"due": deadline.due.isoformat(), "extended_due": extended})
        return
    typer.echo(f"due {deadline.due.isoformat()}" + (f", extendable to {extended}" if extended else ", no extension")
               + (f" ({deadline.citation})" if deadline.citation else ""))


def _requests_section(policy_file: Path | None) -> PrivacyRequests:
    """The privacy-request section of --policy FILE, else of the version in force, else the defaults."""
    from custodian.policy.document_requests import PrivacyRequests

    if policy_file is not None:
        from custodian.cli.legal_shared import policy_for

        return policy_for(policy_file).document.privacy_requests
    from custodian.cli.context import database

    try:
        engine = database()
    except FileNotFoundError:
        return PrivacyRequests()
    from custodian.kernel.clock import utcnow
    from custodian.policy import store as policy_store

    with engine.connect() as conn:
        version = policy_store.in_force(conn, utcnow())
    return version.compiled().document.privacy_requests if version is not None else PrivacyRequests()
