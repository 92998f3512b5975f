"""`custodian dsr list|show|extend|deny|fulfil`: the privacy request queue for scripts and the shell. Each command
acts under the policy in force and mails the requester after the change has committed."""

from __future__ import annotations

from datetime import date
from typing import Any

import typer

from custodian.cli.context import actor, failures, writing_runtime
from custodian.cli.legal_shared import ACTOR, emit, policy_for
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.deadlines import days_left
from custodian.dsr.types import DENY_REASONS, STATE_LABELS, PrivacyRequest
from custodian.kernel.clock import utcnow

app = typer.Typer()


def _row(request: PrivacyRequest, today: date) -> dict[str, Any]:
    return {"reference": request.reference, "type": request.request_type, "state": request.state,
            "jurisdiction": request.jurisdiction, "received_on": request.received_on.isoformat(),
            "due_on": request.due_on.isoformat() if request.due_on else None,
            "days_left": days_left(request.due_on, today) if request.due_on else None,
            "extended": request.extended_at is not None, "may_extend": request.may_extend}


@app.command("list")
def list_requests(
    everything: bool = typer.Option(False, "--all", help="Closed requests too."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
) -> None:
    """Open privacy requests, the earliest deadline first, with the days left (no personal data)."""
    with failures():
        rt = writing_runtime()
        with transaction(rt.engine) as conn:
            found = service.queue(conn, open_only=not everything)
    today = utcnow().date()
    rows = [_row(request, today) for request in found]
    if as_json:
        emit({"requests": rows})
        return
    for row in rows:
        due = f"due {row['due_on']} ({row['days_left']} days left)" if row["due_on"] else "no statutory deadline"
        typer.echo(f"{row['reference']}  {row['type']:<22} {row['state']:<22} {row['jurisdiction']:<6} {due}")


@app.command("show")
def show(reference: str = typer.Argument(..., help="The request's reference (PR-...)."),
         as_json: bool = typer.Option(False, "--json", help="Print a JSON result.")) -> None:
    """One request with the requester's details and its history (an audited read)."""
    from custodian.dsr.store import events

    with failures():
        rt = writing_runtime()
        now = utcnow()
        with transaction(rt.engine) as conn:
            request = service.read(conn, rt.keyring(), reference, actor=actor(), now=now)
            history = events(conn, request.id)
    data = _row(request, now.date()) | {
        "name": request.details.name, "email": request.details.email, "phone": request.details.phone,
        "account_ref": request.details.account_ref, "postal_code": request.details.postal_code,
        "details": request.details.details, "agent": request.details.agent_name, "scope": request.scope,
        "matched_points": request.matched_points, "deny_reason": request.deny_reason,
        "events": [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "note": e.note} for e in history]}
    if as_json:
        emit(data)
        return
    typer.echo(f"{request.reference}: {request.request_type}, {STATE_LABELS.get(request.state, request.state)}")
    for key in ("received_on", "due_on", "days_left", "name", "email", "phone", "account_ref", "postal_code",
                "details", "agent", "matched_points"):
        if data[key] not in (None, ""):
            typer.echo(f"  {key.replace('_', ' ')}: {data[key]}")
    for event in data["events"]:
        typer.echo(f"  {event['at']}  {event['actor']}: {event['note']}")


@app.command("extend")
def extend(reference: str = typer.Argument(..., help="The request's reference (PR-...)."),
           reason: str = typer.Option(..., "--reason", help="Why more time is needed (the requester reads it).")
           ) -> None:
    """Extend a request once, inside its first period; the templated notice is e-mailed to the requester."""
    with failures():
        rt = writing_runtime()
        policy = policy_for(None)
        now = utcnow()
        with transaction(rt.engine) as conn:
            mail = service.extend(conn, rt.keyring(), policy, reference, reason=reason, actor=actor(), now=now,
                                  today=now.date())
    sent = service.send_all(rt.mailer, [mail])
    typer.echo(f"{reference.upper()} extended; notice {'sent' if sent else 'NOT sent (no mail server)'}")


@app.command("deny")
def deny(reference: str = typer.Argument(..., help="The request's reference (PR-...)."),
         reason: str = typer.Option(..., "--reason", help="One of: " + ", ".join(DENY_REASONS))) -> None:
    """Deny a request with a reason of the fixed list; the answer is e-mailed to the requester."""
    with failures():
        rt = writing_runtime()
        policy = policy_for(None)
        with transaction(rt.engine) as conn:
            mail = service.deny(conn, rt.keyring(), policy, reference, reason=reason, actor=actor(), now=utcnow())
    sent = service.send_all(rt.mailer, [mail])
    typer.echo(f"{reference.upper()} denied; answer {'sent' if sent else 'NOT sent (no mail server)'}")



@app.command("fulfil")
def fulfil(reference: str = typer.Argument(..., help="The request's reference (PR-...)."),
           actor_name: str = ACTOR, as_json: bool = typer.Option(False, "--json", help="Print a JSON result."),
           items: list[str] = typer.Option([], "--item", help="Minor content removal: a content item's record key "
                                           "(hex) the requester identifies; repeat for each.")) -> None:
    """Fulfil a verified request (access or CPNI copy: a 7-day download link; deletion; correction; minor content
    removal of the --item keys; a parent's report of a child's data); the final response, listing what was given or
    deleted and what was kept and why, is e-mailed to the requester."""
    from custodian.dsr.fulfillers import Desk, answer
    from custodian.dsr.fulfilment import FulfilmentNotWired
    from custodian.retention.executor import flush_blobs
    from custodian.settings import Settings

    with failures():
        rt = writing_runtime()
        desk = Desk(rt.blobs, policy_for(None), Settings().public_base_url, chosen=tuple(items))
        try:
            with transaction(rt.engine) as conn:
                answered = answer(conn, rt.keyring(), desk, reference, actor=actor_name, now=utcnow())
        except FulfilmentNotWired as exc:
            raise ValueError(str(exc)) from exc
    flush_blobs(rt.engine, rt.blobs)
    sent = service.send_all(rt.mailer, [answered.mail])
    if as_json:
        emit({"reference": reference.upper(), "summary": answered.outcome.summary, "done": answered.outcome.done,
              "kept": [{"what": what, "why": why} for what, why in answered.outcome.kept], "answer_sent": bool(sent)})
        return
    typer.echo(f"{reference.upper()} fulfilled: {answered.outcome.summary}; "
               f"answer {'sent' if sent else 'NOT sent (no mail server)'}")
